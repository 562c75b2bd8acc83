// The lutcore parameter declarations and their cross-parameter rules.
#include "model/arch/lutcore/lutcore_params.h"

#include <fmt/format.h>

#include "model/arch/hw_config.h"

namespace lowbit {

const std::vector<ParamField<LutcoreParams>>& lutcore_param_fields() {
  using P = LutcoreParams;
  static const std::vector<ParamField<P>> fields = [] {
    const P d;
    return std::vector<ParamField<P>>{
        {{"m", ParamType::kInt, double(d.m), 1, 16, "rows",
          "activation rows per tile (one table each per g-slice)", "M"},
         [](P& p) -> ParamRef { return &p.m; }},
        {{"n", ParamType::kInt, double(d.n), 1, 256, "columns",
          "output columns sharing each table (broadcast)", "N"},
         [](P& p) -> ParamRef { return &p.n; }},
        {{"k", ParamType::kInt, double(d.k), 2, 32, "elements",
          "K elements per tile beat; a multiple of g", "K"},
         [](P& p) -> ParamRef { return &p.k; }},
        {{"g", ParamType::kInt, double(d.g), 2, 4, "activations",
          "activations per table; 2^(g-1) entries are stored (2^g when symmetric is false)", "G"},
         [](P& p) -> ParamRef { return &p.g; }},
        {{"fp16", ParamType::kBool, double(d.fp16), 0, 1, "",
          "FP16 activations supported (exact a*2^24 fixed point, 64-bit accumulators); false: "
          "INT8 only with 32-bit accumulators",
          "Fp16"},
         [](P& p) -> ParamRef { return &p.fp16; }},
        {{"dequant_lanes", ParamType::kInt, double(d.dequant_lanes), 1, 256, "lanes",
          "FP32 dequant lanes (int-to-float, multiply, add); divides n; a group's dequant takes "
          "m * n / dequant_lanes cycles",
          "DqLanes"},
         [](P& p) -> ParamRef { return &p.dequant_lanes; }},
        {{"symmetric", ParamType::kBool, double(d.symmetric), 0, 1, "",
          "table symmetrization: store 2^(g-1) entries per table and negate by the index top "
          "bit; false: store all 2^g entries, read directly (same results and cycles)",
          "Sym", true},
         [](P& p) -> ParamRef { return &p.symmetric; }},
        {{"dequant_stages", ParamType::kInt, double(d.dequant_stages), 0, 7, "stages",
          "pipeline depth of the dequant lanes: 0 = the whole FP32 chain in one cycle; S = "
          "min(S, 4) integer registers, min(S, depth) in int-to-float (4), multiply (7) and add "
          "(6), and a register between the FP32 units when S >= 4; a chunk's O is ready "
          "min(S,4) + min(S,4) + 2 min(S,7) + min(S,6) + 3 [S >= 4] cycles after its dequant "
          "starts and consecutive groups start >= min(S, 6) + 1 cycles apart",
          "DqStages", true},
         [](P& p) -> ParamRef { return &p.dequant_stages; }},
        {{"array_stages", ParamType::kInt, double(d.array_stages), 0, 1, "stages",
          "1: a register between each lane's table lookup and its accumulator add (the group's "
          "acc' reaches the dequant one cycle later); 0: lookup and add in one cycle",
          "ArrStages", true},
         [](P& p) -> ParamRef { return &p.array_stages; }},
    };
  }();
  return fields;
}

void check_lutcore_params(const LutcoreParams& p, std::string_view source) {
  if (p.n % p.dequant_lanes != 0) {
    throw ConfigError(
        fmt::format("{}: lutcore.dequant_lanes: {} does not divide n = {}; allowed: a divisor of n",
                    source, p.dequant_lanes, p.n));
  }
  if (p.k % p.g != 0) {
    throw ConfigError(fmt::format(
        "{}: lutcore.k: {} is not a multiple of g = {}; allowed: k = g * t for an integer t >= 1",
        source, p.k, p.g));
  }
}

LutcoreParams lutcore_params_from_json(const nlohmann::json& config, std::string_view source) {
  if (!config.is_object() || !config.contains("lutcore")) {
    throw ConfigError(fmt::format(
        "{}: lutcore: missing; allowed: an object with keys m, n, k, g, fp16, dequant_lanes, "
        "symmetric, dequant_stages, array_stages",
        source));
  }
  const auto& fields = lutcore_param_fields();
  static const std::vector<ParamInfo> infos = param_infos_of(fields);
  const LutcoreParams p =
      params_from_tree(read_param_tree(&config.at("lutcore"), infos, source, "lutcore"), fields);
  check_lutcore_params(p, source);
  return p;
}

LutcoreParams lutcore_params_from_file(const std::string& path) {
  return lutcore_params_from_json(read_config_json(path), path);
}

LutcoreParams lutcore_params(const HwConfig& hw) {
  return params_from_tree(hw.unit_params, lutcore_param_fields());
}

}  // namespace lowbit
