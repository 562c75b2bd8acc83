// Starting, waiting for and recording sweep point processes; interrupt handling.
#include "lowbit/sweep_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <stdexcept>

namespace lowbit {
namespace {

volatile std::sig_atomic_t g_signal = 0;
void on_signal(int sig) { g_signal = sig; }

}  // namespace

std::string this_host() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

std::vector<std::string> point_command(const std::filesystem::path& exe, const SweepDir& dir,
                                       const SweepPoint& p) {
  std::vector<std::string> argv = {exe.string()};
  if (p.tier == "analytic") {
    argv.insert(argv.end(), {"estimate", "--config", dir.config(p.id).string(), "--workload",
                             p.workload_path.string(), "--stats", dir.stats(p.id).string()});
  } else {
    argv.insert(argv.end(),
                {"run", "--config", dir.config(p.id).string(), "--workload",
                 p.workload_path.string(), "--backend", p.backend, "-o", dir.result(p.id).string(),
                 "--stats", dir.stats(p.id).string(), "--no-progress"});
  }
  return argv;
}

pid_t spawn_point(const std::filesystem::path& exe, const SweepDir& dir, const SweepPoint& p) {
  const std::vector<std::string> args = point_command(exe, dir, p);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::filesystem::create_directories(dir.point(p.id));
  const std::string log = dir.log(p.id).string();
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null = open("/dev/null", O_RDONLY);
    if (fd < 0 || null < 0) _exit(127);
    dup2(null, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

PointStatus status_from_wait(int wait_status, double seconds) {
  PointStatus s;
  s.seconds = seconds;
  s.host = this_host();
  if (WIFEXITED(wait_status)) {
    s.exit_code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    s.exit_code = -WTERMSIG(wait_status);
  } else {
    s.exit_code = -1;
  }
  s.status = s.exit_code == 0 ? "ok" : "failed";
  return s;
}

PointStatus run_point_blocking(const std::filesystem::path& exe, const SweepDir& dir,
                               const SweepPoint& p) {
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = spawn_point(exe, dir, p);
  int ws = 0;
  while (waitpid(pid, &ws, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(fmt::format("waitpid: {}", std::strerror(errno)));
  }
  const PointStatus s = status_from_wait(
      ws, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  dir.write_status(p.id, s);
  return s;
}

std::filesystem::path self_exe() { return std::filesystem::read_symlink("/proc/self/exe"); }

InterruptGuard::InterruptGuard() {
  g_signal = 0;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

int InterruptGuard::signal() { return g_signal; }

}  // namespace lowbit
