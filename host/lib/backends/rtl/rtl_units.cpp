// The one list of the units' Verilated-tile drivers (the rtl-side registration of a unit).
#include "host/lib/backends/rtl/rtl_units.h"

#include <utility>

#include "host/lib/backends/rtl/bitmod/bitmod_rtl.h"
#include "host/lib/backends/rtl/lutcore/lutcore_rtl.h"
#include "host/lib/backends/rtl/mac/mac_rtl.h"
#include "host/lib/backends/rtl/mixpe/pe_array_rtl_tile.h"

namespace lowbit {

CoreDriverMaker find_rtl_driver(std::string_view unit) {
  static const std::pair<std::string_view, CoreDriverMaker> makers[] = {
      {"lutcore", &make_lutcore_rtl_driver},
      {"mixpe", &make_mixpe_rtl_driver},
      {"mac", &make_mac_rtl_driver},
      {"bitmod", &make_bitmod_rtl_driver},
  };
  for (const auto& [name, make] : makers) {
    if (name == unit) return make;
  }
  return nullptr;
}

}  // namespace lowbit
