// `lowbit estimate --batch FILE`: many analytic-tier points in one process (docs/analytic.md).
#pragma once

#include <string>
#include <vector>

#include "lowbit/workload.h"
#include "model/arch/hw_config.h"

namespace lowbit {

/// One point of a batch file: its config (overrides applied) and workload, both validated.
struct BatchPoint {
  HwConfig hw;
  Workload workload;
};

/// Reads a batch file: a JSON object {"points": [point, ...]}; a point has the keys of the
/// command line of `lowbit estimate`: "config" (file, relative to the batch file's folder, then
/// the working directory; default the built-in config), "set" (list of "key.path=value"),
/// "workload" (file or preset) or the single-layer keys "m", "n", "k", "weights", "activations",
/// "group", and "context". Every point is checked (config, overrides, workload) before any is
/// estimated: an unknown key, a value of the wrong type or out of range throws InputError with
/// one line naming the file, the point and the key.
std::vector<BatchPoint> read_estimate_batch(const std::string& path);

/// One JSON Lines row per point: {"point": i, "metrics": {...}} with the metrics of estimate_run
/// (the same object `lowbit estimate --stats` writes under "metrics").
std::string estimate_batch_jsonl(const std::vector<BatchPoint>& points);

}  // namespace lowbit
