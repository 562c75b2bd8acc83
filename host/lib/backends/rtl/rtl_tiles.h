// rtl backend: the Verilated compute tiles, loaded on demand from the plugin
// liblowbit_rtl_tiles.so.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/lib/backends/rtl/rtl_tiles_abi.h"
#include "sim/common/stats.h"
#include "sim/lutcore/i_lutcore_tile.h"
#include "sim/mixpe/i_pe_array.h"

namespace lowbit {

/// The Verilated RTL of lutcore config `config_name` ("lutcore_m2n8k4" or "m2n8k4"; `params` must
/// equal its verilated parameters) behind ILutcoreTile. Every cycle it also steps the C++ model of
/// the same config with the same inputs and compares every output pin: a difference throws
/// std::runtime_error naming the config, the cycle and the pin. The model's counters go to
/// `stats` (which must outlive the tile), so the stats equal the sim backend's.
/// Throws InputError (one line) if the plugin is not built or cannot be loaded, or if that config
/// was not verilated or `params` differ (the message lists the verilated configs).
std::unique_ptr<ILutcoreTile> make_lutcore_rtl_tile(const std::string& config_name,
                                                    const LutcoreParams& params, StatGroup& stats);

/// The same for a PE array: `unit` "mixpe" or "mac", `config_name` "mixpe_8x8" (or "8x8").
/// The 64 x 64 arrays are verilated only with -DLOWBIT_MIXPE_RTL_64X64=ON (and their eval needs
/// `ulimit -s unlimited`, see docs/mixpe.md).
std::unique_ptr<IPeArray> make_pe_array_rtl(const std::string& unit, const std::string& config_name,
                                            const PeArrayParams& params, StatGroup& stats);

/// True if the plugin loads; else false and the one-line reason in `why` (if given).
bool rtl_tiles_available(std::string* why);

/// Names of the verilated configs in the plugin ("lutcore_m2n8k4", "mixpe_8x8", ...). Throws
/// InputError like make_lutcore_rtl_tile() when the plugin cannot be loaded.
std::vector<std::string> rtl_tiles_configs();

/// Where the loader looks for the plugin, in order: $LOWBIT_RTL_TILES (a file, or a folder holding
/// liblowbit_rtl_tiles.so; when set, nowhere else), else next to the running executable, else
/// the build tree it was compiled in. The plugin is loaded once and stays loaded.
std::vector<std::string> rtl_tiles_search_path();

}  // namespace lowbit
