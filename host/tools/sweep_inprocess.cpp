// The analytic tier's sweep points estimated inside the sweep's own process (sweep_inprocess.h).
#include "sweep_inprocess.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "cmd_estimate.h"
#include "lowbit/atomic_file.h"
#include "lowbit/error.h"
#include "lowbit/sweep_analytic.h"
#include "lowbit/sweep_process.h"
#include "model/json/json_input.h"
#include "run_inputs.h"

namespace lowbit {
namespace {

// One point as `lowbit estimate --config <point config> --workload <w> --stats <point stats>`
// would run it; returns its exit code and writes its log.
int estimate_point(const SweepDir& dir, const SweepPoint& p) {
  std::string log;
  int code = 0;
  try {
    WorkloadOptions o;
    o.config = dir.config(p.id).string();
    o.workload = p.workload_path.string();
    const Workload w = workload_from_options(o);
    const HwConfig hw = config_from_options(o);
    const RunRecord r = estimate_run(hw, w);
    log = estimate_summary(hw, w, r);
    write_file_atomic(dir.stats(p.id), stats_json(r).dump(2) + "\n");
  } catch (const InputError& e) {
    log = fmt::format("lowbit: {}\n", e.what());
    code = kExitBadInput;
  } catch (const JsonInputError& e) {
    log = fmt::format("lowbit: {}\n", e.what());
    code = kExitBadInput;
  } catch (const std::exception& e) {
    log = fmt::format("lowbit: internal error: {}\n", e.what());
    code = 1;
  }
  write_file_atomic(dir.log(p.id), log);
  return code;
}

}  // namespace

RunSummary run_analytic_inprocess(const SweepDir& dir, const std::vector<SweepPoint>& points,
                                  int jobs, ProgressOptions progress_options) {
  RunSummary sum;
  const std::vector<const SweepPoint*> pending = dir.unfinished(points, sum.skipped);
  if (pending.empty()) return sum;
  const int threads = std::max(1, std::min<int>(jobs, static_cast<int>(pending.size())));
  InterruptGuard guard;
  Progress progress(
      fmt::format("sweep, analytic tier ({} thread{})", threads, threads == 1 ? "" : "s"),
      pending.size(), progress_options);
  const std::string host = this_host();
  std::atomic<size_t> next{0};
  std::mutex mu;  // guards sum, done and progress
  size_t done = 0;
  auto worker = [&] {
    for (;;) {
      if (InterruptGuard::signal()) return;
      const size_t i = next.fetch_add(1);
      if (i >= pending.size()) return;
      const SweepPoint& p = *pending[i];
      const auto t0 = std::chrono::steady_clock::now();
      std::filesystem::create_directories(dir.point(p.id));
      PointStatus s;
      s.exit_code = estimate_point(dir, p);
      s.status = s.exit_code == 0 ? "ok" : "failed";
      s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      s.host = host;
      s.runner = "in-process";
      dir.write_status(p.id, s);
      const std::lock_guard<std::mutex> lock(mu);
      if (s.exit_code == 0) {
        ++sum.ok;
      } else {
        sum.failed.push_back(p.id);
      }
      progress.update(++done, fmt::format("{} ok, {} failed", sum.ok, sum.failed.size()));
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  const std::string detail = fmt::format("{} ok, {} failed", sum.ok, sum.failed.size());
  if (InterruptGuard::signal()) {
    sum.interrupted_by = InterruptGuard::signal();
    sum.not_run = pending.size() - done;
    progress.finish(fmt::format("interrupted: {}", detail));
  } else {
    progress.finish(detail);
  }
  return sum;
}

}  // namespace lowbit
