// `lowbit params`: every declared hardware parameter (top and each unit), as a table or JSON.
#pragma once

#include <CLI/CLI.hpp>

namespace lowbit {

/// Adds `params`: Markdown tables by default, `--json` the machine-readable form that CMake and
/// the characterization flow read (committed as rtl/params.json, checked by ctest).
void add_params_command(CLI::App& app);

}  // namespace lowbit
