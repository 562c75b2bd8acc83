// `lowbit estimate`: tile-level analytical estimate of `lowbit run`'s metrics (sweep_analytic.h).
#include "cmd_estimate.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "estimate_batch.h"
#include "lowbit/atomic_file.h"
#include "lowbit/error.h"
#include "lowbit/output_path.h"
#include "lowbit/sweep_analytic.h"
#include "run_inputs.h"

namespace lowbit {
namespace {

struct EstimateOptions : WorkloadOptions {
  std::string stats = "stats.json";
  std::string batch;                       ///< --batch FILE: many points, one process
  std::string output = "estimates.jsonl";  ///< --batch: JSON Lines out
};

// --batch: every point read and checked first, then estimated; one JSON Lines row per point.
void estimate_batch(const EstimateOptions& o) {
  if (!o.workload.empty() || o.m || o.n || o.k || !o.config.empty() || !o.sets.empty() ||
      !o.model.empty() || o.context) {
    throw InputError(
        "--batch: given with a point's options (--workload, --config, --set, --m/--n/--k, "
        "--model, --context); allowed: --batch FILE with --output only (each point says its own)");
  }
  check_output_file(o.output, "--output");
  const auto wall0 = std::chrono::steady_clock::now();
  const std::vector<BatchPoint> points = read_estimate_batch(o.batch);
  write_file_atomic(o.output, estimate_batch_jsonl(points));
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  fmt::print("lowbit estimate: {} points in {:.3f} s ({:.0f} points/s) -> {}\n", points.size(), s,
             static_cast<double>(points.size()) / std::max(s, 1e-9), o.output);
}

void estimate(const EstimateOptions& o) {
  if (!o.batch.empty()) {
    estimate_batch(o);
    return;
  }
  const Workload w = workload_from_options(o);
  const HwConfig hw = config_from_options(o);
  check_output_file(o.stats, "--stats");
  const RunRecord r = estimate_run(hw, w);
  fmt::print("{}", estimate_summary(hw, w, r));
  write_file_atomic(o.stats, stats_json(r).dump(2) + "\n");
}

}  // namespace

std::string estimate_summary(const HwConfig& hw, const Workload& w, const RunRecord& r) {
  const RunMetrics& m = *r.metrics;
  return fmt::format(
      "lowbit estimate: workload {} on {} ({}), analytical tier\n"
      "cycles: {:.0f} ({:.4g} s at {} MHz); roofline bound {:.0f} ({:.3f}x); tokens/s {:.2f}\n",
      w.name, hw.name.empty() ? hw.source : hw.name, hw.unit_name(), static_cast<double>(m.cycles),
      m.seconds, hw.top.clock_mhz, m.roofline_bound_cycles, m.cycles_over_bound,
      m.tokens_per_second);
}

void add_estimate_command(CLI::App& app) {
  auto opts = std::make_shared<EstimateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "estimate", "Analytical (tile-level) estimate of a run's metrics, without simulating");
  add_workload_options(cmd, *opts);
  cmd->add_option("--stats", opts->stats, "Write stats.json (metrics, tiling) here")
      ->capture_default_str();
  cmd->add_option("--batch", opts->batch,
                  "Estimate every point of this JSON file ({\"points\": [...]}, docs/analytic.md) "
                  "in one process")
      ->check(CLI::ExistingFile);
  cmd->add_option("--output,-o", opts->output, "With --batch: JSON Lines, one row per point")
      ->capture_default_str();
  cmd->callback([opts] { estimate(*opts); });
}

}  // namespace lowbit
