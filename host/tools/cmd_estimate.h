// `lowbit estimate`: the analytical tier's metrics for a workload on a config, without simulating.
#pragma once

#include <CLI/CLI.hpp>

namespace lowbit {

void add_estimate_command(CLI::App& app);

}  // namespace lowbit
