// The bitmod unit (BitMoD bit-serial mixture-of-datatype PE array) as the registry sees it.
#include "model/arch/pe_array_spec.h"

namespace lowbit {
namespace {

class BitmodSpec final : public PeArraySpec {
 public:
  BitmodSpec()
      : PeArraySpec("bitmod", "row converters and column type decoders", "row_converters") {}
  std::string_view name() const override { return "bitmod"; }
  std::string_view description() const override {
    return "BitMoD array: R x C bit-serial PEs (2 mantissa bits per cycle) on a per-group "
           "datatype (int3/fp3/int4/flint4/fp4 with extra-resolution or extra-asymmetry values), "
           "exact integer group sums, one FP32 dequant per group and column";
  }
  isa::Opcode opcode() const override { return isa::Opcode::kBmd; }
  // BitMoD's precisions are 3 and 4 bits. The kit's weight formats (binary .. int8, uint2 ..
  // uint8) are not BitMoD types: the compiler refuses every one of them on this unit. BitMoD
  // weights are not yet carried by the compiler (docs/bitmod.md, "Not built yet").
  UnitGeometry geometry(const nlohmann::json& tree) const override {
    UnitGeometry g = PeArraySpec::geometry(tree);
    g.min_weight_bits = 3;
    g.max_weight_bits = 4;
    g.kit_weight_formats = false;
    return g;
  }
  std::string weight_formats_allowed(const UnitGeometry&) const override {
    return "none of the kit's weight formats (the bitmod unit runs BitMoD per-group datatypes "
           "only; the compiler does not carry them yet, docs/bitmod.md)";
  }
};

}  // namespace

const IUnitSpec& bitmod_unit_spec() {
  static const BitmodSpec spec;
  return spec;
}

}  // namespace lowbit
