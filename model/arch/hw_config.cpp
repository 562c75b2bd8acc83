// Parsing of whole hardware configs: top-level keys, the unit's subtree and the top's subtree.
#include "model/arch/hw_config.h"

#include <fmt/format.h>

#include "model/arch/unit_registry.h"
#include "model/json/json_input.h"

namespace lowbit {

nlohmann::json HwConfig::to_json() const {
  nlohmann::json j = {{"name", name}, {"description", description}, {"core", unit_name()}};
  j[unit_name()] = unit_params;
  j["top"] = top_params_to_json(top);
  j["vector"] = vector_params_to_json(vector);
  return j;
}

HwConfig hw_config_from_json(const nlohmann::json& doc, std::string_view source) {
  if (!doc.is_object()) {
    throw ConfigError(
        fmt::format("{}: (top): the config must be a JSON object; allowed: an object with core, "
                    "its unit and top",
                    source));
  }
  HwConfig c;
  c.source = std::string(source);
  if (!doc.contains("core") || !doc.at("core").is_string()) {
    throw ConfigError(
        fmt::format("{}: core: missing or not a string; allowed: {}", source, unit_names()));
  }
  const std::string core = doc.at("core").get<std::string>();
  c.unit = find_unit_spec(core);
  if (c.unit == nullptr) {
    throw ConfigError(
        fmt::format("{}: core: '{}' is not a core; allowed: {}", source, core, unit_names()));
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "name" && key != "description" && key != "core" && key != "top" && key != "vector" &&
        key != core) {
      throw ConfigError(
          fmt::format("{}: {}: unknown key; allowed keys: name, description, core, {}, top, "
                      "vector",
                      source, key, core));
    }
  }
  auto str = [&](const char* key) {
    if (!doc.contains(key)) return std::string();
    if (!doc.at(key).is_string()) {
      throw ConfigError(fmt::format("{}: {}: must be a string; allowed: a string", source, key));
    }
    return doc.at(key).get<std::string>();
  };
  c.name = str("name");
  c.description = str("description");
  if (!doc.contains(core)) {
    std::string keys;
    for (const auto& i : c.unit->params()) keys += (keys.empty() ? "" : ", ") + i.path;
    throw ConfigError(
        fmt::format("{}: {}: missing; allowed: an object with keys {}", source, core, keys));
  }
  c.unit_params = read_param_tree(&doc.at(core), c.unit->params(), source, core);
  c.unit->check(c.unit_params, source);
  c.geometry = c.unit->geometry(c.unit_params);
  c.top = top_params_from_json(doc, source);
  c.vector = vector_params_from_json(doc, source);
  return c;
}

nlohmann::json read_config_json(const std::string& path) {
  try {
    return read_json_input(path);  // size and nesting limits before parsing (issue 16)
  } catch (const JsonInputError& e) {
    throw ConfigError(e.what());
  }
}

HwConfig load_hw_config(const std::string& path) {
  return hw_config_from_json(read_config_json(path), path);
}

}  // namespace lowbit
