// The PE-array parameter declarations (mixpe and mac share them).
#include "model/arch/pe_array_params.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/arch/hw_config.h"

namespace lowbit {

const std::vector<ParamField<PeArrayParams>>& pe_array_param_fields() {
  using P = PeArrayParams;
  static const std::vector<ParamField<P>> fields = [] {
    const P d;
    return std::vector<ParamField<P>>{
        {{"rows", ParamType::kInt, double(d.rows), 1, 64, "rows",
          "R: activation rows per tile (output-stationary PE rows)", "Rows"},
         [](P& p) -> ParamRef { return &p.rows; }},
        {{"cols", ParamType::kInt, double(d.cols), 1, 64, "columns",
          "C: weight rows (output columns) per tile; one dequant unit per column", "Cols"},
         [](P& p) -> ParamRef { return &p.cols; }},
        {{"fp16", ParamType::kBool, double(d.fp16), 0, 1, "",
          "FP16 activations supported (each unit's FP16 datapath is in docs/<unit>.md); false: "
          "INT8 only",
          "Fp16"},
         [](P& p) -> ParamRef { return &p.fp16; }},
        {{"systolic", ParamType::kBool, double(d.systolic), 0, 1, "",
          "output-stationary systolic dataflow: one input register, row r and column c skewed by "
          "r and c registers, then one register per PE hop (activations right, weights down); "
          "a group's shadows are complete C cycles later; false: each operand is broadcast to "
          "its row / column in the same cycle",
          "Systolic", true},
         [](P& p) -> ParamRef { return &p.systolic; }},
        {{"pe_stages", ParamType::kInt, double(d.pe_stages), 0, 1, "stages",
          "1: a register between each PE's product and its accumulator add (one cycle more "
          "before the shadows are complete)",
          "PeStages", true},
         [](P& p) -> ParamRef { return &p.pe_stages; }},
        {{"dequant_stages", ParamType::kInt, double(d.dequant_stages), 0, 6, "stages",
          "pipeline of the drain (S > 0: a register after the row select, after the zero-point "
          "product and after its subtract, min(S, 4) in int-to-float, S in each FP32 multiply "
          "and the add, one after each unit): a row's result is written 6 + min(S, 4) + 3 S "
          "cycles after it is read (0 at S = 0), consecutive drains start >= 2 S + 2 cycles "
          "apart; mac's weight dequant takes S + 2 cycles (the activations wait beside it)",
          "DqStages", true},
         [](P& p) -> ParamRef { return &p.dequant_stages; }},
    };
  }();
  return fields;
}

int PeArrayParams::weight_dequant_latency() const {
  return dequant_stages > 0 ? std::min(dequant_stages, 6) + 2 : 0;
}

int PeArrayParams::fill_latency(bool weight_dequant) const {
  return (weight_dequant ? weight_dequant_latency() : 0) + (systolic ? cols : 0) + pe_stages;
}

int PeArrayParams::drain_latency() const {
  if (dequant_stages == 0) return 0;
  return 6 + std::min(dequant_stages, 4) + 3 * std::min(dequant_stages, 6);
}

int PeArrayParams::drain_gap() const {
  return dequant_stages > 0 ? 2 * std::min(dequant_stages, 6) + 1 : 0;
}

PeArrayParams pe_array_params_from_json(const nlohmann::json& config, std::string_view unit,
                                        std::string_view source) {
  const auto& fields = pe_array_param_fields();
  static const std::vector<ParamInfo> infos = param_infos_of(fields);
  const std::string key(unit);
  if (!config.is_object() || !config.contains(key)) {
    throw ConfigError(fmt::format(
        "{}: {}: missing; allowed: an object with keys rows, cols, fp16, systolic, pe_stages, "
        "dequant_stages",
        source, key));
  }
  return params_from_tree(read_param_tree(&config.at(key), infos, source, key), fields);
}

PeArrayParams pe_array_params_from_file(const std::string& path, std::string_view unit) {
  return pe_array_params_from_json(read_config_json(path), unit, path);
}

PeArrayParams pe_array_params(const HwConfig& hw) {
  return params_from_tree(hw.unit_params, pe_array_param_fields());
}

}  // namespace lowbit
