// C entry points of liblowbit_rtl_tiles.so: find a config in the table, check its parameters and
// build the lockstep-checked adapter of its Verilated RTL.
#include <cstdio>
#include <exception>
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

std::string verilated_lutcore() {
  std::string s;
  for (const auto& e : lutcore_table()) {
    if (e.make != nullptr) s += (s.empty() ? "" : ", ") + std::string(e.name);
  }
  return s.empty() ? "none" : s;
}

std::string verilated_arrays(const std::string& unit) {
  std::string s;
  for (const auto& e : pe_array_table()) {
    if (e.make != nullptr && (unit.empty() || unit == e.unit)) {
      s += (s.empty() ? "" : ", ") + std::string(e.name);
    }
  }
  return s.empty() ? "none" : s;
}

// "n=16 (verilated: 8)" for every parameter that differs.
template <class T>
void diff(std::string& out, const char* key, T asked, T built) {
  if (asked == built) return;
  out += (out.empty() ? "" : ", ") + std::string(key) + "=" + std::to_string(asked) +
         " (verilated: " + std::to_string(built) + ")";
}

constexpr const char* kFixed =
    "the RTL's parameters are fixed when it is verilated from configs/<name>.json: drop the "
    "override, or add a config file and rebuild lowbit_rtl_tiles";

ILutcoreTile* make_lutcore(const std::string& asked, const LutcoreParams& p, StatGroup& stats,
                           std::string& err) {
  const std::string name = full_name("lutcore", asked);
  for (const auto& e : lutcore_table()) {
    if (name != e.name) continue;
    if (e.make == nullptr) {
      err = name + " is not verilated (" + e.why_not +
            "); verilated lutcore configs: " + verilated_lutcore();
      return nullptr;
    }
    std::string d;
    diff(d, "m", p.m, e.params.m);
    diff(d, "n", p.n, e.params.n);
    diff(d, "k", p.k, e.params.k);
    diff(d, "g", p.g, e.params.g);
    diff(d, "fp16", static_cast<int>(p.fp16), static_cast<int>(e.params.fp16));
    diff(d, "dequant_lanes", p.dequant_lanes, e.params.dequant_lanes);
    diff(d, "symmetric", static_cast<int>(p.symmetric), static_cast<int>(e.params.symmetric));
    if (!d.empty()) {
      err = name + " asks for lutcore." + d + "; " + kFixed +
            "; verilated lutcore configs: " + verilated_lutcore();
      return nullptr;
    }
    return e.make(e.name, p, stats);
  }
  err = "no Verilated lutcore tile for config '" + asked +
        "'; verilated lutcore configs: " + verilated_lutcore();
  return nullptr;
}

IPeArray* make_pe_array(const std::string& unit, const std::string& asked, const PeArrayParams& p,
                        StatGroup& stats, std::string& err) {
  if (unit != "mixpe" && unit != "mac") {
    err = "no Verilated PE array for unit '" + unit + "' (units: mixpe, mac)";
    return nullptr;
  }
  const std::string name = full_name(unit, asked);
  for (const auto& e : pe_array_table()) {
    if (unit != e.unit || name != e.name) continue;
    if (e.make == nullptr) {
      err = name + " is not verilated (" + e.why_not + "); verilated " + unit +
            " configs: " + verilated_arrays(unit);
      return nullptr;
    }
    std::string d;
    diff(d, "rows", p.rows, e.params.rows);
    diff(d, "cols", p.cols, e.params.cols);
    diff(d, "fp16", static_cast<int>(p.fp16), static_cast<int>(e.params.fp16));
    if (!d.empty()) {
      err = name + " asks for " + unit + "." + d + "; " + kFixed + "; verilated " + unit +
            " configs: " + verilated_arrays(unit);
      return nullptr;
    }
    return e.make(e.name, p, stats);
  }
  err = "no Verilated " + unit + " array for config '" + asked + "'; verilated " + unit +
        " configs: " + verilated_arrays(unit);
  return nullptr;
}

}  // namespace
}  // namespace lowbit::rtl_tiles

extern "C" uint64_t lowbit_rtl_abi() { return lowbit::rtl_abi::fingerprint(); }

extern "C" size_t lowbit_rtl_configs(char* out, size_t outlen) {
  std::string s;
  for (const auto& e : lowbit::rtl_tiles::lutcore_table()) {
    if (e.make != nullptr) s += (s.empty() ? "" : ",") + std::string(e.name);
  }
  for (const auto& e : lowbit::rtl_tiles::pe_array_table()) {
    if (e.make != nullptr) s += (s.empty() ? "" : ",") + std::string(e.name);
  }
  if (out != nullptr && outlen > 0) std::snprintf(out, outlen, "%s", s.c_str());
  return s.size();
}

extern "C" lowbit::ILutcoreTile* lowbit_rtl_make_lutcore(const char* config_name,
                                                         const lowbit::LutcoreParams* p,
                                                         lowbit::StatGroup* stats, char* err,
                                                         size_t errlen) {
  try {
    std::string msg;
    auto* tile = lowbit::rtl_tiles::make_lutcore(config_name, *p, *stats, msg);
    if (tile == nullptr) lowbit::rtl_tiles::set_error(err, errlen, msg);
    return tile;
  } catch (const std::exception& e) {
    lowbit::rtl_tiles::set_error(err, errlen, e.what());
  } catch (...) {
    lowbit::rtl_tiles::set_error(err, errlen, "unknown error building the lutcore RTL tile");
  }
  return nullptr;
}

extern "C" lowbit::IPeArray* lowbit_rtl_make_pe_array(const char* unit, const char* config_name,
                                                      const lowbit::PeArrayParams* p,
                                                      lowbit::StatGroup* stats, char* err,
                                                      size_t errlen) {
  try {
    std::string msg;
    auto* array = lowbit::rtl_tiles::make_pe_array(unit, config_name, *p, *stats, msg);
    if (array == nullptr) lowbit::rtl_tiles::set_error(err, errlen, msg);
    return array;
  } catch (const std::exception& e) {
    lowbit::rtl_tiles::set_error(err, errlen, e.what());
  } catch (...) {
    lowbit::rtl_tiles::set_error(err, errlen, "unknown error building the PE array RTL");
  }
  return nullptr;
}
