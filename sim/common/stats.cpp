// Statistics tree: registration, lookup by path and JSON export.
#include "sim/common/stats.h"

#include <stdexcept>

namespace lowbit {

uint64_t& StatGroup::counter(std::string_view name, std::string_view description,
                             std::string_view unit) {
  for (auto& c : m_counters) {
    if (c.name == name) return c.value;
  }
  m_counters.push_back({std::string(name), std::string(description), std::string(unit), 0});
  return m_counters.back().value;
}

StatGroup& StatGroup::child(std::string_view name) {
  for (auto& g : m_children) {
    if (g.m_name == name) return g;
  }
  return m_children.emplace_back(std::string(name));
}

uint64_t StatGroup::value(std::string_view path) const {
  const auto dot = path.find('.');
  if (dot == std::string_view::npos) {
    for (const auto& c : m_counters) {
      if (c.name == path) return c.value;
    }
  } else {
    const auto head = path.substr(0, dot);
    for (const auto& g : m_children) {
      if (g.m_name == head) return g.value(path.substr(dot + 1));
    }
  }
  throw std::out_of_range("no statistic '" + std::string(path) + "' under '" + m_name + "'");
}

void StatGroup::reset() {
  for (auto& c : m_counters) c.value = 0;
  for (auto& g : m_children) g.reset();
}

nlohmann::ordered_json StatGroup::to_json() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& c : m_counters) j[c.name] = c.value;
  for (const auto& g : m_children) j[g.m_name] = g.to_json();
  return j;
}

nlohmann::ordered_json StatGroup::describe() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& c : m_counters) {
    j[c.name] = {{"value", c.value}, {"unit", c.unit}, {"description", c.description}};
  }
  for (const auto& g : m_children) j[g.m_name] = g.describe();
  return j;
}

}  // namespace lowbit
