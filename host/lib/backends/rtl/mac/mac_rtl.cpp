// The mac unit in the rtl backend (loader side).
#include "host/lib/backends/rtl/mac/mac_rtl.h"

#include "host/lib/backends/rtl/mixpe/pe_array_rtl_tile.h"

namespace lowbit {

std::unique_ptr<CoreDriver> make_mac_rtl_driver(const HwConfig& hw, StatGroup& stats) {
  return make_pe_array_rtl_driver("mac", hw, stats);
}

}  // namespace lowbit
