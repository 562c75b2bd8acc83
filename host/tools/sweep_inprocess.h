// The analytic tier's sweep points estimated inside the sweep's own process, on threads.
#pragma once

#include <vector>

#include "lowbit/progress.h"
#include "lowbit/sweep_executor.h"
#include "lowbit/sweep_manifest.h"

namespace lowbit {

/// Estimates every analytic-tier point of `points` that is not finished, `jobs` at a time on
/// threads of this process, instead of one `lowbit estimate` process per point. Each point's
/// files are what that process would write: stats.json (the same bytes), log.txt (its console
/// lines, or the one-line error) and status.json (exit code 0, 2 for bad input, 1 for an
/// internal error). SIGINT / SIGTERM stop taking new points; every finished point stays intact.
RunSummary run_analytic_inprocess(const SweepDir& dir, const std::vector<SweepPoint>& points,
                                  int jobs, ProgressOptions progress = {});

}  // namespace lowbit
