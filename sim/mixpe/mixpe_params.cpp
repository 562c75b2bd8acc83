// Parsing and validation of the mixpe / mac array parameters from their config subtree.
#include "sim/mixpe/mixpe_params.h"

#include <fstream>

#include "model/json/json_input.h"

namespace lowbit {

const std::vector<PeArrayParamInfo>& pe_array_param_infos() {
  static const std::vector<PeArrayParamInfo> infos = {
      {"rows", "int", 64, 1, 64, "R: activation rows per tile (output-stationary PE rows)"},
      {"cols", "int", 64, 1, 64,
       "C: weight rows (output columns) per tile; one dequant unit per column"},
      {"fp16", "bool", 0, 0, 1,
       "FP16 activations supported (mixpe: exact a*2^24 fixed point, 64-bit accumulators; mac: "
       "FP16 x FP16 -> FP32 PEs); false: INT8 only"},
  };
  return infos;
}

namespace {

[[noreturn]] void fail(std::string_view source, std::string_view unit, std::string_view key,
                       const std::string& what) {
  throw PeArrayConfigError(std::string(source) + ": " + std::string(unit) + "." + std::string(key) +
                           ": " + what);
}

std::string allowed(const PeArrayParamInfo& info) {
  if (info.type == "bool") return "allowed: true or false";
  return "allowed: an integer in [" + std::to_string(info.min_value) + ", " +
         std::to_string(info.max_value) + "]";
}

}  // namespace

PeArrayParams pe_array_params_from_json(const nlohmann::json& config, std::string_view unit,
                                        std::string_view source) {
  const auto& infos = pe_array_param_infos();
  std::string names;
  for (const auto& info : infos) names += (names.empty() ? "" : ", ") + std::string(info.name);
  const std::string unit_key(unit);
  if (!config.is_object() || !config.contains(unit_key)) {
    throw PeArrayConfigError(std::string(source) + ": " + unit_key +
                             ": missing; allowed: an object with keys " + names);
  }
  const auto& sub = config.at(unit_key);
  if (!sub.is_object()) {
    throw PeArrayConfigError(std::string(source) + ": " + unit_key +
                             ": must be an object; allowed: an object with keys " + names);
  }
  for (const auto& [key, value] : sub.items()) {
    bool known = false;
    for (const auto& info : infos) known = known || info.name == key;
    if (!known) fail(source, unit, key, "unknown key; allowed keys: " + names);
  }
  auto get = [&](const PeArrayParamInfo& info) -> int {
    const std::string key(info.name);
    if (!sub.contains(key)) return info.default_value;
    const auto& v = sub.at(key);
    if (info.type == "bool") {
      if (!v.is_boolean()) fail(source, unit, key, "not a boolean; " + allowed(info));
      return v.get<bool>() ? 1 : 0;
    }
    if (!v.is_number_integer()) fail(source, unit, key, "not an integer; " + allowed(info));
    // Compared as given: 2^64 - 1 must not wrap to -1 (issue 16).
    const bool in_range =
        v.is_number_unsigned()
            ? v.get<uint64_t>() <= static_cast<uint64_t>(info.max_value) &&
                  v.get<uint64_t>() >= static_cast<uint64_t>(info.min_value)
            : v.get<int64_t>() >= info.min_value && v.get<int64_t>() <= info.max_value;
    if (!in_range) fail(source, unit, key, v.dump() + " out of range; " + allowed(info));
    const auto x = v.get<int64_t>();
    return static_cast<int>(x);
  };
  PeArrayParams p;
  p.rows = get(infos[0]);
  p.cols = get(infos[1]);
  p.fp16 = get(infos[2]) != 0;
  return p;
}

PeArrayParams pe_array_params_from_file(const std::string& path, std::string_view unit) {
  nlohmann::json j;
  try {
    j = read_json_input(path);
  } catch (const JsonInputError& e) {
    throw PeArrayConfigError(e.what());
  }
  return pe_array_params_from_json(j, unit, path);
}

}  // namespace lowbit
