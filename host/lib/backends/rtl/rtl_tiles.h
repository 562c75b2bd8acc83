// rtl backend: the Verilated compute tiles, loaded on demand from the plugin
// liblowbit_rtl_tiles.so.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/lib/backends/rtl/rtl_tiles_abi.h"
#include "model/arch/param_info.h"
#include "sim/common/stats.h"

namespace lowbit {

/// The Verilated RTL of config `config_name` of unit `unit` ("lutcore_m2n8k4" or "m2n8k4") behind
/// the unit's tile interface, made by the plugin. `params` points to the unit's parameter struct
/// and `rtl_params` is its rtl_param_list(), which must equal the verilated one. Returns the tile
/// as a pointer to that interface (owned by the caller). Every cycle the tile also steps the
/// unit's C++ model with the same inputs and compares every output pin: a difference throws
/// std::runtime_error naming the config, the cycle and the pin. The model's counters go to `stats`
/// (which must outlive the tile), so the stats equal the sim backend's.
/// Throws InputError (one line) if the plugin is not built or cannot be loaded, if the unit has no
/// RTL in it, or if that config was not verilated or its parameters differ (the message lists the
/// verilated configs).
void* make_rtl_tile_raw(const std::string& unit, const std::string& config_name,
                        const std::string& rtl_params, const void* params, StatGroup& stats);

/// make_rtl_tile_raw() for a unit whose tile interface is Interface and whose parameter struct P
/// is declared by `fields`.
template <class Interface, class P>
std::unique_ptr<Interface> make_rtl_tile(const std::string& unit, const std::string& config_name,
                                         const P& params, const std::vector<ParamField<P>>& fields,
                                         StatGroup& stats) {
  return std::unique_ptr<Interface>(static_cast<Interface*>(
      make_rtl_tile_raw(unit, config_name, rtl_param_list(params, fields), &params, stats)));
}

/// True if the plugin loads; else false and the one-line reason in `why` (if given).
bool rtl_tiles_available(std::string* why);

/// Names of the verilated configs in the plugin ("lutcore_m2n8k4", "mixpe_8x8", ...). Throws
/// InputError like make_rtl_tile_raw() when the plugin cannot be loaded.
std::vector<std::string> rtl_tiles_configs();

/// Where the loader looks for the plugin, in order: $LOWBIT_RTL_TILES (a file, or a folder holding
/// liblowbit_rtl_tiles.so; when set, nowhere else), else next to the running executable, else
/// the build tree it was compiled in. The plugin is loaded once and stays loaded.
std::vector<std::string> rtl_tiles_search_path();

}  // namespace lowbit
