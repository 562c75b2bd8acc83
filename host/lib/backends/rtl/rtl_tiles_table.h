// The tiles a build of the plugin holds: one entry per named config (generated from configs/).
#pragma once

#include <string>
#include <vector>

#include "sim/common/stats.h"
#include "sim/lutcore/i_lutcore_tile.h"
#include "sim/mixpe/i_pe_array.h"

namespace lowbit::rtl_tiles {

/// A lutcore config: its verilated parameters and the adapter's factory (nullptr when the config
/// exists but was not verilated; `why_not` says why).
struct LutcoreEntry {
  const char* name;  ///< "lutcore_<cfg>", the config file's stem
  LutcoreParams params;
  ILutcoreTile* (*make)(const std::string& name, const LutcoreParams& p, StatGroup& stats);
  const char* why_not;
};

/// A mixpe or mac config (see LutcoreEntry).
struct PeArrayEntry {
  const char* unit;  ///< "mixpe" or "mac"
  const char* name;  ///< "<unit>_<cfg>"
  PeArrayParams params;
  IPeArray* (*make)(const std::string& name, const PeArrayParams& p, StatGroup& stats);
  const char* why_not;
};

/// Every named lutcore config of the build, verilated or not (rtl_tiles_table.cpp, generated).
const std::vector<LutcoreEntry>& lutcore_table();
/// Every named mixpe and mac config of the build, verilated or not.
const std::vector<PeArrayEntry>& pe_array_table();

}  // namespace lowbit::rtl_tiles
