// `lowbit estimate`: the analytical tier's metrics for a workload on a config, without simulating.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "lowbit/run_record.h"
#include "lowbit/workload.h"
#include "model/arch/hw_config.h"

namespace lowbit {

void add_estimate_command(CLI::App& app);

/// The two lines `lowbit estimate` prints for a point (workload and design; cycles, time, bound).
std::string estimate_summary(const HwConfig& hw, const Workload& w, const RunRecord& r);

}  // namespace lowbit
