// The C entry points of the plugin liblowbit_rtl_tiles.so, shared by the plugin and its loader.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/common/stats.h"
#include "sim/lutcore/i_lutcore_tile.h"
#include "sim/mixpe/i_pe_array.h"

namespace lowbit {

/// The Verilator seed of every rtl backend model (+verilator+seed+N, with +verilator+rand+reset+0).
/// Verilator 5.006 picks a random seed when none is given; the tiles reset every register, so the
/// seed only has to be fixed for runs to be reproducible.
inline constexpr int kRtlVerilatorSeed = 1;

}  // namespace lowbit

namespace lowbit::rtl_abi {

/// Bump when an entry point's meaning changes.
inline constexpr uint64_t kVersion = 1;

/// Compiled into both sides: a plugin built from other headers than the loader (a stale build)
/// returns another value from lowbit_rtl_abi() and is refused instead of crashing.
constexpr uint64_t fingerprint() {
  uint64_t h = kVersion;
  for (uint64_t s : {sizeof(LutcoreParams), sizeof(LutcoreCfg), sizeof(LutcoreBeat),
                     sizeof(ILutcoreTile), sizeof(PeArrayParams), sizeof(PeArrayTileDesc),
                     sizeof(PeArrayInputs), sizeof(IPeArray), sizeof(StatGroup)}) {
    h = h * 1000003u + s;
  }
  return h;
}

/// File name of the plugin (CMake target lowbit_rtl_tiles).
inline constexpr const char* kPluginFile = "liblowbit_rtl_tiles.so";

// Entry point names and types (dlsym).
inline constexpr const char* kAbiSymbol = "lowbit_rtl_abi";
inline constexpr const char* kConfigsSymbol = "lowbit_rtl_configs";
inline constexpr const char* kMakeLutcoreSymbol = "lowbit_rtl_make_lutcore";
inline constexpr const char* kMakePeArraySymbol = "lowbit_rtl_make_pe_array";
using AbiFn = uint64_t (*)();
using ConfigsFn = size_t (*)(char* out, size_t outlen);
using MakeLutcoreFn = ILutcoreTile* (*)(const char* config_name, const LutcoreParams* p,
                                        StatGroup* stats, char* err, size_t errlen);
using MakePeArrayFn = IPeArray* (*)(const char* unit, const char* config_name,
                                    const PeArrayParams* p, StatGroup* stats, char* err,
                                    size_t errlen);

}  // namespace lowbit::rtl_abi

/// The plugin is built with hidden visibility; only these entry points are exported.
#define LOWBIT_RTL_EXPORT __attribute__((visibility("default")))

extern "C" {
/// rtl_abi::fingerprint() as the plugin was compiled.
LOWBIT_RTL_EXPORT uint64_t lowbit_rtl_abi();
/// Writes the verilated config names, comma separated ("lutcore_m2n8k4,mixpe_8x8,..."), NUL
/// terminated and truncated to outlen; returns the full length without the NUL.
LOWBIT_RTL_EXPORT size_t lowbit_rtl_configs(char* out, size_t outlen);
/// A new lutcore tile of the Verilated RTL of `config_name` ("lutcore_m2n8k4", or "m2n8k4"),
/// checked in lockstep against the C++ model whose counters go to `stats`; the caller owns it
/// (delete through ILutcoreTile). nullptr and a one-line message in `err` if that config was not
/// verilated or `p` differs from its verilated parameters; never throws.
LOWBIT_RTL_EXPORT lowbit::ILutcoreTile* lowbit_rtl_make_lutcore(const char* config_name,
                                                                const lowbit::LutcoreParams* p,
                                                                lowbit::StatGroup* stats, char* err,
                                                                size_t errlen);
/// The same for a PE array: `unit` "mixpe" or "mac", `config_name` "mixpe_8x8" (or "8x8").
LOWBIT_RTL_EXPORT lowbit::IPeArray* lowbit_rtl_make_pe_array(const char* unit,
                                                             const char* config_name,
                                                             const lowbit::PeArrayParams* p,
                                                             lowbit::StatGroup* stats, char* err,
                                                             size_t errlen);
}
