// SystemC cycle model of mixpe_array (pins of rtl/mixpe/mixpe_array.sv, core in mixpe_core.h).
#pragma once

#include "sim/mixpe/mixpe_core.h"
#include "sim/mixpe/pe_array_sc.h"

namespace lowbit {

template <int R, int C>
using MixpeArray = PeArraySc<MixpeCore, R, C>;

}  // namespace lowbit
