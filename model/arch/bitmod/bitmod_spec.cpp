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
  // The PE arrays' pipelining keys are shared, but rtl/bitmod/bitmod_array.sv has only the
  // broadcast, unpipelined form so far: the registry allows 0 only (docs/bitmod.md).
  const std::vector<ParamInfo>& params() const override {
    static const std::vector<ParamInfo> infos = [this] {
      std::vector<ParamInfo> v = PeArraySpec::params();
      for (auto& i : v) {
        if (i.path == "systolic" || i.path == "pe_stages" || i.path == "dequant_stages") {
          i.max_value = 0;
          i.description =
              "bitmod: 0 only (the bitmod array has no systolic or pipelined form "
              "yet); on mixpe and mac: " +
              i.description;
        }
      }
      return v;
    }();
    return infos;
  }
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
