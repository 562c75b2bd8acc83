// What the report says about the CPU: /proc/cpuinfo (model, cores, flags), sysfs LLC, cpuid.
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

#include "lowbit/cpu_reference.h"

namespace lowbit {
namespace {

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// sysfs cache sizes look like "32768K" or "2M".
size_t parse_cache_size(const std::string& text) {
  size_t value = 0;
  size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9')
    value = value * 10 + (text[i++] - '0');
  if (i < text.size() && (text[i] == 'K' || text[i] == 'k')) value <<= 10;
  if (i < text.size() && (text[i] == 'M' || text[i] == 'm')) value <<= 20;
  return value;
}

// The largest cache of cpu0 (the last level), 0 when sysfs does not say.
size_t read_llc_bytes() {
  size_t best = 0;
  for (int index = 0; index < 8; ++index) {
    std::ifstream in("/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/size");
    if (!in) continue;
    std::string text;
    in >> text;
    best = std::max(best, parse_cache_size(text));
  }
  return best;
}

}  // namespace

CpuInfo parse_cpuinfo(std::string_view text) {
  CpuInfo info;
  std::set<std::pair<std::string, std::string>> cores;  // (physical id, core id)
  std::string physical;
  bool first_flags = true;
  bool first_mhz = true;
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trim(std::string_view(line).substr(0, colon));
    const std::string value = trim(std::string_view(line).substr(colon + 1));
    if (key == "processor") {
      ++info.logical_cpus;
    } else if (key == "model name" && info.model_name.empty()) {
      info.model_name = value;
    } else if (key == "cpu MHz" && first_mhz) {
      info.mhz = std::strtod(value.c_str(), nullptr);
      first_mhz = false;
    } else if (key == "physical id") {
      physical = value;
    } else if (key == "core id") {
      cores.emplace(physical, value);
    } else if (key == "flags" && first_flags) {
      std::istringstream words(value);
      std::string flag;
      while (words >> flag) info.flags.push_back(flag);
      first_flags = false;
    }
  }
  info.physical_cores = cores.empty() ? info.logical_cpus : static_cast<int>(cores.size());
  return info;
}

CpuInfo read_cpu_info(const std::string& cpuinfo_path) {
  std::ifstream in(cpuinfo_path);
  std::stringstream text;
  text << in.rdbuf();
  CpuInfo info = parse_cpuinfo(text.str());
  if (info.logical_cpus == 0) {
    info.logical_cpus = static_cast<int>(std::thread::hardware_concurrency());
    info.physical_cores = info.logical_cpus;
  }
  if (info.model_name.empty()) info.model_name = "unknown";
  info.llc_bytes = read_llc_bytes();
  __builtin_cpu_init();
  info.avx2 = __builtin_cpu_supports("avx2");
  info.fma = __builtin_cpu_supports("fma");
  info.avx512f = __builtin_cpu_supports("avx512f");
  info.avx512bw = __builtin_cpu_supports("avx512bw");
  info.avx512_vnni = __builtin_cpu_supports("avx512vnni");
  return info;
}

}  // namespace lowbit
