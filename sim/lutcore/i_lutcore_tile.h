// The lutcore tile's pins as the accelerator top drives them, whatever implements them.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/lutcore/lutcore_core.h"

namespace lowbit {

/// What it models: the pin interface of rtl/lutcore/lutcore_tile.sv at cycle level
/// (docs/lutcore.md, "Ports"), without SystemC signals, so the top's core unit can clock a tile in
/// a tight loop. Implementations: LutcoreModelTile (the cycle-exact C++ model) and the Verilated
/// RTL (rtl backend, host/lib/rtl_tiles). Callers may assume identical pins cycle for cycle from
/// every implementation; implementers must not read `beat` unless the beat is accepted (in_valid &&
/// in_ready).
class ILutcoreTile {
 public:
  virtual ~ILutcoreTile() = default;
  /// Asynchronous reset (rst_ni low for one edge).
  virtual void reset() = 0;
  /// in_ready_o for the current registers, the cfg pins and out_ready_i (never depends on
  /// in_valid).
  virtual bool in_ready(const LutcoreCfg& cfg, bool out_ready) = 0;
  /// out_valid_o.
  virtual bool out_valid() = 0;
  /// out_data_o: [m][n] FP32 bit patterns; meaningful while out_valid().
  virtual const std::vector<uint32_t>& out_data() = 0;
  /// One rising clock edge with these input pins.
  virtual void clock(const LutcoreCfg& cfg, bool in_valid, bool out_ready,
                     const LutcoreBeat& beat) = 0;
};

/// The cycle-exact C++ model behind the interface (its counters go to `stats`).
class LutcoreModelTile final : public ILutcoreTile {
 public:
  LutcoreModelTile(const LutcoreParams& params, StatGroup& stats) : m_core(params, stats) {}
  void reset() override { m_core.reset(); }
  bool in_ready(const LutcoreCfg& cfg, bool out_ready) override {
    return m_core.in_ready(cfg, out_ready);
  }
  bool out_valid() override { return m_core.out_valid(); }
  const std::vector<uint32_t>& out_data() override { return m_core.out_data(); }
  void clock(const LutcoreCfg& cfg, bool in_valid, bool out_ready,
             const LutcoreBeat& beat) override {
    m_core.clock(cfg, in_valid, out_ready, beat);
  }
  const LutcoreCore& core() const { return m_core; }

 private:
  LutcoreCore m_core;
};

}  // namespace lowbit
