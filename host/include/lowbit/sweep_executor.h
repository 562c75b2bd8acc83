// What an executor reports after running a batch of sweep points.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace lowbit {

/// Outcome of one executor call over the points it was given.
struct RunSummary {
  size_t skipped = 0;               ///< already finished (--resume)
  size_t ok = 0;                    ///< finished now
  std::vector<std::string> failed;  ///< ids whose run failed (status "failed")
  size_t not_run = 0;               ///< not started or killed because the sweep was interrupted
  int interrupted_by = 0;           ///< the signal that stopped the sweep, or 0
};

}  // namespace lowbit
