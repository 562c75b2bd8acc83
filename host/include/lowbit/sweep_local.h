// The local executor: up to N point processes at a time on this machine.
#pragma once

#include <filesystem>
#include <vector>

#include "lowbit/progress.h"
#include "lowbit/sweep_executor.h"
#include "lowbit/sweep_manifest.h"

namespace lowbit {

/// Runs every point of `points` that is not finished (status ok + stats.json), `jobs` processes at
/// a time, showing progress with an ETA. Each finished process gets its status.json; results are
/// written by the point process itself, atomically. SIGINT / SIGTERM stop the sweep: running
/// points are killed (SIGTERM, then SIGKILL after 2 s) and get no status, so --resume reruns them;
/// every finished point stays intact. The manifest is not touched.
RunSummary run_local(const SweepDir& dir, const std::vector<SweepPoint>& points,
                     const std::filesystem::path& exe, int jobs, ProgressOptions progress = {});

}  // namespace lowbit
