// lowbit.sweep(): a sweep spec's points run by the local executor (each a `lowbit run` or `lowbit
// estimate` process of the CLI), returned as the rows of the results table.
#pragma once

#include <pybind11/pybind11.h>

#include <filesystem>
#include <optional>
#include <string>

namespace lowbit::py {

/// `spec`: a spec file (str / PathLike) or the spec document as a dict (relative paths in it are
/// taken from the current folder). Writes the sweep folder `output` as `lowbit sweep` does
/// (manifest, points/, results.csv, results.sqlite) and returns one dict per point: column ->
/// value (docs/sweep.md, "Results"). `tier`: "cycle" or "analytic" (None: the spec's).
pybind11::list sweep(const pybind11::object& spec, const std::filesystem::path& output,
                     const std::optional<std::string>& tier, int jobs, bool resume);

/// The CLI the points run: $LOWBIT_CLI when set, else the one built beside this module.
std::filesystem::path cli_path();

}  // namespace lowbit::py
