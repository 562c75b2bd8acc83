// A named hardware configuration (configs/*.json): compute core kind, its tile parameters, the top.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/lutcore/lutcore_params.h"
#include "sim/mixpe/mixpe_params.h"
#include "sim/top/top_params.h"

namespace lowbit {

/// Which compute unit family the accelerator's core is built from (one per config).
enum class CoreKind { kLutcore, kMixpe, kMac };
const char* core_kind_name(CoreKind k);

/// A whole hardware config. Every component reads only its own subtree (Ramulator's rule).
struct HwConfig {
  std::string name;
  std::string description;
  std::string source;  ///< file the config came from (for messages)
  CoreKind core = CoreKind::kLutcore;
  LutcoreParams lutcore;  ///< when core == kLutcore
  PeArrayParams array;    ///< when core == kMixpe or kMac
  TopParams top;

  /// The config as JSON with every declared key present (defaults filled in): what `--set` edits.
  nlohmann::json to_json() const;
};

/// Parses a config document; unknown top-level keys, a missing or unknown core and every subtree
/// error throw ConfigError (one line: source, key, what is allowed).
HwConfig hw_config_from_json(const nlohmann::json& doc, std::string_view source);
/// Reads a config file (malformed JSON is a ConfigError too).
HwConfig load_hw_config(const std::string& path);

}  // namespace lowbit
