// Parsing of whole hardware configs: top-level keys, the core's subtree and the top's subtree.
#include "sim/top/hw_config.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "model/json/json_input.h"

namespace lowbit {

const char* core_kind_name(CoreKind k) {
  switch (k) {
    case CoreKind::kLutcore: return "lutcore";
    case CoreKind::kMixpe: return "mixpe";
    case CoreKind::kMac: return "mac";
  }
  return "?";
}

nlohmann::json HwConfig::to_json() const {
  nlohmann::json j = {{"name", name}, {"description", description}, {"core", core_kind_name(core)}};
  if (core == CoreKind::kLutcore) {
    j["lutcore"] = {{"m", lutcore.m},
                    {"n", lutcore.n},
                    {"k", lutcore.k},
                    {"g", lutcore.g},
                    {"fp16", lutcore.fp16},
                    {"dequant_lanes", lutcore.dequant_lanes},
                    {"symmetric", lutcore.symmetric}};
  } else {
    j[core_kind_name(core)] = {{"rows", array.rows}, {"cols", array.cols}, {"fp16", array.fp16}};
  }
  j["top"] = top_params_to_json(top);
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
    throw ConfigError(fmt::format("{}: core: missing or not a string; allowed: lutcore, mixpe, mac",
                                  source));
  }
  const std::string core = doc.at("core").get<std::string>();
  if (core == "lutcore") {
    c.core = CoreKind::kLutcore;
  } else if (core == "mixpe") {
    c.core = CoreKind::kMixpe;
  } else if (core == "mac") {
    c.core = CoreKind::kMac;
  } else {
    throw ConfigError(
        fmt::format("{}: core: '{}' is not a core; allowed: lutcore, mixpe, mac", source, core));
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "name" && key != "description" && key != "core" && key != "top" && key != core) {
      throw ConfigError(fmt::format(
          "{}: {}: unknown key; allowed keys: name, description, core, {}, top", source, key, core));
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
  try {
    if (c.core == CoreKind::kLutcore) {
      c.lutcore = lutcore_params_from_json(doc, source);
    } else {
      c.array = pe_array_params_from_json(doc, core, source);
    }
  } catch (const LutcoreConfigError& e) {
    throw ConfigError(e.what());
  } catch (const PeArrayConfigError& e) {
    throw ConfigError(e.what());
  }
  c.top = top_params_from_json(doc, source);
  return c;
}

HwConfig load_hw_config(const std::string& path) {
  nlohmann::json doc;
  try {
    doc = read_json_input(path);
  } catch (const JsonInputError& e) {
    throw ConfigError(e.what());
  }
  return hw_config_from_json(doc, path);
}

}  // namespace lowbit
