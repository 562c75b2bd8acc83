// `lowbit formats`: the table of every number format, or every code of one small format as CSV.
#pragma once

#include <CLI/CLI.hpp>

namespace lowbit {

/// Adds the subcommand `formats` to `app`. Without options it prints one row per format (name,
/// bits, min/max finite, min normal, min subnormal, special values); `--codes NAME` prints every
/// code of a format of 8 bits or fewer as CSV `code,value`. An unknown or too-wide NAME throws
/// lowbit::InputError (one line naming the allowed formats), which main() reports with exit code 2.
void add_formats_command(CLI::App& app);

}  // namespace lowbit
