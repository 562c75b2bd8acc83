// The one list of the units' Verilated-tile drivers (the rtl-side registration of a unit).
#include "host/lib/backends/rtl/rtl_units.h"

#include <utility>

#include "host/lib/backends/rtl/rtl_tiles.h"
#include "model/arch/lutcore/lutcore_params.h"
#include "model/arch/pe_array_params.h"

namespace lowbit {
namespace {

std::unique_ptr<CoreDriver> lutcore_rtl_driver(const HwConfig& hw, StatGroup& stats) {
  return make_lutcore_driver(hw, stats, [cfg = hw.name, p = lutcore_params(hw)](int, StatGroup& s) {
    return make_lutcore_rtl_tile(cfg, p, s);
  });
}

template <const char* kUnit>
std::unique_ptr<CoreDriver> pe_array_rtl_driver(const HwConfig& hw, StatGroup& stats) {
  return make_pe_array_driver(hw, stats,
                              [cfg = hw.name, p = pe_array_params(hw)](int, StatGroup& s) {
                                return make_pe_array_rtl(kUnit, cfg, p, s);
                              });
}

constexpr char kMixpe[] = "mixpe";
constexpr char kMac[] = "mac";

}  // namespace

CoreDriverMaker find_rtl_driver(std::string_view unit) {
  static const std::pair<std::string_view, CoreDriverMaker> makers[] = {
      {"lutcore", &lutcore_rtl_driver},
      {kMixpe, &pe_array_rtl_driver<kMixpe>},
      {kMac, &pe_array_rtl_driver<kMac>},
  };
  for (const auto& [name, make] : makers) {
    if (name == unit) return make;
  }
  return nullptr;
}

}  // namespace lowbit
