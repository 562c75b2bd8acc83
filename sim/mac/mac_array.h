// SystemC cycle model of mac_array (pins of rtl/mac/mac_array.sv, core in mac_core.h).
#pragma once

#include "sim/mac/mac_core.h"
#include "sim/mixpe/pe_array_sc.h"

namespace lowbit {

template <int R, int C>
using MacArray = PeArraySc<MacCore, R, C>;

}  // namespace lowbit
