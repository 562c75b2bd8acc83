// The lutcore unit (LUT Tensor Core tile) as the registry sees it.
#include <fmt/format.h>

#include "model/arch/lutcore/lutcore_params.h"
#include "model/arch/unit_spec.h"

namespace lowbit {
namespace {

class LutcoreSpec final : public IUnitSpec {
 public:
  std::string_view name() const override { return "lutcore"; }
  std::string_view description() const override {
    return "LUT Tensor Core tile: table precompute, M x N x K LUT array over weight bit-planes, "
           "per-group FP32 dequant";
  }
  const std::vector<ParamInfo>& params() const override {
    static const std::vector<ParamInfo> infos = param_infos_of(lutcore_param_fields());
    return infos;
  }
  void check(const nlohmann::json& tree, std::string_view source) const override {
    check_lutcore_params(params_from_tree(tree, lutcore_param_fields()), source);
  }
  UnitGeometry geometry(const nlohmann::json& tree) const override {
    const LutcoreParams p = params_from_tree(tree, lutcore_param_fields());
    UnitGeometry g;
    g.rows = p.m;
    g.tile_cols = p.n;
    g.beat_k = p.k;
    g.fp16 = p.fp16;
    g.bit_serial = true;
    g.min_weight_bits = 1;
    g.max_weight_bits = 4;
    g.layout = WeightLayout::kBitPlanes;
    g.pad_short_group = true;
    return g;
  }
  isa::Opcode opcode() const override { return isa::Opcode::kLmma; }
  // FP4 E2M1 and MXFP4 codes walk 5 offset-binary planes of the doubled value (docs/fp-weights.md).
  bool runs_codec(WeightCodec codec) const override {
    return codec == WeightCodec::kAffine || weight_codec_is_fp4(codec);
  }
  std::string weight_formats_allowed(const UnitGeometry& g) const override {
    return IUnitSpec::weight_formats_allowed(g) + ", fp4_e2m1, mxfp4";
  }
  // A group of G elements takes G / k beats of `bits` planes; its dequant takes m * n /
  // dequant_lanes cycles.
  CoreTiming core_timing(const nlohmann::json& tree) const override {
    // The cycle formula of docs/lutcore.md, which sim/lutcore/lutcore_core.cpp follows.
    const LutcoreParams p = params_from_tree(tree, lutcore_param_fields());
    CoreTiming t;
    t.kind = CoreTiming::Kind::kLutPipeline;
    t.rows = p.m;
    t.q = p.dequant_chunks();
    t.ldq = p.dequant_latency();
    t.array_stages = p.array_stages;
    t.group_spacing = p.dequant_group_spacing();
    return t;
  }
  int min_dequant_group(const nlohmann::json& tree, int bits) const override {
    const LutcoreParams p = params_from_tree(tree, lutcore_param_fields());
    const int q = p.m * p.n / p.dequant_lanes;
    return (q + bits - 1) / bits * p.k;
  }
  const UnitCost& cost() const override {
    static const UnitCost c = {
        "lutcore_tile",
        "tile",
        {{"plane_b{}", "tile.array+registers", true, {"array", "registers", "table_registers"}},
         {"table_b{}", "tile.precompute", true, {"precompute"}},
         {"dequant_lane", "tile.dequant", false, {"dequant"}}},
        "array.planes",
        "io.beats_in",
        "lutcore tile datapath x tiles: table precompute, LUT array, table/plane/stage "
        "registers, per-group dequant (cell area, dynamic energy per event, leakage x time)",
        "stall_dequant_cycles",
        {"precompute", "table_registers", "array"},
        "planes"};
    return c;
  }
};

}  // namespace

const IUnitSpec& lutcore_unit_spec() {
  static const LutcoreSpec spec;
  return spec;
}

}  // namespace lowbit
