// Progress for long runs: an updating line on a terminal, a heartbeat line every N s in logs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace lowbit {

/// How Progress shows itself.
enum class ProgressMode {
  kAuto,       ///< kTerminal if stderr is a terminal (isatty), else kHeartbeat
  kTerminal,   ///< one line redrawn in place with '\r', at most every redraw_seconds
  kHeartbeat,  ///< a full line every heartbeat_seconds (for logs, CI, Slurm output files)
  kOff,        ///< nothing
};

/// Settings of a Progress; the defaults suit the `lowbit` CLI.
struct ProgressOptions {
  ProgressMode mode = ProgressMode::kAuto;
  /// kHeartbeat: a line at every multiple of this many seconds after the start.
  double heartbeat_seconds = 10.0;
  /// kTerminal: the first draw waits this long, so quick runs print nothing.
  double first_draw_seconds = 1.0;
  /// kTerminal: minimum time between redraws (0.2 s: about 5 updates per second).
  double redraw_seconds = 0.2;
  /// kTerminal: lines are cut to width - 1 columns so they never wrap (a wrapped line cannot be
  /// redrawn with '\r'). 0: ask the terminal (TIOCGWINSZ on stderr), 80 if it does not say.
  size_t width = 0;
  /// Seconds on a monotonic clock. Default: std::chrono::steady_clock. Tests inject a fake.
  std::function<double()> clock;
  /// Receives every piece of output. Default: written to stderr and flushed.
  std::function<void(std::string_view)> sink;
};

/// Reports how far a long job is: percentage, elapsed time, ETA and a caller's detail.
///
/// kTerminal: "\r<what>: 42% (420/1000), 12.3 s elapsed, ETA 17 s, <detail>", redrawn in place at
/// most every redraw_seconds, ended by a newline at finish(). kHeartbeat: the same text as a
/// whole line at every multiple of heartbeat_seconds (a late update prints one line, not one per
/// missed beat). Either way, a run that finishes before the first draw or beat prints nothing at
/// all; a run that printed anything ends with one summary line ("<what>: done, 1000/1000 in 31.0
/// s" or "<what>: stopped at 42% (420/1000) after 12.3 s").
///
/// total 0 means unknown: lines say "<what>: 420 done, 12.3 s elapsed" without percent or ETA.
/// ETA = elapsed * (total - done) / done, shown once done > 0.
///
/// Output happens only inside update(), advance(), poll() and finish() (no thread of its own):
/// a job that stalls inside one step shows nothing new until the next call. All methods lock a
/// mutex, so one worker thread may report while another thread polls or finishes.
class Progress {
 public:
  /// Starts the clock. Throws std::invalid_argument for non-positive or non-finite intervals.
  Progress(std::string what, uint64_t total, ProgressOptions options = {});
  /// Calls finish().
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Sets how many of `total` are done and what is being done now (may be empty); prints if due.
  void update(uint64_t done, std::string_view detail = {});
  /// Adds `count` to done.
  void advance(uint64_t count = 1, std::string_view detail = {});
  /// Prints if due, without new progress (for a thread that waits on workers).
  void poll();
  /// Ends the report: the final line (with `detail` appended, if not empty) if anything was
  /// printed, else nothing. Later calls to any method do nothing.
  void finish(std::string_view detail = {});

  /// The mode in effect (kAuto resolved at construction).
  ProgressMode mode() const { return m_mode; }
  /// Lines or redraws printed so far, the final line excluded.
  size_t draws() const;

 private:
  void maybe_print(int64_t now_us);
  std::string status(int64_t now_us) const;
  uint64_t percent() const;              // floor(100 * done / total), 100 once done >= total
  std::string redraw(std::string line);  // kTerminal: '\r', the line cut to width, blanks
  int64_t now_us() const;

  std::string m_what;
  uint64_t m_total;
  ProgressMode m_mode;
  std::function<double()> m_clock;
  std::function<void(std::string_view)> m_sink;
  int64_t m_heartbeat_us;
  int64_t m_first_draw_us;
  int64_t m_redraw_us;
  size_t m_width;

  mutable std::mutex m_mutex;
  int64_t m_start_us;
  int64_t m_next_due_us;  // the earliest time of the next draw or beat
  uint64_t m_done = 0;
  std::string m_detail;
  size_t m_draws = 0;
  size_t m_last_length = 0;  // kTerminal: columns of the line on screen, to blank leftovers
  bool m_finished = false;
};

/// "12.3 s" below a minute (whole seconds, "17 s", if `tenths` is false), "2 min 05 s" below an
/// hour, "1 h 02 min" beyond. Negative input counts as 0.
std::string format_duration(double seconds, bool tenths = true);

}  // namespace lowbit
