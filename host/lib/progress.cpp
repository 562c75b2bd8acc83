// Progress reporting (see progress.h): when to print, what the line says, where it goes.
#include "lowbit/progress.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace lowbit {
namespace {

// Times are kept in integer microseconds so that cadence checks are exact for any clock values.
int64_t to_us(double seconds) { return std::llround(seconds * 1e6); }

int64_t checked_interval_us(double seconds, const char* name) {
  if (!std::isfinite(seconds) || seconds <= 0 || seconds > 1e9) {
    throw std::invalid_argument(
        fmt::format("Progress: {} must be in (0, 1e9], got {}", name, seconds));
  }
  return std::max<int64_t>(1, to_us(seconds));
}

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void write_stderr(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

size_t terminal_width() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

}  // namespace

std::string format_duration(double seconds, bool tenths) {
  if (!(seconds > 0)) seconds = 0;  // negative or NaN
  if (tenths) {
    const int64_t t = std::llround(seconds * 10);
    if (t < 600) return fmt::format("{}.{} s", t / 10, t % 10);
  }
  const int64_t s = std::llround(seconds);
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
  const int64_t minutes = (s + 30) / 60;  // whole minutes, rounded half up
  return fmt::format("{} h {:02} min", minutes / 60, minutes % 60);
}

Progress::Progress(std::string what, uint64_t total, ProgressOptions options)
    : m_what(std::move(what)),
      m_total(total),
      m_mode(options.mode),
      m_clock(options.clock ? std::move(options.clock) : steady_seconds),
      m_sink(options.sink ? std::move(options.sink) : write_stderr),
      m_heartbeat_us(checked_interval_us(options.heartbeat_seconds, "heartbeat_seconds")),
      m_first_draw_us(checked_interval_us(options.first_draw_seconds, "first_draw_seconds")),
      m_redraw_us(checked_interval_us(options.redraw_seconds, "redraw_seconds")),
      m_width(options.width) {
  if (m_mode == ProgressMode::kAuto) {
    m_mode = ::isatty(STDERR_FILENO) ? ProgressMode::kTerminal : ProgressMode::kHeartbeat;
  }
  if (m_mode == ProgressMode::kTerminal && m_width == 0) m_width = terminal_width();
  m_start_us = now_us();
  m_next_due_us =
      m_start_us + (m_mode == ProgressMode::kTerminal ? m_first_draw_us : m_heartbeat_us);
}

Progress::~Progress() {
  try {
    finish();
  } catch (...) {  // a throwing sink or clock must not escape a destructor
  }
}

int64_t Progress::now_us() const { return to_us(m_clock()); }

void Progress::update(uint64_t done, std::string_view detail) {
  std::lock_guard lock(m_mutex);
  if (m_finished) return;
  m_done = done;
  m_detail.assign(detail);
  maybe_print(now_us());
}

void Progress::advance(uint64_t count, std::string_view detail) {
  std::lock_guard lock(m_mutex);
  if (m_finished) return;
  m_done += count;
  m_detail.assign(detail);
  maybe_print(now_us());
}

void Progress::poll() {
  std::lock_guard lock(m_mutex);
  if (m_finished) return;
  maybe_print(now_us());
}

size_t Progress::draws() const {
  std::lock_guard lock(m_mutex);
  return m_draws;
}

std::string Progress::status(int64_t now) const {
  const double elapsed = static_cast<double>(now - m_start_us) * 1e-6;
  std::string line;
  if (m_total == 0) {
    line = fmt::format("{}: {} done, {} elapsed", m_what, m_done, format_duration(elapsed));
  } else {
    line = fmt::format("{}: {}% ({}/{}), {} elapsed", m_what, percent(), m_done, m_total,
                       format_duration(elapsed));
    if (m_done > 0 && m_done < m_total) {
      const double eta =
          elapsed * static_cast<double>(m_total - m_done) / static_cast<double>(m_done);
      line += ", ETA " + format_duration(eta, /*tenths=*/false);
    }
  }
  if (!m_detail.empty()) line += ", " + m_detail;
  return line;
}

void Progress::maybe_print(int64_t now) {
  if (m_mode == ProgressMode::kOff || now < m_next_due_us) return;
  if (m_mode == ProgressMode::kTerminal) {
    m_sink(redraw(status(now)));
    m_next_due_us = now + m_redraw_us;
  } else {
    m_sink(status(now) + "\n");
    // The next multiple of the interval after now: a late call prints one line, not a burst.
    m_next_due_us = m_start_us + ((now - m_start_us) / m_heartbeat_us + 1) * m_heartbeat_us;
  }
  ++m_draws;
}

void Progress::finish(std::string_view detail) {
  std::lock_guard lock(m_mutex);
  if (m_finished) return;
  m_finished = true;
  if (m_draws == 0 || m_mode == ProgressMode::kOff) return;
  const int64_t now = now_us();
  const std::string elapsed = format_duration(static_cast<double>(now - m_start_us) * 1e-6);
  std::string line;
  if (m_total == 0 || m_done >= m_total) {
    line = m_total == 0 ? fmt::format("{}: done, {} in {}", m_what, m_done, elapsed)
                        : fmt::format("{}: done, {}/{} in {}", m_what, m_done, m_total, elapsed);
  } else {
    line = fmt::format("{}: stopped at {}% ({}/{}) after {}", m_what, percent(), m_done, m_total,
                       elapsed);
  }
  if (!detail.empty()) line += fmt::format(", {}", detail);
  m_sink(m_mode == ProgressMode::kTerminal ? redraw(std::move(line)) + "\n" : line + "\n");
}

uint64_t Progress::percent() const {
  if (m_done >= m_total) return 100;
  return static_cast<uint64_t>(static_cast<double>(m_done) * 100.0 / static_cast<double>(m_total));
}

std::string Progress::redraw(std::string line) {
  if (m_width > 1 && line.size() > m_width - 1) line.resize(m_width - 1);
  const size_t length = line.size();
  line.append(m_last_length > length ? m_last_length - length : 0, ' ');  // blank the leftovers
  m_last_length = length;
  return "\r" + line;
}

}  // namespace lowbit
