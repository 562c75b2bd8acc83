// `lowbit run`: runs a workload on a backend and prints the summary.
#pragma once

#include <CLI/CLI.hpp>

namespace lowbit {

/// Adds the `run` subcommand; its callback throws InputError on bad input.
void add_run_command(CLI::App& app);

}  // namespace lowbit
