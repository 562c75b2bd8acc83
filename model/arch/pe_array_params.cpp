// The PE-array parameter declarations (mixpe and mac share them).
#include "model/arch/pe_array_params.h"

#include <fmt/format.h>

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
    };
  }();
  return fields;
}

PeArrayParams pe_array_params_from_json(const nlohmann::json& config, std::string_view unit,
                                        std::string_view source) {
  const auto& fields = pe_array_param_fields();
  static const std::vector<ParamInfo> infos = param_infos_of(fields);
  const std::string key(unit);
  if (!config.is_object() || !config.contains(key)) {
    throw ConfigError(
        fmt::format("{}: {}: missing; allowed: an object with keys rows, cols, fp16", source, key));
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
