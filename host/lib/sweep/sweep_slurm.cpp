// Slurm executor: sbatch array script, squeue polling, sacct report, and the array task body.
#include "lowbit/sweep_slurm.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "lowbit/atomic_file.h"
#include "lowbit/error.h"
#include "lowbit/sweep_process.h"

namespace lowbit {
namespace {

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs a command line through /bin/sh; returns (exit code, stdout).
std::pair<int, std::string> capture(const std::string& cmd) {
  FILE* f = popen((cmd + " 2>&1").c_str(), "r");
  if (!f) return {127, ""};
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) out.append(buf.data(), n);
  const int st = pclose(f);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : 128, out};
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

RunSummary run_slurm(const SweepDir& dir, const std::vector<SweepPoint>& points,
                     const std::filesystem::path& exe, const SlurmOptions& opts,
                     ProgressOptions progress_options) {
  RunSummary sum;
  const std::vector<const SweepPoint*> todo = dir.unfinished(points, sum.skipped);
  if (todo.empty()) return sum;
  const std::filesystem::path sdir = std::filesystem::absolute(dir.root() / "slurm");
  std::filesystem::create_directories(sdir);
  int n = 0;
  while (std::filesystem::exists(sdir / fmt::format("job-{}.sh", n))) ++n;
  const std::filesystem::path tasks = sdir / fmt::format("tasks-{}.txt", n);
  const std::filesystem::path script = sdir / fmt::format("job-{}.sh", n);
  std::string ids;
  for (const SweepPoint* p : todo) {
    ids += p->id + "\n";
    std::filesystem::remove(dir.status(p->id));  // a stale "failed" must not count as this run's
  }
  write_file_atomic(tasks, ids);
  const std::string root = std::filesystem::absolute(dir.root()).string();
  std::string sh =
      "#!/bin/bash\n# lowbit sweep: one array task per point of " + tasks.string() + "\n";
  sh += fmt::format("#SBATCH --job-name=lowbit-sweep\n#SBATCH --array=0-{}{}\n", todo.size() - 1,
                    opts.max_running > 0 ? fmt::format("%{}", opts.max_running) : "");
  sh += fmt::format(
      "#SBATCH --output={}/job-{}_%a.out\n#SBATCH --ntasks=1\n#SBATCH "
      "--cpus-per-task=1\n",
      sdir.string(), n);
  sh += "export SC_COPYRIGHT_MESSAGE=DISABLE\n";
  sh += fmt::format("exec {} sweep-task {} {}\n", shell_quote(exe.string()), shell_quote(root),
                    shell_quote(tasks.string()));
  write_file_atomic(script, sh);
  std::filesystem::permissions(script, std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);

  std::string cmd = "sbatch --parsable";
  for (const auto& a : opts.sbatch_args) cmd += " " + shell_quote(a);
  cmd += " " + shell_quote(script.string());
  const auto [rc, out] = capture(cmd);
  if (rc != 0) {
    throw InputError(
        fmt::format("sbatch {}: {}; allowed: a running Slurm (sinfo) and sbatch on "
                    "PATH",
                    script.string(), first_line(out)));
  }
  const std::string job = first_line(out).substr(0, first_line(out).find(';'));
  write_file_atomic(sdir / fmt::format("job-{}.id", n), job + "\n");
  fmt::print(stderr, "sweep: submitted {} point(s) as Slurm job array {} ({})\n", todo.size(), job,
             script.string());

  InterruptGuard guard;
  Progress progress(fmt::format("slurm job {}", job), todo.size(), progress_options);
  auto count_done = [&] {
    size_t d = 0;
    for (const SweepPoint* p : todo) d += dir.read_status(p->id).has_value();
    return d;
  };
  while (true) {
    if (InterruptGuard::signal()) {
      capture("scancel " + job);
      sum.interrupted_by = InterruptGuard::signal();
      break;
    }
    const auto [qrc, q] = capture(fmt::format("squeue -h -j {} -o %i", job));
    progress.update(count_done());
    if (qrc == 0 && q.find_first_not_of(" \n") == std::string::npos) break;
    std::this_thread::sleep_for(
        std::chrono::milliseconds(static_cast<int>(opts.poll_seconds * 1000)));
  }
  // Task states from accounting (informational; the status files decide).
  const auto [arc, acct] =
      capture(fmt::format("sacct -n -P -X -j {} -o JobID,State,ExitCode", job));
  std::map<std::string, std::string> states;
  if (arc == 0) {
    std::istringstream in(acct);
    std::string line;
    while (std::getline(in, line)) {
      const size_t a = line.find('|');
      if (a == std::string::npos) continue;
      states[line.substr(0, a)] = line.substr(a + 1);
    }
  }
  for (size_t i = 0; i < todo.size(); ++i) {
    const auto s = dir.read_status(todo[i]->id);
    if (dir.finished(todo[i]->id)) {
      ++sum.ok;
    } else if (s) {
      sum.failed.push_back(todo[i]->id);
    } else if (sum.interrupted_by) {
      ++sum.not_run;
    } else {
      // The task never recorded a status: killed, out of time, node failure, or a bad script.
      sum.failed.push_back(todo[i]->id);
      const auto it = states.find(fmt::format("{}_{}", job, i));
      fmt::print(stderr, "sweep: task {}_{} (point {}) left no status{}; see {}/job-{}_{}.out\n",
                 job, i, todo[i]->id, it == states.end() ? "" : " (sacct: " + it->second + ")",
                 sdir.string(), n, i);
    }
  }
  if (arc != 0) {
    fmt::print(stderr, "sweep: sacct unavailable ({}); task states from the status files only\n",
               first_line(acct));
  }
  progress.finish(fmt::format("{} ok, {} failed", sum.ok, sum.failed.size()));
  return sum;
}

int run_slurm_task(const SweepDir& dir, const std::filesystem::path& tasks,
                   const std::filesystem::path& exe) {
  const char* idx = std::getenv("SLURM_ARRAY_TASK_ID");
  if (!idx) throw InputError("sweep-task: SLURM_ARRAY_TASK_ID is not set; allowed: run by sbatch");
  const long want = std::strtol(idx, nullptr, 10);
  std::ifstream in(tasks);
  std::vector<std::string> ids;
  for (std::string line; std::getline(in, line);) ids.push_back(line);
  if (want < 0 || static_cast<size_t>(want) >= ids.size()) {
    throw InputError(fmt::format("{}: no task {}; allowed: 0..{}", tasks.string(), want,
                                 static_cast<long>(ids.size()) - 1));
  }
  const std::string& id = ids[static_cast<size_t>(want)];
  const SweepManifest m = dir.read_manifest();
  for (const auto& p : m.points) {
    if (p.id != id) continue;
    const PointStatus s = run_point_blocking(exe, dir, p);
    fmt::print("point {}: {} (exit {}, {:.1f} s on {})\n", p.id, s.status, s.exit_code, s.seconds,
               s.host);
    return s.exit_code == 0 ? 0 : 1;
  }
  throw InputError(fmt::format("{}: point {} is not in the manifest", tasks.string(), id));
}

}  // namespace lowbit
