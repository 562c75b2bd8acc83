// `lowbit report`: report.json, report.csv and report.html from stats.json files and a CPU result.
#pragma once

#include <CLI/CLI.hpp>

namespace lowbit {

void add_report_command(CLI::App& app);

}  // namespace lowbit
