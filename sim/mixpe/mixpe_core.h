// Cycle-exact C++ core of mixpe_array: shift&add PEs, integer group sums, per-column dequant.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/mixpe/pe_array_core.h"

namespace lowbit {

/// What it models: rtl/mixpe/mixpe_array.sv's datapath (row converters and sums, PE accumulators
/// and shadows, column dequant units) on top of the shared control. One tight loop per step.
class MixpeCore : public PeArrayCore {
 public:
  MixpeCore(const PeArrayParams& params, StatGroup& stats);

  /// The shadow group sum of PE (row, col) as the RTL holds it (AccW bits, sign-extended).
  int64_t shadow_sum(int row, int col) const;

 protected:
  void step(bool grp_last) override;
  void drain_row(int row, const float* out, float* res) override;
  void reset_datapath() override;

 private:
  int64_t sext(uint64_t v) const;

  int m_acc_bits;
  std::vector<uint64_t> m_acc, m_sh;        // [rows][cols], modulo 2^64 (RTL keeps AccW bits)
  std::vector<uint64_t> m_asum, m_sh_asum;  // [rows]
  std::vector<uint64_t> m_fx;               // [rows] converted activations of the current step
  std::vector<uint64_t> m_u;                // [cols] masked codes of the current step
  uint64_t& m_shift_adds;
  uint64_t& m_row_converts;
};

}  // namespace lowbit
