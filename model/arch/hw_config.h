// A named hardware configuration (configs/*.json): the compute unit, its parameters and the top.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "model/arch/config_error.h"
#include "model/arch/top_params.h"
#include "model/arch/unit_spec.h"
#include "model/arch/vector_params.h"

namespace lowbit {

/// A whole hardware config. Every component reads only its own subtree (Ramulator's rule); the
/// unit's subtree is kept as a checked tree that the unit's own code turns into its typed struct
/// (lutcore_params(hw), pe_array_params(hw)).
struct HwConfig {
  std::string name;
  std::string description;
  std::string source;               ///< file the config came from (for messages)
  const IUnitSpec* unit = nullptr;  ///< the compute unit (registry entry, never null once parsed)
  nlohmann::json unit_params;       ///< the unit's subtree, every declared key present
  UnitGeometry geometry;            ///< what unit_params imply (unit->geometry)
  TopParams top;
  VectorParams vector;  ///< the vector unit and the KV cache (docs/decoder.md)

  /// The config's "core" value: the unit name.
  std::string unit_name() const { return std::string(unit->name()); }
  /// The config as JSON with every declared key present (defaults filled in): what `--set` edits.
  nlohmann::json to_json() const;
};

/// Parses a config document; unknown top-level keys, a missing or unknown core and every subtree
/// error throw ConfigError (one line: source, key, what is allowed).
HwConfig hw_config_from_json(const nlohmann::json& doc, std::string_view source);
/// Reads a config file (malformed JSON is a ConfigError too).
HwConfig load_hw_config(const std::string& path);
/// Reads a JSON file for the config readers; ConfigError when unreadable or malformed.
nlohmann::json read_config_json(const std::string& path);

}  // namespace lowbit
