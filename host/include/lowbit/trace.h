// Chrome trace-event JSON writer (chrome://tracing, ui.perfetto.dev): unit activity in clock
// cycles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lowbit {

/// Collects timeline events stamped in clock cycles and writes them as a Chrome trace-event file:
/// {"traceEvents":[...],"displayTimeUnit":"ns","otherData":{...}}.
///
/// Tracks: a process (pid) per modelled device ("accelerator", "cpu"), a thread (tid) per unit
/// ("load", "store", "core", "dequant"). Events: "X" (a busy interval), "i" (an instant, thread
/// scope) and "C" (counter samples, per process). Times are converted once, at write time, from
/// cycles to microseconds: ts = cycle / clock_mhz, dur = cycles / clock_mhz (fractional).
///
/// Output is byte-deterministic for the same calls: metadata ("M": process_name,
/// process_sort_index, thread_name, thread_sort_index) first in registration order, then the
/// events ordered by start cycle, longer first on a tie (so enclosing intervals precede the ones
/// they contain), then by the order they were added. One event per line.
///
/// With a cap (max_events), the first max_events events are kept and later ones are dropped and
/// counted; a truncated trace says so twice: a global instant event "trace truncated" at the first
/// dropped event's cycle (in that event's process) and otherData.dropped_events.
///
/// Note for Perfetto: it rounds timestamps to whole nanoseconds, so at a clock whose period is not
/// a whole number of ns, back-to-back intervals on one track can appear to overlap by 1 ns there.
/// chrome://tracing keeps the fractional microseconds.
///
/// Not thread-safe: one writer per thread (or a lock around it).
class TraceWriter {
 public:
  /// A registered process; pid = index + 1 in the file.
  struct ProcessId {
    uint32_t index;
  };
  /// A registered thread (a track inside a process); tid = index + 1 in the file.
  struct TrackId {
    uint32_t index;
  };
  /// An interned event name and category, so the hot path passes an integer, not strings.
  struct NameId {
    uint32_t index;
  };

  static constexpr size_t kUnlimited = std::numeric_limits<size_t>::max();

  /// `clock_mhz` converts cycles to microseconds; it must be finite and > 0 (else
  /// std::invalid_argument). `max_events` caps the X, i and C events kept (metadata is not capped).
  explicit TraceWriter(double clock_mhz, size_t max_events = kUnlimited);

  /// Registers a process, or returns the one already registered under `name`.
  ProcessId add_process(std::string_view name);
  /// Registers a thread of `process`, or returns the one already registered there under `name`.
  /// Throws std::out_of_range for a `process` this writer did not return.
  TrackId add_thread(ProcessId process, std::string_view name);
  /// Interns an event name with its category (an empty category is left out of the file).
  NameId intern(std::string_view name, std::string_view category = {});

  /// A busy interval [start_cycle, start_cycle + duration_cycles) on `track`. `args` is a JSON
  /// object shown in the viewer's details pane, or null for none (anything else:
  /// std::invalid_argument). Returns false if the event was dropped by the cap.
  bool complete(TrackId track, NameId name, uint64_t start_cycle, uint64_t duration_cycles,
                nlohmann::json args = nullptr);
  /// Same, interning `name` and `category` first (a map lookup per call).
  bool complete(TrackId track, std::string_view name, std::string_view category,
                uint64_t start_cycle, uint64_t duration_cycles, nlohmann::json args = nullptr);
  /// A zero-length marker on `track` (thread-scoped instant event).
  bool instant(TrackId track, NameId name, uint64_t cycle, nlohmann::json args = nullptr);
  /// A counter sample: the counter `name` of `process` has `value` from `cycle` on (one series,
  /// called "value").
  bool counter(ProcessId process, NameId name, uint64_t cycle, double value);
  bool counter(ProcessId process, std::string_view name, uint64_t cycle, double value);
  /// A counter sample with several named series, stacked by the viewer.
  bool counter(ProcessId process, std::string_view name, uint64_t cycle,
               const std::vector<std::pair<std::string, double>>& series);

  /// cycles / clock_mhz: what ts and dur hold in the file.
  double cycles_to_us(uint64_t cycles) const { return static_cast<double>(cycles) / m_clock_mhz; }
  double clock_mhz() const { return m_clock_mhz; }
  /// Events kept (the cap's subject; excludes metadata and the truncation marker).
  size_t event_count() const { return m_events.size(); }
  /// Events dropped because the cap was reached.
  size_t dropped_count() const { return m_dropped; }

  /// Writes the whole trace to `out`.
  void write(std::ostream& out) const;
  /// The whole trace as a string.
  std::string dump() const;
  /// Writes the trace to `path` atomically (temp file then rename; see atomic_file.h): the file
  /// appears whole or not at all. Throws std::runtime_error if it cannot be written.
  void write(const std::filesystem::path& path) const;

 private:
  struct Process {
    std::string name;
    std::vector<uint32_t> threads;  // indexes into m_threads, in registration order
  };
  struct Thread {
    std::string name;
    uint32_t process;
  };
  struct Name {
    std::string name;
    std::string category;
  };
  struct Event {
    uint64_t start;
    uint64_t duration;
    double value;    // single-series counter value
    uint32_t where;  // thread index for X and i, process index for C
    uint32_t name;   // index into m_names
    uint32_t args;   // index + 1 into m_args, 0 for none
    char phase;      // 'X', 'i' or 'C'
  };

  bool add(Event event, nlohmann::json args);
  nlohmann::json event_json(const Event& e) const;

  double m_clock_mhz;
  size_t m_max_events;
  std::vector<Process> m_processes;
  std::vector<Thread> m_threads;
  std::vector<Name> m_names;
  std::map<std::string, uint32_t> m_name_index;  // key: category + '\0' + name
  std::vector<Event> m_events;
  std::vector<nlohmann::json> m_args;
  size_t m_dropped = 0;
  Event m_first_dropped{};  // where the "trace truncated" marker goes
};

}  // namespace lowbit
