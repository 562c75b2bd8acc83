// Cycle-exact C++ core of bitmod_array: column decoders, bit-serial PEs, per-column dequant.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "model/formats/bitmod_unified.h"
#include "sim/mixpe/pe_array_core.h"

namespace lowbit {

/// What it models: rtl/bitmod/bitmod_array.sv's datapath (slice counter, column decoders, PE
/// accumulators and shadows, column dequant units) on top of the PE-array control shared with
/// mixpe and mac (PeArrayCore = lb_pe_array_ctrl.sv). Each x beat is one slice (two mantissa
/// bits) of a K step; the group byte of the g channel (g_zero) is the column's datatype id.
class BitmodCore : public PeArrayCore {
 public:
  BitmodCore(const PeArrayParams& params, StatGroup& stats);
  /// The array's latencies: broadcast PEs (no fill latency), the shared drain pipeline of
  /// dequant_stages (rtl/common/lb_pe_array_drain.sv).
  static PeArrayLatency latency_of(const PeArrayParams& params) {
    return PeArrayLatency{0, params.drain_latency(), params.drain_gap()};
  }

  /// The shadow group sum of PE (row, col) as the RTL holds it (AccW bits, sign-extended).
  int64_t shadow_sum(int row, int col) const;
  /// The slice the next x beat is (0 or 1).
  int slice() const { return m_slice; }

 protected:
  void step(bool grp_last) override;
  void drain_row(int row, const float* out, float* res) override;
  void reset_datapath() override;

 private:
  int64_t sext(uint64_t v) const;

  int m_acc_bits;
  int m_slice = 0;
  // bitmod_decode as a table: [type id 0..15][code 0..15] -> the unified form.
  std::array<std::array<BitmodTerm, 16>, 16> m_dec{};
  std::vector<uint64_t> m_acc, m_sh;  // [rows][cols], modulo 2^64 (the RTL keeps AccW bits)
  std::vector<uint64_t> m_fx;         // [rows] converted activations of the current beat
  std::vector<int64_t> m_digit;       // [cols] digits of the current beat
  std::vector<int> m_shift;           // [cols]
  uint64_t& m_digit_adds;
  uint64_t& m_row_converts;
  uint64_t& m_decodes;
};

}  // namespace lowbit
