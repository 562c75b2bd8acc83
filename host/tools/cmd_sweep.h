// `lowbit sweep`: design-space exploration over config keys, local or on Slurm (docs/sweep.md).
#pragma once

#include <CLI/CLI.hpp>

namespace lowbit {

/// Adds `sweep` and the hidden `sweep-task` (the body of one Slurm array task).
void add_sweep_commands(CLI::App& app);

}  // namespace lowbit
