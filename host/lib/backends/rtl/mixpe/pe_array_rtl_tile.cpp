// The PE-array units in the rtl backend (loader side): typed calls into the plugin.
#include "host/lib/backends/rtl/mixpe/pe_array_rtl_tile.h"

#include "host/lib/backends/rtl/rtl_tiles.h"
#include "sim/mixpe/pe_array_driver.h"

namespace lowbit {

std::unique_ptr<IPeArray> make_pe_array_rtl(const std::string& unit, const std::string& config_name,
                                            const PeArrayParams& params, StatGroup& stats) {
  return make_rtl_tile<IPeArray>(unit, config_name, params, pe_array_param_fields(), stats);
}

std::unique_ptr<CoreDriver> make_pe_array_rtl_driver(const std::string& unit, const HwConfig& hw,
                                                     StatGroup& stats) {
  return make_pe_array_driver(hw, stats,
                              [unit, cfg = hw.name, p = pe_array_params(hw)](int, StatGroup& s) {
                                return make_pe_array_rtl(unit, cfg, p, s);
                              });
}

std::unique_ptr<CoreDriver> make_mixpe_rtl_driver(const HwConfig& hw, StatGroup& stats) {
  return make_pe_array_rtl_driver("mixpe", hw, stats);
}

}  // namespace lowbit
