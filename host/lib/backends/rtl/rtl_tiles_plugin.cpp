// C entry points of liblowbit_rtl_tiles.so: find a config in the table, check its RTL parameters
// and build the lockstep-checked adapter of its Verilated RTL. Nothing here knows a unit.
#include <cstdio>
#include <exception>
#include <map>
#include <sstream>
#include <string>

#include "host/lib/backends/rtl/rtl_tiles_abi.h"
#include "host/lib/backends/rtl/rtl_tiles_table.h"

namespace lowbit::rtl_tiles {
namespace {

void set_error(char* err, size_t errlen, const std::string& msg) {
  if (err != nullptr && errlen > 0) std::snprintf(err, errlen, "%s", msg.c_str());
}

// "m2n8k4" -> "lutcore_m2n8k4"; full names pass through.
std::string full_name(const std::string& unit, const std::string& name) {
  return name.rfind(unit + "_", 0) == 0 ? name : unit + "_" + name;
}

std::string verilated(const std::string& unit) {
  std::string s;
  for (const auto& e : tile_table()) {
    if (e.make != nullptr && unit == e.unit) s += (s.empty() ? "" : ", ") + std::string(e.name);
  }
  return s.empty() ? "none" : s;
}

std::string units_with_rtl() {
  std::map<std::string, int> units;
  for (const auto& e : tile_table()) units[e.unit] = 1;
  std::string s;
  for (const auto& [u, one] : units) s += (s.empty() ? "" : ", ") + u;
  return s.empty() ? "none" : s;
}

std::map<std::string, std::string> parse_params(const std::string& list) {
  std::map<std::string, std::string> kv;
  std::istringstream in(list);
  std::string tok;
  while (in >> tok) {
    const auto eq = tok.find('=');
    kv[tok.substr(0, eq)] = eq == std::string::npos ? "" : tok.substr(eq + 1);
  }
  return kv;
}

// "n=16 (verilated: 8)" for every RTL parameter that differs.
std::string diff(const std::string& asked, const std::string& built) {
  const auto a = parse_params(asked);
  const auto b = parse_params(built);
  std::string out;
  for (const auto& [key, value] : b) {
    const auto it = a.find(key);
    const std::string want = it == a.end() ? "(absent)" : it->second;
    if (want != value) {
      out += (out.empty() ? "" : ", ") + key + "=" + want + " (verilated: " + value + ")";
    }
  }
  for (const auto& [key, value] : a) {
    if (b.count(key) == 0)
      out += (out.empty() ? "" : ", ") + key + "=" + value + " (not verilated)";
  }
  return out;
}

constexpr const char* kFixed =
    "the RTL's parameters are fixed when it is verilated from configs/<name>.json: drop the "
    "override, or add a config file and rebuild lowbit_rtl_tiles";

void* make(const std::string& unit, const std::string& asked, const std::string& rtl_params,
           const void* params, StatGroup& stats, std::string& err) {
  bool known_unit = false;
  for (const auto& e : tile_table()) known_unit = known_unit || unit == e.unit;
  if (!known_unit) {
    err = "no Verilated RTL for unit '" + unit + "' (units with RTL: " + units_with_rtl() + ")";
    return nullptr;
  }
  const std::string name = full_name(unit, asked);
  for (const auto& e : tile_table()) {
    if (unit != e.unit || name != e.name) continue;
    if (e.make == nullptr) {
      err = name + " is not verilated (" + e.why_not + "); verilated " + unit +
            " configs: " + verilated(unit);
      return nullptr;
    }
    const std::string d = diff(rtl_params, e.rtl_params);
    if (!d.empty()) {
      err = name + " asks for " + unit + "." + d + "; " + kFixed + "; verilated " + unit +
            " configs: " + verilated(unit);
      return nullptr;
    }
    return e.make(e.name, params, stats);
  }
  err = "no Verilated " + unit + " RTL for config '" + asked + "'; verilated " + unit +
        " configs: " + verilated(unit);
  return nullptr;
}

}  // namespace
}  // namespace lowbit::rtl_tiles

extern "C" uint64_t lowbit_rtl_abi() { return lowbit::rtl_abi::fingerprint(); }

extern "C" size_t lowbit_rtl_configs(char* out, size_t outlen) {
  std::string s;
  for (const auto& e : lowbit::rtl_tiles::tile_table()) {
    if (e.make != nullptr) s += (s.empty() ? "" : ",") + std::string(e.name);
  }
  if (out != nullptr && outlen > 0) std::snprintf(out, outlen, "%s", s.c_str());
  return s.size();
}

extern "C" void* lowbit_rtl_make(const char* unit, const char* config_name, const char* rtl_params,
                                 const void* params, lowbit::StatGroup* stats, char* err,
                                 size_t errlen) {
  try {
    std::string msg;
    void* tile = lowbit::rtl_tiles::make(unit, config_name, rtl_params, params, *stats, msg);
    if (tile == nullptr) lowbit::rtl_tiles::set_error(err, errlen, msg);
    return tile;
  } catch (const std::exception& e) {
    lowbit::rtl_tiles::set_error(err, errlen, e.what());
  } catch (...) {
    lowbit::rtl_tiles::set_error(err, errlen,
                                 std::string("unknown error building the ") + unit + " RTL tile");
  }
  return nullptr;
}
