// Local executor: a pool of child processes fed from the pending points.
#include "lowbit/sweep_local.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <deque>
#include <map>
#include <thread>

#include "lowbit/sweep_process.h"

namespace lowbit {
namespace {

using Clock = std::chrono::steady_clock;

struct Running {
  const SweepPoint* point;
  Clock::time_point start;
};

void stop_all(std::map<pid_t, Running>& running) {
  for (const auto& [pid, r] : running) kill(pid, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(2);
  while (!running.empty()) {
    int ws = 0;
    const pid_t pid = waitpid(-1, &ws, WNOHANG);
    if (pid > 0) {
      running.erase(pid);
      continue;
    }
    if (pid < 0 && errno != EINTR) break;
    if (Clock::now() > deadline) {
      for (const auto& [p, r] : running) kill(p, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

RunSummary run_local(const SweepDir& dir, const std::vector<SweepPoint>& points,
                     const std::filesystem::path& exe, int jobs, ProgressOptions progress_options) {
  RunSummary sum;
  const std::vector<const SweepPoint*> todo = dir.unfinished(points, sum.skipped);
  std::deque<const SweepPoint*> pending(todo.begin(), todo.end());
  if (pending.empty()) return sum;
  InterruptGuard guard;
  Progress progress(fmt::format("sweep ({} process{})", jobs, jobs == 1 ? "" : "es"),
                    pending.size(), progress_options);
  std::map<pid_t, Running> running;
  size_t done = 0;
  auto detail = [&] {
    return fmt::format("{} ok, {} failed, {} running", sum.ok, sum.failed.size(), running.size());
  };
  while (!pending.empty() || !running.empty()) {
    while (!InterruptGuard::signal() && static_cast<int>(running.size()) < jobs &&
           !pending.empty()) {
      const SweepPoint* p = pending.front();
      pending.pop_front();
      running[spawn_point(exe, dir, *p)] = {p, Clock::now()};
    }
    if (InterruptGuard::signal()) break;
    int ws = 0;
    const pid_t pid = waitpid(-1, &ws, WNOHANG);
    if (pid > 0) {
      const auto it = running.find(pid);
      if (it == running.end()) continue;
      const Running r = it->second;
      running.erase(it);
      const double secs = std::chrono::duration<double>(Clock::now() - r.start).count();
      // A point killed by the terminal's Ctrl-C (SIGINT to the whole group) is not a failure.
      if (WIFSIGNALED(ws) && WTERMSIG(ws) == SIGINT) {
        pending.push_front(r.point);
        continue;
      }
      const PointStatus s = status_from_wait(ws, secs);
      dir.write_status(r.point->id, s);
      if (s.status == "ok") {
        ++sum.ok;
      } else {
        sum.failed.push_back(r.point->id);
      }
      progress.update(++done, detail());
      continue;
    }
    progress.poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (InterruptGuard::signal()) {
    sum.interrupted_by = InterruptGuard::signal();
    sum.not_run = pending.size() + running.size();
    stop_all(running);
    progress.finish(fmt::format("interrupted: {}", detail()));
  } else {
    progress.finish(detail());
  }
  return sum;
}

}  // namespace lowbit
