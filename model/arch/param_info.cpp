// Generic reading and checking of declared parameter subtrees (see param_info.h).
#include "model/arch/param_info.h"

#include <fmt/format.h>

#include <cmath>

namespace lowbit {

const char* param_type_name(ParamType t) {
  switch (t) {
    case ParamType::kInt:
      return "int";
    case ParamType::kBool:
      return "bool";
    case ParamType::kFloat:
      return "float";
    case ParamType::kString:
      return "string";
  }
  return "?";
}

std::string param_allowed(const ParamInfo& info) {
  const std::string unit = info.unit.empty() ? "" : " " + info.unit;
  switch (info.type) {
    case ParamType::kBool:
      return "allowed: true or false";
    case ParamType::kInt:
      return fmt::format("allowed: an integer in [{}, {}]{}", info.min_value, info.max_value, unit);
    case ParamType::kFloat:
      return fmt::format("allowed: a number in [{}, {}]{}", info.min_value, info.max_value, unit);
    case ParamType::kString:
      return "allowed: a string (" + info.description + ")";
  }
  return "";
}

namespace {

std::string key_of(std::string_view prefix, std::string_view path) {
  if (prefix.empty()) return std::string(path);
  if (path.empty()) return std::string(prefix);
  return fmt::format("{}.{}", prefix, path);
}

[[noreturn]] void fail(std::string_view source, std::string_view prefix, std::string_view path,
                       const std::string& what) {
  throw ConfigError(fmt::format("{}: {}: {}", source, key_of(prefix, path), what));
}

// Leaf keys of a JSON object as dotted paths (objects are descended into).
void leaves(const nlohmann::json& j, const std::string& prefix,
            std::vector<std::pair<std::string, const nlohmann::json*>>& out) {
  for (const auto& [key, value] : j.items()) {
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object()) {
      leaves(value, path, out);
    } else {
      out.emplace_back(path, &value);
    }
  }
}

std::string names_of(const std::vector<ParamInfo>& infos) {
  std::string names;
  for (const auto& i : infos) names += (names.empty() ? "" : ", ") + i.path;
  return names;
}

}  // namespace

nlohmann::json::json_pointer param_pointer(std::string_view path) {
  std::string s = "/" + std::string(path);
  for (char& c : s) {
    if (c == '.') c = '/';
  }
  return nlohmann::json::json_pointer(s);
}

nlohmann::json read_param_tree(const nlohmann::json* sub, const std::vector<ParamInfo>& infos,
                               std::string_view source, std::string_view prefix) {
  std::vector<std::pair<std::string, const nlohmann::json*>> given;
  if (sub != nullptr) {
    if (!sub->is_object()) {
      fail(source, prefix, "", "must be an object; allowed keys: " + names_of(infos));
    }
    leaves(*sub, "", given);
  }
  nlohmann::json tree = nlohmann::json::object();
  for (const auto& info : infos) {
    if (info.type == ParamType::kString) {
      tree[param_pointer(info.path)] = "";
    } else if (info.type == ParamType::kBool) {
      tree[param_pointer(info.path)] = info.default_value != 0;
    } else if (info.type == ParamType::kInt) {
      tree[param_pointer(info.path)] = static_cast<int64_t>(info.default_value);
    } else {
      tree[param_pointer(info.path)] = info.default_value;
    }
  }
  for (const auto& [path, value] : given) {
    const ParamInfo* info = nullptr;
    for (const auto& i : infos) {
      if (i.path == path) info = &i;
    }
    if (info == nullptr)
      fail(source, prefix, path, "unknown key; allowed keys: " + names_of(infos));
    const std::string allowed = param_allowed(*info);
    if (info->type == ParamType::kString) {
      if (!value->is_string()) {
        fail(source, prefix, path, value->dump() + " is not a string; " + allowed);
      }
      tree[param_pointer(path)] = value->get<std::string>();
      continue;
    }
    if (info->type == ParamType::kBool) {
      if (!value->is_boolean()) fail(source, prefix, path, "not a boolean; " + allowed);
      tree[param_pointer(path)] = value->get<bool>();
      continue;
    }
    const bool is_int = info->type == ParamType::kInt;
    if (!value->is_number() || (is_int && !value->is_number_integer())) {
      fail(source, prefix, path,
           fmt::format("{} is not a{}; {}", value->dump(), is_int ? "n integer" : " number",
                       allowed));
    }
    const double v = value->get<double>();
    if (!std::isfinite(v) || !(v >= info->min_value && v <= info->max_value)) {
      fail(source, prefix, path, fmt::format("{} out of range; {}", value->dump(), allowed));
    }
    if (is_int) {
      tree[param_pointer(path)] = value->is_number_unsigned()
                                      ? static_cast<int64_t>(value->get<uint64_t>())
                                      : value->get<int64_t>();
    } else {
      tree[param_pointer(path)] = v;
    }
  }
  return tree;
}

double param_value(const nlohmann::json& tree, std::string_view path) {
  const nlohmann::json& v = tree.at(param_pointer(path));
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  return v.get<double>();
}

}  // namespace lowbit
