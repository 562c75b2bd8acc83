// The analytic backend of lowbit::run(): the tile-level model of the compiled program
// (estimate_run, lowbit/sweep_analytic.h, docs/sweep.md "Analytic tier"). No data is made and
// nothing runs, so there is nothing to verify, dump or trace.
#include <fmt/format.h>

#include <chrono>

#include "lowbit/error.h"
#include "lowbit/sweep_analytic.h"
#include "run_steps.h"

namespace lowbit {

RunRecord run_analytic(const RunRequest& q) {
  const auto wall0 = std::chrono::steady_clock::now();
  for (const auto& [option, path] :
       {std::pair<const char*, const std::string&>{"--trace", q.trace_path},
        {"--vcd", q.vcd_path},
        {"--dump", q.dump_dir}}) {
    if (!path.empty()) {
      throw InputError(fmt::format(
          "{}: the analytic backend runs nothing and makes no data; allowed: golden, sim, rtl "
          "(and cpu for --dump)",
          option));
    }
  }
  RunRecord r = estimate_run(q.config, q.workload);
  r.backend = q.backend;
  if (q.on_start) q.on_start(r);
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return r;
}

}  // namespace lowbit
