// Helpers of the weight-codec tests (BitMoD and FP4 weights): a named config and the error a
// unit's layout gives for a format it cannot run.
#pragma once

#include <string>

#include "model/arch/config_error.h"
#include "model/arch/hw_config.h"
#include "model/arch/tile_layout.h"

namespace lowbit::test {

inline HwConfig config(const std::string& name) {
  return load_hw_config(std::string(LOWBIT_SOURCE_DIR_FALLBACK) + "/configs/" + name + ".json");
}

// TileLayout::check_codec's message for f on hw, or "" when the unit runs f.
inline std::string codec_error(const HwConfig& hw, const OpFormat& f) {
  try {
    TileLayout(hw, f).check_codec("where");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace lowbit::test
