// SystemC cycle model of bitmod_array (pins of rtl/bitmod/bitmod_array.sv, core in bitmod_core.h).
#pragma once

#include "sim/bitmod/bitmod_core.h"
#include "sim/mixpe/pe_array_sc.h"

namespace lowbit {

template <int R, int C>
using BitmodArray = PeArraySc<BitmodCore, R, C>;

}  // namespace lowbit
