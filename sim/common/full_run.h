// LOWBIT_SIM_FULL=1: the cycle models do every per-cycle computation they may otherwise skip
// (docs/top.md "Skipped work"), so a test can compare the stats and outputs of both runs.
#pragma once

#include <cstdlib>
#include <cstring>

namespace lowbit {

/// True when the environment asks for the full per-cycle run (read when a model is built).
inline bool sim_full_run() {
  const char* v = std::getenv("LOWBIT_SIM_FULL");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

}  // namespace lowbit
