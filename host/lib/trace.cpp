// Chrome trace-event writer (see trace.h): registration, capped event buffer, ordered JSON output.
#include "lowbit/trace.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "lowbit/atomic_file.h"

namespace lowbit {

using nlohmann::json;

TraceWriter::TraceWriter(double clock_mhz, size_t max_events)
    : m_clock_mhz(clock_mhz), m_max_events(max_events) {
  if (!std::isfinite(clock_mhz) || clock_mhz <= 0) {
    throw std::invalid_argument(
        fmt::format("TraceWriter: clock_mhz must be finite and > 0, got {}", clock_mhz));
  }
}

TraceWriter::ProcessId TraceWriter::add_process(std::string_view name) {
  for (size_t i = 0; i < m_processes.size(); ++i) {
    if (m_processes[i].name == name) return {static_cast<uint32_t>(i)};
  }
  m_processes.push_back({std::string(name), {}});
  return {static_cast<uint32_t>(m_processes.size() - 1)};
}

TraceWriter::TrackId TraceWriter::add_thread(ProcessId process, std::string_view name) {
  if (process.index >= m_processes.size()) {
    throw std::out_of_range("TraceWriter::add_thread: unknown process");
  }
  Process& p = m_processes[process.index];
  for (uint32_t t : p.threads) {
    if (m_threads[t].name == name) return {t};
  }
  m_threads.push_back({std::string(name), process.index});
  p.threads.push_back(static_cast<uint32_t>(m_threads.size() - 1));
  return {p.threads.back()};
}

TraceWriter::NameId TraceWriter::intern(std::string_view name, std::string_view category) {
  std::string key(category);
  key.push_back('\0');
  key.append(name);
  const auto [it, inserted] =
      m_name_index.try_emplace(std::move(key), static_cast<uint32_t>(m_names.size()));
  if (inserted) m_names.push_back({std::string(name), std::string(category)});
  return {it->second};
}

bool TraceWriter::add(Event event, json args) {
  const size_t limit = event.phase == 'C' ? m_processes.size() : m_threads.size();
  if (event.where >= limit) throw std::out_of_range("TraceWriter: unknown track or process");
  if (event.name >= m_names.size()) throw std::out_of_range("TraceWriter: unknown name");
  if (!args.is_null() && !args.is_object()) {
    throw std::invalid_argument("TraceWriter: event args must be a JSON object or null");
  }
  if (m_events.size() >= m_max_events) {
    if (m_dropped++ == 0) m_first_dropped = event;
    return false;
  }
  if (args.is_object()) {
    m_args.push_back(std::move(args));
    event.args = static_cast<uint32_t>(m_args.size());
  }
  m_events.push_back(event);
  return true;
}

bool TraceWriter::complete(TrackId track, NameId name, uint64_t start_cycle,
                           uint64_t duration_cycles, json args) {
  return add({start_cycle, duration_cycles, 0.0, track.index, name.index, 0, 'X'}, std::move(args));
}

bool TraceWriter::complete(TrackId track, std::string_view name, std::string_view category,
                           uint64_t start_cycle, uint64_t duration_cycles, json args) {
  return complete(track, intern(name, category), start_cycle, duration_cycles, std::move(args));
}

bool TraceWriter::instant(TrackId track, NameId name, uint64_t cycle, json args) {
  return add({cycle, 0, 0.0, track.index, name.index, 0, 'i'}, std::move(args));
}

bool TraceWriter::counter(ProcessId process, NameId name, uint64_t cycle, double value) {
  return add({cycle, 0, value, process.index, name.index, 0, 'C'}, nullptr);
}

bool TraceWriter::counter(ProcessId process, std::string_view name, uint64_t cycle, double value) {
  return counter(process, intern(name), cycle, value);
}

bool TraceWriter::counter(ProcessId process, std::string_view name, uint64_t cycle,
                          const std::vector<std::pair<std::string, double>>& series) {
  json args = json::object();
  for (const auto& [key, value] : series) args[key] = value;
  return add({cycle, 0, 0.0, process.index, intern(name).index, 0, 'C'}, std::move(args));
}

json TraceWriter::event_json(const Event& e) const {
  const Name& n = m_names[e.name];
  json j = {{"name", n.name}, {"ph", std::string(1, e.phase)}, {"ts", cycles_to_us(e.start)}};
  if (!n.category.empty()) j["cat"] = n.category;
  if (e.phase == 'C') {
    j["pid"] = e.where + 1;
    j["args"] = e.args ? m_args[e.args - 1] : json{{"value", e.value}};
    return j;
  }
  j["pid"] = m_threads[e.where].process + 1;
  j["tid"] = e.where + 1;
  if (e.phase == 'X') j["dur"] = cycles_to_us(e.duration);
  if (e.phase == 'i') j["s"] = "t";
  if (e.args) j["args"] = m_args[e.args - 1];
  return j;
}

void TraceWriter::write(std::ostream& out) const {
  bool first = true;
  auto emit = [&](const json& event) {
    out << (first ? "\n" : ",\n") << event.dump();
    first = false;
  };
  auto meta = [](const char* what, uint32_t pid, uint32_t tid, json args) {
    return json{{"name", what}, {"ph", "M"}, {"pid", pid}, {"tid", tid}, {"args", std::move(args)}};
  };
  out << "{\"traceEvents\":[";
  for (uint32_t p = 0; p < m_processes.size(); ++p) {
    emit(meta("process_name", p + 1, 0, {{"name", m_processes[p].name}}));
    emit(meta("process_sort_index", p + 1, 0, {{"sort_index", p}}));
    uint32_t sort_index = 0;
    for (uint32_t t : m_processes[p].threads) {
      emit(meta("thread_name", p + 1, t + 1, {{"name", m_threads[t].name}}));
      emit(meta("thread_sort_index", p + 1, t + 1, {{"sort_index", sort_index++}}));
    }
  }
  // Events by start cycle, longer first, then in the order added (a stable sort).
  std::vector<uint32_t> order(m_events.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Event& x = m_events[a];
    const Event& y = m_events[b];
    if (x.start != y.start) return x.start < y.start;
    return x.duration > y.duration;
  });
  for (uint32_t i : order) emit(event_json(m_events[i]));
  json other = {{"generator", "lowbit"},
                {"clock_mhz", m_clock_mhz},
                {"events", m_events.size()},
                {"dropped_events", m_dropped}};
  if (m_max_events != kUnlimited) other["max_events"] = m_max_events;
  if (m_dropped > 0) {
    const Event& d = m_first_dropped;
    const bool counter = d.phase == 'C';
    emit({{"name", "trace truncated"},
          {"ph", "i"},
          {"s", "g"},
          {"pid", counter ? d.where + 1 : m_threads[d.where].process + 1},
          {"tid", counter ? 0 : d.where + 1},
          {"ts", cycles_to_us(d.start)},
          {"args",
           {{"dropped_events", m_dropped},
            {"max_events", m_max_events},
            {"first_dropped_cycle", d.start}}}});
  }
  out << "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":" << other.dump() << "}\n";
}

std::string TraceWriter::dump() const {
  std::ostringstream out;
  write(out);
  return out.str();
}

void TraceWriter::write(const std::filesystem::path& path) const {
  AtomicFile file(path);
  write(file.stream());
  file.commit();
}

}  // namespace lowbit
