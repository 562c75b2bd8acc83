// `lowbit characterization`: area and energy per MAC of every characterized unit's mpGEMM core.
#pragma once

#include <CLI/CLI.hpp>

namespace lowbit {

/// Adds `characterization`: per characterization entry and weight width, the core's area per
/// MAC/cycle and energy per MAC on INT8 and FP16 activation data (model/cost/per_mac_cost.h), as
/// a table or (`--json`) the document scripts/results reads.
void add_characterization_command(CLI::App& app);

}  // namespace lowbit
