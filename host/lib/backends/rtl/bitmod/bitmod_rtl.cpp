// The bitmod unit in the rtl backend (loader side): the PE-array core driver on the Verilated
// bitmod_array (in lockstep with BitmodCore) through the two-slice step feeder.
#include "host/lib/backends/rtl/bitmod/bitmod_rtl.h"

#include "host/lib/backends/rtl/mixpe/pe_array_rtl_tile.h"
#include "sim/bitmod/bitmod_step_feeder.h"
#include "sim/mixpe/pe_array_driver.h"

namespace lowbit {

std::unique_ptr<CoreDriver> make_bitmod_rtl_driver(const HwConfig& hw, StatGroup& stats) {
  return make_pe_array_driver(
      hw, stats, [cfg = hw.name, p = pe_array_params(hw)](int, StatGroup& s) {
        return std::unique_ptr<IPeArray>(
            new BitmodStepFeeder(make_pe_array_rtl("bitmod", cfg, p, s), p));
      });
}

}  // namespace lowbit
