// The bitmod unit (BitMoD bit-serial mixture-of-datatype PE array) as the registry sees it.
#include <fmt/format.h>

#include <algorithm>

#include "model/arch/pe_array_params.h"
#include "model/arch/pe_array_spec.h"
#include "model/formats/bitmod_unified.h"

namespace lowbit {
namespace {

class BitmodSpec final : public PeArraySpec {
 public:
  // The mpGEMM core is the PEs, the row converters and the column type decoders (the flow's
  // weight_dequant component: bitmod_decode, one per column, rtl/synth/characterize.py).
  BitmodSpec()
      : PeArraySpec("bitmod", "row converters and column type decoders",
                    {"row_converters", "weight_dequant"}) {}
  std::string_view name() const override { return "bitmod"; }
  std::string_view description() const override {
    return "BitMoD array: R x C bit-serial PEs (2 mantissa bits per cycle) on a per-group "
           "datatype (int3/fp3/int4/flint4/fp4 with extra-resolution or extra-asymmetry values), "
           "exact integer group sums, one FP32 dequant per group and column";
  }
  isa::Opcode opcode() const override { return isa::Opcode::kBmd; }
  // The PE arrays' pipelining keys are shared, but rtl/bitmod/bitmod_array.sv has only the
  // broadcast PE form so far: the registry allows systolic and pe_stages 0 only; the drain
  // pipeline (dequant_stages) is the shared one (docs/bitmod.md).
  const std::vector<ParamInfo>& params() const override {
    static const std::vector<ParamInfo> infos = [this] {
      std::vector<ParamInfo> v = PeArraySpec::params();
      for (auto& i : v) {
        if (i.path == "systolic" || i.path == "pe_stages") {
          i.max_value = 0;
          i.description =
              "bitmod: 0 only (the bitmod array has no systolic or pipelined PE form "
              "yet); on mixpe and mac: " +
              i.description;
        }
      }
      return v;
    }();
    return infos;
  }
  // BitMoD's precisions are 3 and 4 bits (bitmod_w3, bitmod_w4), each weight sent as two 2-bit
  // slices of its unified mantissa: a K step is 2 beats (docs/bitmod.md).
  UnitGeometry geometry(const nlohmann::json& tree) const override {
    UnitGeometry g = PeArraySpec::geometry(tree);
    g.min_weight_bits = 3;
    g.max_weight_bits = 4;
    g.beat_cycles = kBitmodSlices;
    return g;
  }
  WeightCodec weight_codec() const override { return WeightCodec::kBitmod; }
  // The group byte is the group's datatype id (low 4 bits; ids 13 .. 15 decode to 0), as the
  // RTL's column decoder reads it.
  int weight_value(WeightKind, int, uint32_t code, uint32_t group_byte) const override {
    return bitmod_value_int(group_byte & 0xFu, code);
  }
  std::string weight_formats_allowed(const UnitGeometry&) const override {
    return "bitmod_w3, bitmod_w4 (BitMoD per-group datatypes; the kit's binary .. uint8 do not "
           "run on it)";
  }
  // A group of G weights is 2 G beats; consecutive drains start max(R + 1, gap + 1) cycles apart
  // (broadcast PEs: no fill latency).
  CoreTiming core_timing(const nlohmann::json& tree) const override {
    // BitmodCore::latency_of (sim/bitmod/bitmod_core.h): no fill, the pipelined drain.
    CoreTiming t = PeArraySpec::core_timing(tree);
    t.latency.fill = 0;
    return t;
  }
  int min_dequant_group(const nlohmann::json& tree, int) const override {
    const PeArrayParams p = params_from_tree(tree, pe_array_param_fields());
    const int beats = std::max(p.rows + 1, p.drain_gap() + 1);
    return (beats + kBitmodSlices - 1) / kBitmodSlices;
  }
};

}  // namespace

const IUnitSpec& bitmod_unit_spec() {
  static const BitmodSpec spec;
  return spec;
}

}  // namespace lowbit
