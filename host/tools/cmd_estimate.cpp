// `lowbit estimate`: tile-level analytical estimate of `lowbit run`'s metrics (sweep_analytic.h).
#include "cmd_estimate.h"

#include <fmt/format.h>

#include <memory>
#include <string>

#include "lowbit/atomic_file.h"
#include "lowbit/output_path.h"
#include "lowbit/sweep_analytic.h"
#include "run_inputs.h"

namespace lowbit {
namespace {

struct EstimateOptions : WorkloadOptions {
  std::string stats = "stats.json";
};

void estimate(const EstimateOptions& o) {
  const Workload w = workload_from_options(o);
  const HwConfig hw = config_from_options(o);
  check_output_file(o.stats, "--stats");
  const RunRecord r = estimate_run(hw, w);
  const RunMetrics& m = *r.metrics;
  fmt::print("lowbit estimate: workload {} on {} ({}), analytical tier\n", w.name,
             hw.name.empty() ? hw.source : hw.name, hw.unit_name());
  fmt::print(
      "cycles: {:.0f} ({:.4g} s at {} MHz); roofline bound {:.0f} ({:.3f}x); tokens/s "
      "{:.2f}\n",
      static_cast<double>(m.cycles), m.seconds, hw.top.clock_mhz, m.roofline_bound_cycles,
      m.cycles_over_bound, m.tokens_per_second);
  write_file_atomic(o.stats, stats_json(r).dump(2) + "\n");
}

}  // namespace

void add_estimate_command(CLI::App& app) {
  auto opts = std::make_shared<EstimateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "estimate", "Analytical (tile-level) estimate of a run's metrics, without simulating");
  add_workload_options(cmd, *opts);
  cmd->add_option("--stats", opts->stats, "Write stats.json (metrics, tiling) here")
      ->capture_default_str();
  cmd->callback([opts] { estimate(*opts); });
}

}  // namespace lowbit
