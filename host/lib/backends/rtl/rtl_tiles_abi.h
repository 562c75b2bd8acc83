// The C entry points of the plugin liblowbit_rtl_tiles.so, shared by the plugin and its loader.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/common/stats.h"

namespace lowbit {

/// The Verilator seed of every rtl backend model (+verilator+seed+N, with +verilator+rand+reset+0).
/// Verilator 5.006 picks a random seed when none is given; the tiles reset every register, so the
/// seed only has to be fixed for runs to be reproducible.
inline constexpr int kRtlVerilatorSeed = 1;

}  // namespace lowbit

namespace lowbit::rtl_abi {

/// Bump when an entry point's meaning changes.
inline constexpr uint64_t kVersion = 2;

/// Compiled into both sides: a plugin built from other headers than the loader (a stale build)
/// returns another value from lowbit_rtl_abi() and is refused instead of crashing.
/// LOWBIT_RTL_ABI_TAG is a hash of the headers whose types cross the boundary (the units' tile
/// interfaces and parameter structs, the stats tree), computed by CMake when it configures.
constexpr uint64_t fingerprint() { return kVersion * 1000003u + LOWBIT_RTL_ABI_TAG; }

/// File name of the plugin (CMake target lowbit_rtl_tiles).
inline constexpr const char* kPluginFile = "liblowbit_rtl_tiles.so";

// Entry point names and types (dlsym).
inline constexpr const char* kAbiSymbol = "lowbit_rtl_abi";
inline constexpr const char* kConfigsSymbol = "lowbit_rtl_configs";
inline constexpr const char* kMakeSymbol = "lowbit_rtl_make";
using AbiFn = uint64_t (*)();
using ConfigsFn = size_t (*)(char* out, size_t outlen);
using MakeFn = void* (*)(const char* unit, const char* config_name, const char* rtl_params,
                         const void* params, StatGroup* stats, char* err, size_t errlen);

}  // namespace lowbit::rtl_abi

/// The plugin is built with hidden visibility; only these entry points are exported.
#define LOWBIT_RTL_EXPORT __attribute__((visibility("default")))

extern "C" {
/// rtl_abi::fingerprint() as the plugin was compiled.
LOWBIT_RTL_EXPORT uint64_t lowbit_rtl_abi();
/// Writes the verilated config names, comma separated ("lutcore_m2n8k4,mixpe_8x8,..."), NUL
/// terminated and truncated to outlen; returns the full length without the NUL.
LOWBIT_RTL_EXPORT size_t lowbit_rtl_configs(char* out, size_t outlen);
/// A new tile of unit `unit` on the Verilated RTL of `config_name` ("lutcore_m2n8k4", or
/// "m2n8k4"), checked in lockstep against the unit's C++ model whose counters go to `stats`.
/// `params` points to the unit's parameter struct, `rtl_params` is its rtl_param_list(), which
/// must equal the verilated one. Returns the tile as a pointer to the unit's tile interface (the
/// caller owns it and deletes it through that interface), or nullptr and a one-line message in
/// `err`; never throws.
LOWBIT_RTL_EXPORT void* lowbit_rtl_make(const char* unit, const char* config_name,
                                        const char* rtl_params, const void* params,
                                        lowbit::StatGroup* stats, char* err, size_t errlen);
}
