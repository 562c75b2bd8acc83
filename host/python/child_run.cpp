// Forked runs: the child runs lowbit::run() and writes its documents (or its error) as one JSON
// message into a pipe; the parent reads it to the end and reaps the child.
#include "child_run.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "lowbit/error.h"
#include "model/json/json_input.h"

namespace lowbit::py {

namespace pyb = pybind11;
using OJ = nlohmann::ordered_json;

bool elaborates_systemc(const std::string& backend) { return backend == "sim" || backend == "rtl"; }

namespace {

// The child: never returns, never touches Python (it holds a copy of the parent's interpreter).
[[noreturn]] void child_main(const RunRequest& q, int fd, pid_t parent) {
  // Default signal handling (Python's handlers only set a flag nobody reads here), and die with
  // the parent.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);
  OJ msg;
  try {
    const RunRecord r = run(q);
    const RunDocuments d = run_documents(r);
    msg = {{"status", "ok"},
           {"result", d.result},
           {"stats", d.stats},
           {"simulate_seconds", d.simulate_seconds},
           {"wall_seconds", d.wall_seconds}};
  } catch (const InputError& e) {
    msg = {{"status", "input_error"}, {"message", e.what()}};
  } catch (const JsonInputError& e) {
    msg = {{"status", "input_error"}, {"message", e.what()}};
  } catch (const std::exception& e) {
    msg = {{"status", "error"}, {"message", e.what()}};
  }
  const std::string text = msg.dump();
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(1);
    done += static_cast<size_t>(n);
  }
  std::fflush(stdout);
  std::fflush(stderr);
  _exit(0);  // no atexit handlers, no static destructors of the parent's copy
}

// Reads `fd` to its end with the GIL released. Ctrl-C (a read interrupted with a Python signal
// pending) kills the child and raises the pending exception.
std::string read_all(int fd, pid_t child) {
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = 0;
    {
      pyb::gil_scoped_release nogil;
      n = read(fd, buf, sizeof buf);
    }
    if (n > 0) {
      text.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) return text;
    if (errno != EINTR) {
      throw std::runtime_error(
          fmt::format("reading the run's child process: {}", std::strerror(errno)));
    }
    if (PyErr_CheckSignals() != 0) {
      kill(child, SIGKILL);
      close(fd);
      waitpid(child, nullptr, 0);
      throw pyb::error_already_set();
    }
  }
}

}  // namespace

RunDocuments run_in_child(const RunRequest& q) {
  int fds[2];
  if (pipe(fds) != 0) {
    throw std::runtime_error(
        fmt::format("pipe for the run's child process: {}", std::strerror(errno)));
  }
  std::fflush(stdout);  // nothing buffered is written twice
  std::fflush(stderr);
  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    throw std::runtime_error(fmt::format("fork for the run: {}", std::strerror(errno)));
  }
  if (child == 0) {
    close(fds[0]);
    child_main(q, fds[1], parent);
  }
  close(fds[1]);
  const std::string text = read_all(fds[0], child);
  close(fds[0]);
  int status = 0;
  {
    pyb::gil_scoped_release nogil;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (WIFSIGNALED(status) || text.empty()) {
    throw std::runtime_error(
        WIFSIGNALED(status) ? fmt::format("the {} run's process was killed by signal {} ({})",
                                          q.backend, WTERMSIG(status), strsignal(WTERMSIG(status)))
                            : fmt::format("the {} run's process exited with code {} and no record",
                                          q.backend, WEXITSTATUS(status)));
  }
  const OJ msg = OJ::parse(text);
  const std::string st = msg.at("status").get<std::string>();
  if (st == "input_error") throw InputError(msg.at("message").get<std::string>());
  if (st != "ok") throw std::runtime_error(msg.at("message").get<std::string>());
  return {msg.at("result"), msg.at("stats"), msg.at("simulate_seconds").get<double>(),
          msg.at("wall_seconds").get<double>()};
}

}  // namespace lowbit::py
