// Factories of the accelerator backends (registered by name in accelerator.cpp).
#pragma once

#include <memory>

#include "lowbit/accelerator.h"

namespace lowbit {

std::unique_ptr<Accelerator> make_golden_accelerator(const HwConfig& hw, const ConnectOptions& o);
std::unique_ptr<Accelerator> make_sim_accelerator(const HwConfig& hw, const ConnectOptions& o);
std::unique_ptr<Accelerator> make_rtl_accelerator(const HwConfig& hw, const ConnectOptions& o);

}  // namespace lowbit
