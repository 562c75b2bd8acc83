// The mac baseline unit (dequantize-then-MAC PE array) as the registry sees it.
#include "model/arch/pe_array_spec.h"

namespace lowbit {
namespace {

class MacSpec final : public PeArraySpec {
 public:
  MacSpec() : PeArraySpec("mac", "weight dequant", {"weight_dequant"}) {}
  std::string_view name() const override { return "mac"; }
  std::string_view description() const override {
    return "dequantize-then-MAC baseline: weights dequantized to the activation type, then "
           "INT8 x INT8 -> INT32 or FP16 x FP16 -> FP32 multiply-accumulate";
  }
  isa::Opcode opcode() const override { return isa::Opcode::kMmac; }
  // FP16 activations enter the FP16 multipliers as they are (docs/mac.md).
  float fp16_row_scale() const override { return 1.0f; }
  GroupRule group_rule(bool fp16_acts) const override {
    return fp16_acts ? GroupRule::kMacFp16 : GroupRule::kExactInteger;
  }
};

}  // namespace

const IUnitSpec& mac_unit_spec() {
  static const MacSpec spec;
  return spec;
}

}  // namespace lowbit
