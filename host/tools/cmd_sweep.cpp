// `lowbit sweep`: expand a spec into a manifest, run its points locally or on Slurm, then write the
// results table (CSV, SQLite), the Pareto fronts and the HTML report. docs/sweep.md.
#include "cmd_sweep.h"

#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <thread>

#include "lowbit/atomic_file.h"
#include "lowbit/error.h"
#include "lowbit/output_path.h"
#include "lowbit/sweep_expand.h"
#include "lowbit/sweep_local.h"
#include "lowbit/sweep_process.h"
#include "lowbit/sweep_report.h"
#include "lowbit/sweep_slurm.h"
#include "lowbit/sweep_table.h"
#include "sweep_inprocess.h"

namespace lowbit {
namespace {

struct SweepOptions {
  std::string spec;
  std::string out;
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool resume = false;
  std::string executor = "local";
  std::string tier;  // empty: the spec's
  bool two_stage = false;
  bool compare_tiers = false;
  bool expand_only = false;
  bool progress = true;
  SlurmOptions slurm;
};

void add(RunSummary& total, const RunSummary& s) {
  total.skipped += s.skipped;
  total.ok += s.ok;
  total.failed.insert(total.failed.end(), s.failed.begin(), s.failed.end());
  total.not_run += s.not_run;
  total.interrupted_by = s.interrupted_by ? s.interrupted_by : total.interrupted_by;
}

// Analytic-tier points are estimated in this process (milliseconds each: a process per point
// cost more than the estimate), also under --executor slurm; cycle-tier points go to the executor.
RunSummary execute(const SweepOptions& o, const SweepDir& dir, const std::vector<SweepPoint>& pts) {
  ProgressOptions po;
  if (!o.progress) po.mode = ProgressMode::kOff;
  std::vector<SweepPoint> analytic, cycle;
  for (const auto& p : pts) (p.tier == "analytic" ? analytic : cycle).push_back(p);
  RunSummary total;
  if (!analytic.empty()) add(total, run_analytic_inprocess(dir, analytic, o.jobs, po));
  if (cycle.empty()) return total;
  if (total.interrupted_by) {
    total.not_run += cycle.size();
    return total;
  }
  add(total, o.executor == "slurm" ? run_slurm(dir, cycle, self_exe(), o.slurm, po)
                                   : run_local(dir, cycle, self_exe(), o.jobs, po));
  return total;
}

int sweep(const SweepOptions& o) {
  check_output_dir(o.out, "--output");
  const SweepSpec spec = load_sweep_spec(o.spec);
  const std::string tier = o.tier.empty() ? spec.tier : o.tier;
  if (o.two_stage && o.compare_tiers) {
    throw InputError("--two-stage and --compare-tiers are exclusive; allowed: one of them");
  }
  const SweepDir dir(o.out);
  std::error_code ec;
  if (std::filesystem::exists(dir.manifest(), ec) && !o.resume) {
    throw InputError(
        fmt::format("{}: holds a sweep already; allowed: --resume to continue it, or "
                    "a new -o folder",
                    o.out));
  }
  SweepManifest m = expand_sweep(spec, o.two_stage ? "analytic" : tier);
  if (o.compare_tiers) {
    const auto twins =
        retier_points(m.points, tier == "cycle" ? "analytic" : "cycle", spec.backends);
    m.points.insert(m.points.end(), twins.begin(), twins.end());
  }
  if (o.resume && std::filesystem::exists(dir.manifest(), ec)) {
    // Keep the second-stage points of an earlier two-stage run: they are re-derived below anyway.
    const SweepManifest old = dir.read_manifest();
    std::set<std::string> ids;
    for (const auto& p : m.points) ids.insert(p.id);
    size_t kept = 0;
    for (const auto& p : old.points) kept += ids.count(p.id);
    fmt::print(stderr, "sweep: resuming {}: {} of {} points carried over\n", o.out, kept,
               m.points.size());
  }
  dir.write_manifest(m);
  fmt::print(stderr, "sweep: {} point(s), {} tier{}, manifest {}\n", m.points.size(),
             o.two_stage       ? "analytic then cycle"
             : o.compare_tiers ? "both"
                               : tier,
             o.two_stage ? " (stage 1)" : "", dir.manifest().string());
  if (o.expand_only) return 0;

  RunSummary total = execute(o, dir, m.points);
  if (o.two_stage && !total.interrupted_by) {
    const ResultTable t1 = collect_results(dir, m);
    const int pc = t1.column("pareto");
    std::vector<SweepPoint> front;
    for (size_t i = 0; i < t1.rows.size(); ++i) {
      if (t1.rows[i][static_cast<size_t>(pc)] == 1) front.push_back(m.points[i]);
    }
    const auto stage2 = retier_points(front, "cycle", spec.backends);
    fmt::print(stderr,
               "sweep: stage 2: the analytic front has {} design(s); {} cycle-level "
               "point(s)\n",
               front.size(), stage2.size());
    m.points.insert(m.points.end(), stage2.begin(), stage2.end());
    for (auto& p : m.points) {
      if (p.config.is_null()) p.config = nlohmann::json();  // configs are already on disk
    }
    dir.write_manifest(m);
    add(total, execute(o, dir, stage2));
  }

  // Results from everything on disk, also after an interrupt (finished points are kept).
  const ResultTable t = collect_results(dir, m);
  write_csv(t, dir.root() / "results.csv");
  write_sqlite(t, dir.root() / "results.sqlite");
  const nlohmann::ordered_json err = tier_error(t);
  if (!err.is_null()) write_file_atomic(dir.root() / "tier_error.json", err.dump(2) + "\n");
  write_file_atomic(dir.root() / "report.html",
                    sweep_report_html(fmt::format("lowbit sweep: {}", spec.name), t, err));
  size_t on_front = 0;
  const int pc = t.column("pareto");
  for (const auto& r : t.rows) on_front += r[static_cast<size_t>(pc)] == 1;
  fmt::print(
      "sweep {}: {} finished now, {} already done, {} failed, {} not run; {} point(s) on "
      "Pareto fronts\n",
      spec.name, total.ok, total.skipped, total.failed.size(), total.not_run, on_front);
  if (!err.is_null() && err.contains("cycles")) {
    fmt::print(
        "analytic vs cycle-level cycles on {} design(s): mean |error| {:.1f}%, max {:.1f}%\n",
        err["cycles"]["designs"].get<size_t>(),
        100 * err["cycles"]["mean_abs_rel_error"].get<double>(),
        100 * err["cycles"]["max_abs_rel_error"].get<double>());
  }
  fmt::print("results: {0}/results.csv, {0}/results.sqlite, {0}/report.html\n", o.out);
  for (const auto& id : total.failed) {
    fmt::print(stderr, "sweep: point {} failed; log {}\n", id, dir.log(id).string());
  }
  if (total.interrupted_by) {
    fmt::print(stderr, "sweep: interrupted; rerun with --resume to finish the {} point(s) left\n",
               total.not_run);
    return 128 + total.interrupted_by;
  }
  return total.failed.empty() ? 0 : 1;
}

}  // namespace

void add_sweep_commands(CLI::App& app) {
  auto o = std::make_shared<SweepOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Design-space exploration: run a sweep spec's points, Pareto fronts (docs/sweep.md)");
  cmd->add_option("spec", o->spec, "Sweep spec JSON")->required()->check(CLI::ExistingFile);
  cmd->add_option("--output,-o", o->out, "Sweep folder (manifest, points/, results)")->required();
  cmd->add_option("--jobs,-j", o->jobs, "Local executor: processes at a time")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--resume", o->resume, "Continue a sweep: skip finished points, rerun failed ones");
  cmd->add_option("--executor", o->executor, "local or slurm")
      ->check(CLI::IsMember({"local", "slurm"}))
      ->capture_default_str();
  cmd->add_option("--tier", o->tier,
                  "cycle (lowbit run) or analytic (lowbit estimate); default: "
                  "the spec's")
      ->check(CLI::IsMember({"cycle", "analytic"}));
  cmd->add_flag("--two-stage", o->two_stage,
                "Analytic tier everywhere, then the cycle tier on the analytic Pareto front");
  cmd->add_flag("--compare-tiers", o->compare_tiers,
                "Run every design on both tiers and report the analytic tier's error");
  cmd->add_flag("--expand-only", o->expand_only, "Write the manifest and stop");
  cmd->add_flag("!--no-progress", o->progress, "No progress line / heartbeat");
  cmd->add_option("--sbatch-arg", o->slurm.sbatch_args,
                  "Slurm: extra sbatch option, e.g. --sbatch-arg=--partition=debug (repeatable)");
  cmd->add_option("--poll", o->slurm.poll_seconds, "Slurm: squeue interval in seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--max-running", o->slurm.max_running, "Slurm: array throttle, 0 = none")
      ->capture_default_str();
  cmd->callback([o] {
    const int rc = sweep(*o);
    if (rc != 0) std::exit(rc);
  });

  auto task = std::make_shared<std::pair<std::string, std::string>>();
  CLI::App* t = app.add_subcommand("sweep-task", "");  // hidden: the body of a Slurm array task
  t->group("");
  t->add_option("dir", task->first, "Sweep folder")->required();
  t->add_option("tasks", task->second, "Task list (one point id per line)")->required();
  t->callback([task] {
    const int rc = run_slurm_task(SweepDir(task->first), task->second, self_exe());
    if (rc != 0) std::exit(rc);
  });
}

}  // namespace lowbit
