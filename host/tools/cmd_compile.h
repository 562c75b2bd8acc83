// `lowbit compile`: the program and the tiling decisions for a workload on a config.
#pragma once

#include <CLI/CLI.hpp>

namespace lowbit {
void add_compile_command(CLI::App& app);
}  // namespace lowbit
