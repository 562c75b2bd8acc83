// Running one sweep point as its own process (SystemC elaborates once per process).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "lowbit/sweep_manifest.h"

namespace lowbit {

/// The command line of a point: `<exe> run --config points/<id>/config.json --workload <file>
/// --backend <b> -o result.json --stats stats.json --no-progress` for the cycle tier, `<exe>
/// estimate --config ... --workload ... --stats stats.json` for the analytic tier.
std::vector<std::string> point_command(const std::filesystem::path& exe, const SweepDir& dir,
                                       const SweepPoint& p);

/// Starts the point's process with stdout and stderr appended to points/<id>/log.txt (truncated
/// first) and stdin from /dev/null. The child dies with its parent (PR_SET_PDEATHSIG), so a killed
/// sweep leaves no orphans writing into the folder. Throws std::runtime_error if fork fails.
pid_t spawn_point(const std::filesystem::path& exe, const SweepDir& dir, const SweepPoint& p);

/// The status record for a waitpid() status: "ok" for exit 0, else "failed" with the exit code or
/// minus the signal number.
PointStatus status_from_wait(int wait_status, double seconds);

/// Runs a point to the end in the foreground and records its status; returns the status.
PointStatus run_point_blocking(const std::filesystem::path& exe, const SweepDir& dir,
                               const SweepPoint& p);

/// This machine's host name, as a point's status records it.
std::string this_host();

/// Path of the running executable (/proc/self/exe), for starting points.
std::filesystem::path self_exe();

/// SIGINT / SIGTERM set a flag instead of ending the process, until the guard is destroyed.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  /// The signal received since construction, or 0.
  static int signal();
};

}  // namespace lowbit
