// The host API: connect(backend, config) returns an Accelerator that runs compiled programs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/arch/hw_config.h"
#include "model/arch/program.h"

namespace lowbit {

/// Called for every DRAM write of a program: address, bytes. The verification scoreboard.
using StoreHook = std::function<void(uint64_t dram, const uint8_t* data, uint64_t bytes)>;

/// One span of a unit's activity in cycles (the Chrome-trace timeline).
struct UnitSpan {
  std::string unit;
  std::string name;
  uint64_t start = 0, end = 0;
  uint64_t address = 0;
};

struct ConnectOptions {
  std::string vcd_path;     ///< sim / rtl: waveforms of the units (VCD), empty = none
  size_t timeline_cap = 0;  ///< sim / rtl: keep at most this many timeline spans
};

/// What it is: one accelerator instance of a hardware config on a backend (CIRCT ESI's shape).
/// The same program runs on every backend; timed backends also return cycles and a stats tree.
/// An Accelerator is created once per process for the sim and rtl backends (SystemC elaborates
/// once); it may run many programs.
class Accelerator {
 public:
  virtual ~Accelerator() = default;
  virtual std::string backend() const = 0;
  virtual const HwConfig& config() const = 0;
  /// True if run() returns simulated cycles (sim, rtl); false for the untimed golden backend.
  virtual bool timed() const = 0;
  /// Runs the program to its halt; every store is reported to `on_store`. Returns cycles (0 when
  /// untimed). Throws std::runtime_error for an illegal instruction or a deadlock.
  virtual uint64_t run(Program& program, const StoreHook& on_store) = 0;
  /// The stats tree of the last run ({} when untimed), keyed by component path.
  virtual nlohmann::ordered_json stats() const = 0;
  /// The same tree with units and descriptions per counter.
  virtual nlohmann::ordered_json describe_stats() const = 0;
  /// Timeline spans of the last run (empty unless ConnectOptions::timeline_cap > 0).
  virtual std::vector<UnitSpan> timeline() const { return {}; }
  virtual uint64_t timeline_dropped() const { return 0; }
};

/// Backend names: "golden" (functional, untimed), "sim" (SystemC top with the C++ tile models),
/// "rtl" (the same top with the Verilated tiles, checked in lockstep against the models).
std::vector<std::string> backend_names();
/// Throws InputError for an unknown backend (naming the allowed ones) or an unavailable one.
std::unique_ptr<Accelerator> connect(const std::string& backend, const HwConfig& hw,
                                     const ConnectOptions& options = {});

}  // namespace lowbit
