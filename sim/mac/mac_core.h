// Cycle-exact C++ core of mac_array: weight dequantizers, multiplier PEs, per-column dequant.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/mixpe/pe_array_core.h"

namespace lowbit {

/// What it models: rtl/mac/mac_array.sv's datapath (mac_wdeq per column, mac_pe per element,
/// mac_dequant per column) on top of the control shared with mixpe. One tight loop per step.
class MacCore : public PeArrayCore {
 public:
  MacCore(const PeArrayParams& params, StatGroup& stats);

  /// mac_wdeq's integer weight: 9-bit two's complement of (binary ? 2u : u) - z_eff.
  static int weight_int(int kind, int bits, uint8_t code, uint8_t zero);

 protected:
  void step(bool grp_last) override;
  void drain_row(int row, const float* out, float* res) override;
  void reset_datapath() override;

 private:
  std::vector<uint32_t> m_acc, m_sh;  // [rows][cols]: INT32 sums or FP32 bits
  std::vector<int32_t> m_w;           // [cols] integer weights of the current step
  std::vector<float> m_wf;            // [cols] FP16 weights of the current step, as float
  std::vector<float> m_af;            // [rows] FP16 activations as float
  uint64_t& m_macs;
  uint64_t& m_wdeqs;
};

}  // namespace lowbit
