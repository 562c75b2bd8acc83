// The PE-array unit a harness is compiled for: XC_UNIT_MAC=1 selects mac, else mixpe (set by
// tests/crosscheck/mixpe.cmake, tests/component/mixpe.cmake and bench/mixpe.cmake per target).
#pragma once

#include "tests/crosscheck/mixpe_stimulus.h"
#if XC_UNIT_MAC
#include "sim/mac/mac_core.h"
#else
#include "sim/mixpe/mixpe_core.h"
#endif

namespace lowbit::mixpe_tb {

#if XC_UNIT_MAC
using Core = MacCore;
inline constexpr Unit kUnit = Unit::kMac;
inline constexpr const char* kUnitName = "mac";
#else
using Core = MixpeCore;
inline constexpr Unit kUnit = Unit::kMixpe;
inline constexpr const char* kUnitName = "mixpe";
#endif

}  // namespace lowbit::mixpe_tb
