// The tiles a build of the plugin holds: one entry per named config (generated from configs/), for
// every unit whose folder here has an rtl_adapter.cmake.
#pragma once

#include <string>
#include <vector>

#include "sim/common/stats.h"

namespace lowbit::rtl_tiles {

/// Makes the lockstep adapter of one verilated config: `params` points to the unit's own parameter
/// struct (Adapter::Params); returns the adapter as a pointer to its Adapter::Interface.
using MakeTileFn = void* (*)(const std::string& name, const void* params, StatGroup& stats);

/// A named config of the build: its unit, its RTL parameters as verilated ("key=value ...", in
/// declaration order: rtl_param_list) and the adapter's factory (nullptr when the config exists
/// but was not verilated; `why_not` says why).
struct TileEntry {
  const char* unit;        ///< the config's "core"
  const char* name;        ///< "<unit>_<cfg>", the config file's stem
  const char* rtl_params;  ///< e.g. "m=2 n=8 k=4 g=4 fp16=1 ..."
  MakeTileFn make;
  const char* why_not;
};

/// Every named config of the build with a unit that has an rtl adapter (generated).
const std::vector<TileEntry>& tile_table();

/// The factory of an adapter class (a unit's rtl_adapter.cmake names it in the table).
template <class Adapter>
void* make_tile(const std::string& name, const void* params, StatGroup& stats) {
  using Interface = typename Adapter::Interface;
  using Params = typename Adapter::Params;
  return static_cast<Interface*>(new Adapter(name, *static_cast<const Params*>(params), stats));
}

}  // namespace lowbit::rtl_tiles
