// The lutcore unit in the rtl backend (loader side): typed calls into the plugin.
#include "host/lib/backends/rtl/lutcore/lutcore_rtl.h"

#include "host/lib/backends/rtl/rtl_tiles.h"
#include "sim/lutcore/lutcore_driver.h"

namespace lowbit {

std::unique_ptr<ILutcoreTile> make_lutcore_rtl_tile(const std::string& config_name,
                                                    const LutcoreParams& params, StatGroup& stats) {
  return make_rtl_tile<ILutcoreTile>("lutcore", config_name, params, lutcore_param_fields(), stats);
}

std::unique_ptr<CoreDriver> make_lutcore_rtl_driver(const HwConfig& hw, StatGroup& stats) {
  return make_lutcore_driver(hw, stats, [cfg = hw.name, p = lutcore_params(hw)](int, StatGroup& s) {
    return make_lutcore_rtl_tile(cfg, p, s);
  });
}

}  // namespace lowbit
