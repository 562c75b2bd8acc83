// One declaration per hardware parameter: it drives parsing, range checks, defaults, to_json,
// `lowbit params`, the docs tables and the RTL parameter lists (docs/params.md).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "model/arch/config_error.h"

namespace lowbit {

enum class ParamType { kInt, kBool, kFloat, kString };
const char* param_type_name(ParamType t);

/// What callers may assume: `path` is unique within its subtree; default_value lies in
/// [min_value, max_value]; a bool has range [0, 1].
struct ParamInfo {
  ParamInfo(std::string path_, ParamType type_, double default_, double min_, double max_,
            std::string unit_, std::string description_, std::string rtl_name_ = "",
            bool rtl_only_if_changed_ = false)
      : path(std::move(path_)),
        type(type_),
        default_value(default_),
        min_value(min_),
        max_value(max_),
        unit(std::move(unit_)),
        description(std::move(description_)),
        rtl_name(std::move(rtl_name_)),
        rtl_only_if_changed(rtl_only_if_changed_) {}

  std::string path;  ///< dotted key inside its subtree ("m", "dram.bandwidth_gbps")
  ParamType type = ParamType::kInt;
  double default_value = 0;
  double min_value = 0;
  double max_value = 0;
  std::string unit;         ///< physical unit for docs ("" when none)
  std::string description;  ///< one sentence for `lowbit params` and the docs
  std::string rtl_name;  ///< the RTL parameter it sets (Verilator -G, characterization), "" if none
  /// The RTL parameter is passed only when the value differs from the default (a design variant
  /// such as lutcore Sym = 0); characterization entries of the default design omit it.
  bool rtl_only_if_changed = false;
};

/// "allowed: ..." text of one parameter, for error messages.
std::string param_allowed(const ParamInfo& info);

/// Reads the subtree `sub` (nullptr = absent: all defaults) against `infos`. Unknown keys, wrong
/// JSON types, non-finite or out-of-range values throw ConfigError naming `source` and
/// `prefix`.<key>. Returns the subtree with every declared key present, nested by the dotted paths,
/// ints as integers, bools as booleans, floats as doubles.
nlohmann::json read_param_tree(const nlohmann::json* sub, const std::vector<ParamInfo>& infos,
                               std::string_view source, std::string_view prefix);

/// The JSON pointer of a dotted path ("dram.latency_ns" -> /dram/latency_ns).
nlohmann::json::json_pointer param_pointer(std::string_view path);

/// The value at a dotted path of a tree read_param_tree returned (bools as 0 / 1; not for strings).
double param_value(const nlohmann::json& tree, std::string_view path);

/// A pointer to the member of a typed parameter struct that a declaration sets.
using ParamRef = std::variant<int*, bool*, double*, uint32_t*, std::string*>;

/// A declaration bound to its member of the parameter struct P: the single source of both.
template <class P>
struct ParamField {
  ParamInfo info;
  ParamRef (*member)(P&);
};

template <class P>
std::vector<ParamInfo> param_infos_of(const std::vector<ParamField<P>>& fields) {
  std::vector<ParamInfo> v;
  v.reserve(fields.size());
  for (const auto& f : fields) v.push_back(f.info);
  return v;
}

/// Fills a P from a tree of read_param_tree.
template <class P>
P params_from_tree(const nlohmann::json& tree, const std::vector<ParamField<P>>& fields) {
  P p{};
  for (const auto& f : fields) {
    const nlohmann::json& v = tree.at(param_pointer(f.info.path));
    std::visit(
        [&v](auto* m) {
          using T = std::remove_pointer_t<decltype(m)>;
          if constexpr (std::is_same_v<T, std::string>) {
            *m = v.get<std::string>();
          } else if constexpr (std::is_same_v<T, bool>) {
            *m = v.is_boolean() ? v.get<bool>() : v.get<double>() != 0;
          } else {
            *m = static_cast<T>(v.get<double>());
          }
        },
        f.member(p));
  }
  return p;
}

/// The tree of a P (every declared key), the inverse of params_from_tree.
template <class P>
nlohmann::json params_to_tree(const P& p, const std::vector<ParamField<P>>& fields) {
  nlohmann::json j = nlohmann::json::object();
  P copy = p;
  for (const auto& f : fields) {
    nlohmann::json v;
    std::visit(
        [&v](auto* m) {
          using T = std::remove_pointer_t<decltype(m)>;
          v = static_cast<T>(*m);
        },
        f.member(copy));
    j[param_pointer(f.info.path)] = v;
  }
  return j;
}

/// The parameters of `p` that set an RTL parameter, as "key=value" separated by spaces in
/// declaration order (integers; bools 0 / 1): how the rtl backend compares a requested config with
/// a verilated one. CMake writes the same list from the config JSON (lowbit_unit_rtl_params).
template <class P>
std::string rtl_param_list(const P& p, const std::vector<ParamField<P>>& fields) {
  std::string out;
  P copy = p;
  for (const auto& f : fields) {
    if (f.info.rtl_name.empty()) continue;
    double value = 0;  // RTL parameters are numbers (ints, bools)
    std::visit(
        [&value](auto* m) {
          using T = std::remove_pointer_t<decltype(m)>;
          if constexpr (!std::is_same_v<T, std::string>) value = static_cast<double>(*m);
        },
        f.member(copy));
    if (!out.empty()) out += ' ';
    out += f.info.path;
    out += '=';
    out += nlohmann::json(value == static_cast<double>(static_cast<long long>(value))
                              ? nlohmann::json(static_cast<long long>(value))
                              : nlohmann::json(value))
               .dump();
  }
  return out;
}

}  // namespace lowbit
