// Package energy from RAPL (Linux powercap): energy_uj before and after, one wraparound corrected.
#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "lowbit/cpu_reference.h"

namespace lowbit {
namespace {

bool read_u64(const std::string& path, uint64_t* value) {
  std::ifstream in(path);
  unsigned long long v = 0;
  if (!(in >> v)) return false;
  *value = v;
  return true;
}

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

// Top-level package zones are "intel-rapl:N" (AMD's RAPL driver uses the same name); sub-zones
// "intel-rapl:N:M" (core, uncore, dram) are parts of the package and would double count.
bool is_package_zone(const std::string& name) {
  const std::string prefix = "intel-rapl:";
  if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size()) return false;
  return std::all_of(name.begin() + prefix.size(), name.end(),
                     [](char ch) { return ch >= '0' && ch <= '9'; });
}

}  // namespace

RaplMeter::RaplMeter(const std::string& powercap_root) {
  DIR* dir = opendir(powercap_root.c_str());
  if (!dir) {
    m_reason = powercap_root + " does not exist (no RAPL: virtual machine or no powercap driver)";
    return;
  }
  std::vector<std::string> zones;
  while (const dirent* e = readdir(dir)) {
    if (is_package_zone(e->d_name)) zones.emplace_back(e->d_name);
  }
  closedir(dir);
  std::sort(zones.begin(), zones.end());
  std::string unreadable;
  for (const auto& zone : zones) {
    const std::string base = powercap_root + "/" + zone;
    Domain d;
    d.energy_path = base + "/energy_uj";
    d.name = read_line(base + "/name");
    if (d.name.empty()) d.name = zone;
    uint64_t probe = 0;
    if (!read_u64(d.energy_path, &probe)) {
      unreadable = d.energy_path;
      continue;
    }
    if (!read_u64(base + "/max_energy_range_uj", &d.range_uj)) d.range_uj = 0;
    m_domains.push_back(d);
  }
  if (m_domains.empty()) {
    m_reason = zones.empty() ? "no RAPL package zone under " + powercap_root
                             : unreadable + " is not readable (needs root since Linux 5.10)";
  }
}

std::string RaplMeter::domains() const {
  std::string s;
  for (const auto& d : m_domains) s += (s.empty() ? "" : ", ") + d.name;
  return s;
}

void RaplMeter::start() {
  for (auto& d : m_domains) read_u64(d.energy_path, &d.start_uj);
}

double RaplMeter::stop_joules() {
  double joules = 0;
  for (const auto& d : m_domains) {
    uint64_t now = d.start_uj;
    read_u64(d.energy_path, &now);
    joules += static_cast<double>(delta_uj(d.start_uj, now, d.range_uj)) * 1e-6;
  }
  return joules;
}

uint64_t RaplMeter::delta_uj(uint64_t before, uint64_t after, uint64_t range_uj) {
  if (after >= before) return after - before;
  // The counter wrapped once: it counts from `before` up to range_uj, then from 0 to `after`.
  return range_uj >= before ? range_uj - before + after : after;
}

}  // namespace lowbit
