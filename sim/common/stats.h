// Named, described statistics counters arranged as a tree keyed by component path.
#pragma once

#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace lowbit {

/// One component's statistics: counters plus child components. What it models: the stats tree that
/// every backend exports as stats.json. Counters are registered once at construction (names are
/// never looked up on the hot path: callers keep the returned reference, which stays valid for the
/// group's lifetime).
class StatGroup {
 public:
  explicit StatGroup(std::string name) : m_name(std::move(name)) {}
  StatGroup(const StatGroup&) = delete;
  StatGroup& operator=(const StatGroup&) = delete;

  /// Registers a counter (or returns the existing one of that name) and returns a stable reference.
  uint64_t& counter(std::string_view name, std::string_view description,
                    std::string_view unit = "events");
  /// Returns the child group of that name, creating it on first use.
  StatGroup& child(std::string_view name);

  const std::string& name() const { return m_name; }
  /// Value of a counter by path relative to this group ("array.lookups"); throws if absent.
  uint64_t value(std::string_view path) const;
  /// Sets every counter of this subtree to zero.
  void reset();

  /// {"counter": value, ..., "child": {...}} in registration order (byte-stable).
  nlohmann::ordered_json to_json() const;
  /// Same tree with {"value", "unit", "description"} objects instead of plain values.
  nlohmann::ordered_json describe() const;

 private:
  struct Counter {
    std::string name;
    std::string description;
    std::string unit;
    uint64_t value = 0;
  };
  std::string m_name;
  std::deque<Counter> m_counters;
  std::deque<StatGroup> m_children;
};

}  // namespace lowbit
