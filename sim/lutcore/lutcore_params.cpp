// Parsing and validation of the lutcore parameters from the "lutcore" subtree of a config.
#include "sim/lutcore/lutcore_params.h"

#include <fstream>
#include <stdexcept>

#include "model/json/json_input.h"

namespace lowbit {

const std::vector<LutcoreParamInfo>& lutcore_param_infos() {
  static const std::vector<LutcoreParamInfo> infos = {
      {"m", "int", 2, 1, 16, "activation rows per tile (one table each per g-slice)"},
      {"n", "int", 64, 1, 256, "output columns sharing each table (broadcast)"},
      {"k", "int", 4, 2, 32, "K elements per tile beat; a multiple of g"},
      {"g", "int", 4, 2, 4,
       "activations per table; 2^(g-1) entries are stored (2^g when symmetric is false)"},
      {"fp16", "bool", 1, 0, 1,
       "FP16 activations supported (exact a*2^24 fixed point, 64-bit accumulators); "
       "false: INT8 only with 32-bit accumulators"},
      {"dequant_lanes", "int", 16, 1, 256,
       "FP32 dequant lanes (int-to-float, multiply, add); divides n; a group's dequant takes "
       "m * n / dequant_lanes cycles"},
      {"symmetric", "bool", 1, 0, 1,
       "table symmetrization: store 2^(g-1) entries per table and negate by the index top bit; "
       "false: store all 2^g entries, read directly (same results and cycles)"},
  };
  return infos;
}

namespace {

[[noreturn]] void fail(std::string_view source, std::string_view key, const std::string& what) {
  throw LutcoreConfigError(std::string(source) + ": lutcore." + std::string(key) + ": " + what);
}

std::string allowed(const LutcoreParamInfo& info) {
  if (info.type == "bool") return "allowed: true or false";
  return "allowed: an integer in [" + std::to_string(info.min_value) + ", " +
         std::to_string(info.max_value) + "]";
}

}  // namespace

LutcoreParams lutcore_params_from_json(const nlohmann::json& config, std::string_view source) {
  if (!config.is_object() || !config.contains("lutcore")) {
    throw LutcoreConfigError(
        std::string(source) +
        ": lutcore: missing; allowed: an object with keys m, n, k, g, fp16, dequant_lanes, "
        "symmetric");
  }
  const auto& sub = config.at("lutcore");
  if (!sub.is_object()) {
    fail(source, "", "must be an object; allowed: an object with keys m, n, k, g, fp16, ...");
  }
  const auto& infos = lutcore_param_infos();
  for (const auto& [key, value] : sub.items()) {
    bool known = false;
    for (const auto& info : infos) known = known || info.name == key;
    if (!known) {
      std::string names;
      for (const auto& info : infos) names += (names.empty() ? "" : ", ") + std::string(info.name);
      fail(source, key, "unknown key; allowed keys: " + names);
    }
  }
  auto get = [&](const LutcoreParamInfo& info) -> int {
    if (!sub.contains(info.name)) return info.default_value;
    const auto& v = sub.at(std::string(info.name));
    if (info.type == "bool") {
      if (!v.is_boolean()) fail(source, info.name, "not a boolean; " + allowed(info));
      return v.get<bool>() ? 1 : 0;
    }
    if (!v.is_number_integer()) fail(source, info.name, "not an integer; " + allowed(info));
    // Compared as given: 2^64 - 1 must not wrap to -1 (issue 16).
    const bool in_range =
        v.is_number_unsigned()
            ? v.get<uint64_t>() <= static_cast<uint64_t>(info.max_value) &&
                  v.get<uint64_t>() >= static_cast<uint64_t>(info.min_value)
            : v.get<int64_t>() >= info.min_value && v.get<int64_t>() <= info.max_value;
    if (!in_range) fail(source, info.name, v.dump() + " out of range; " + allowed(info));
    const auto x = v.get<int64_t>();
    return static_cast<int>(x);
  };
  LutcoreParams p;
  p.m = get(infos[0]);
  p.n = get(infos[1]);
  p.k = get(infos[2]);
  p.g = get(infos[3]);
  p.fp16 = get(infos[4]) != 0;
  p.dequant_lanes = get(infos[5]);
  p.symmetric = get(infos[6]) != 0;
  if (p.n % p.dequant_lanes != 0) {
    fail(source, "dequant_lanes",
         std::to_string(p.dequant_lanes) + " does not divide n = " + std::to_string(p.n) +
             "; allowed: a divisor of n");
  }
  if (p.k % p.g != 0) {
    fail(source, "k",
         std::to_string(p.k) + " is not a multiple of g = " + std::to_string(p.g) +
             "; allowed: k = g * t for an integer t >= 1");
  }
  return p;
}

LutcoreParams lutcore_params_from_file(const std::string& path) {
  nlohmann::json j;
  try {
    j = read_json_input(path);
  } catch (const JsonInputError& e) {
    throw LutcoreConfigError(e.what());
  }
  return lutcore_params_from_json(j, path);
}

}  // namespace lowbit
