// The workload and config arguments of lowbit.run() and lowbit.estimate() as the CLI's inputs
// (run_inputs.h): the same rules and the same error lines as `lowbit run`'s flags.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "run_inputs.h"

namespace lowbit::py {

/// Python's keyword arguments, as WorkloadOptions (the options of `lowbit run`).
struct InputArgs {
  std::optional<std::filesystem::path> workload;  ///< a file or a preset name
  std::optional<std::filesystem::path> model;
  std::optional<int> m, n, k;
  std::string weights, acts;
  int group = 0;
  std::string dist;
  uint64_t seed = 0;
  std::string blocks;
  std::vector<std::string> layers;
  std::optional<std::filesystem::path> config;
  pybind11::object set;  ///< dict {key.path: value} or None
};
WorkloadOptions workload_options(const InputArgs& a);

/// `set={"top.tiles": 2, "top.dram.preset": "hbm2"}` as `--set` assignments: bool as true/false,
/// int and float as Python writes them, str verbatim, list as a JSON array; another type is an
/// InputError naming the key.
std::vector<std::string> set_assignments(const pybind11::handle& set);

}  // namespace lowbit::py
