// bitmod_array datapath in C++: the same integer and FP32 operations as the RTL, in tight loops.
#include "sim/bitmod/bitmod_core.h"

#include <algorithm>

#include "model/formats/fp16.h"
#include "model/kernels/mixpe_tile.h"

namespace lowbit {

BitmodCore::BitmodCore(const PeArrayParams& params, StatGroup& stats)
    : PeArrayCore(params, latency_of(params), stats),
      m_acc_bits(params.mixpe_acc_bits()),
      m_digit_adds(stats.child("pe").counter(
          "digit_adds", "bit-serial digit additions (a x 2-bit digit << shift): R x C per beat")),
      m_row_converts(stats.child("pe").counter(
          "row_converts", "activation conversions to fixed point (one per row per beat)")),
      m_decodes(stats.child("pe").counter(
          "decodes", "weight decodes to the unified form (one per column per beat)")) {
  const auto n = static_cast<size_t>(params.rows) * params.cols;
  m_acc.assign(n, 0);
  m_sh.assign(n, 0);
  m_fx.assign(params.rows, 0);
  m_digit.assign(params.cols, 0);
  m_shift.assign(params.cols, 0);
  for (uint32_t t = 0; t < 16; ++t) {
    for (uint32_t c = 0; c < 16; ++c) m_dec[t][c] = bitmod_unified(t, c);
  }
}

void BitmodCore::reset_datapath() {
  std::fill(m_acc.begin(), m_acc.end(), 0);
  std::fill(m_sh.begin(), m_sh.end(), 0);
  m_slice = 0;
}

int64_t BitmodCore::sext(uint64_t v) const {
  if (m_acc_bits >= 64) return static_cast<int64_t>(v);
  const int sh = 64 - m_acc_bits;
  return static_cast<int64_t>(v << sh) >> sh;
}

int64_t BitmodCore::shadow_sum(int row, int col) const {
  return sext(m_sh[static_cast<size_t>(row) * m_p.cols + col]);
}

void BitmodCore::step(bool grp_last) {
  const int rows = m_p.rows;
  const int cols = m_p.cols;
  const uint8_t* types = head_zero();
  for (int c = 0; c < cols; ++c) {
    // The decoder sees the low nibbles of the type byte and of the code byte.
    const BitmodTerm term = m_dec[types[c] & 0xFu][x_w_in[c] & 0xFu];
    m_digit[c] = bitmod_slice_digit(term.mant, m_slice);
    m_shift[c] = term.exp + 2 * m_slice;
  }
  for (int r = 0; r < rows; ++r) {
    m_fx[r] = static_cast<uint64_t>(tile_act_int(x_act_in[r], m_fp16));
  }
  m_row_converts += static_cast<uint64_t>(rows);
  m_decodes += static_cast<uint64_t>(cols);
  m_digit_adds += static_cast<uint64_t>(rows) * cols;
  for (int r = 0; r < rows; ++r) {
    const uint64_t a = m_fx[r];
    uint64_t* acc = &m_acc[static_cast<size_t>(r) * cols];
    for (int c = 0; c < cols; ++c) {
      acc[c] += (a * static_cast<uint64_t>(m_digit[c])) << m_shift[c];
    }
    if (grp_last) {
      uint64_t* sh = &m_sh[static_cast<size_t>(r) * cols];
      std::copy(acc, acc + cols, sh);
      std::fill(acc, acc + cols, 0);
    }
  }
  m_slice = grp_last ? 0 : m_slice ^ 1;
}

void BitmodCore::drain_row(int row, const float* out, float* res) {
  const int cols = m_p.cols;
  const uint64_t* sh = &m_sh[static_cast<size_t>(row) * cols];
  for (int c = 0; c < cols; ++c) {
    const float prod =
        pe_array_fp::mul(static_cast<float>(sext(sh[c])), fp16_to_float(m_sh_scale[c]));
    res[c] = pe_array_fp::add(out[c], prod);
  }
}

}  // namespace lowbit
