// The mixpe unit (MixPE shift&add PE array) as the registry sees it.
#include "model/arch/pe_array_spec.h"

namespace lowbit {
namespace {

class MixpeSpec final : public PeArraySpec {
 public:
  MixpeSpec() : PeArraySpec("mixpe", "row converters", {"row_converters"}) {}
  std::string_view name() const override { return "mixpe"; }
  std::string_view description() const override {
    return "MixPE array: R x C shift&add PEs, exact integer group sums, one FP32 dequant per "
           "group and column";
  }
  isa::Opcode opcode() const override { return isa::Opcode::kMpe; }
};

}  // namespace

const IUnitSpec& mixpe_unit_spec() {
  static const MixpeSpec spec;
  return spec;
}

}  // namespace lowbit
