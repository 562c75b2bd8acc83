// The Slurm executor: one sbatch job array per submission, followed until it ends.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "lowbit/progress.h"
#include "lowbit/sweep_executor.h"
#include "lowbit/sweep_manifest.h"

namespace lowbit {

/// Settings of the Slurm executor.
struct SlurmOptions {
  std::vector<std::string> sbatch_args;  ///< extra sbatch options (--partition=..., --time=...)
  double poll_seconds = 2;               ///< squeue interval
  int max_running = 0;                   ///< array throttle (%N); 0 = no limit
};

/// Writes DIR/slurm/job-<n>.sh (an array of the unfinished points, their ids in tasks-<n>.txt;
/// each task runs `lowbit sweep-task DIR tasks-<n>.txt`, which records the point's status),
/// submits it with `sbatch --parsable`, follows it with `squeue` (progress from the status files),
/// then asks `sacct` for task states (best effort: without accounting storage it says so). The
/// sweep folder and the lowbit binary must be on a filesystem the compute nodes share. SIGINT /
/// SIGTERM cancel the job (scancel). Throws InputError when sbatch is missing or refuses the job.
RunSummary run_slurm(const SweepDir& dir, const std::vector<SweepPoint>& points,
                     const std::filesystem::path& exe, const SlurmOptions& opts,
                     ProgressOptions progress = {});

/// The body of one array task: the point named by line $SLURM_ARRAY_TASK_ID of `tasks`, run in
/// the foreground with its status recorded. Returns the process exit code (0 ok).
int run_slurm_task(const SweepDir& dir, const std::filesystem::path& tasks,
                   const std::filesystem::path& exe);

}  // namespace lowbit
