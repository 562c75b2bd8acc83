// mixpe_array datapath in C++: the same integer and FP32 operations as the RTL, in tight loops.
#include "sim/mixpe/mixpe_core.h"

#include <algorithm>
#include <bit>

#include "model/formats/fp16.h"
#include "model/formats/fp_weight.h"
#include "model/formats/weight_kind.h"
#include "model/kernels/mixpe_tile.h"

namespace lowbit {

MixpeCore::MixpeCore(const PeArrayParams& params, StatGroup& stats)
    : PeArrayCore(
          params,
          PeArrayLatency{params.fill_latency(false), params.drain_latency(), params.drain_gap()},
          stats),
      m_acc_bits(params.mixpe_acc_bits()),
      m_shift_adds(stats.child("pe").counter(
          "shift_adds", "partial-product additions: R x C x b per step (b = weight bits)")),
      m_row_converts(stats.child("pe").counter(
          "row_converts", "activation conversions to fixed point (one per row per step)")) {
  const auto n = static_cast<size_t>(params.rows) * params.cols;
  m_acc.assign(n, 0);
  m_sh.assign(n, 0);
  m_asum.assign(params.rows, 0);
  m_sh_asum.assign(params.rows, 0);
  m_fx.assign(params.rows, 0);
  m_u.assign(params.cols, 0);
}

void MixpeCore::reset_datapath() {
  std::fill(m_acc.begin(), m_acc.end(), 0);
  std::fill(m_sh.begin(), m_sh.end(), 0);
  std::fill(m_asum.begin(), m_asum.end(), 0);
  std::fill(m_sh_asum.begin(), m_sh_asum.end(), 0);
}

int64_t MixpeCore::sext(uint64_t v) const {
  if (m_acc_bits >= 64) return static_cast<int64_t>(v);
  const int sh = 64 - m_acc_bits;
  return static_cast<int64_t>(v << sh) >> sh;
}

int64_t MixpeCore::shadow_sum(int row, int col) const {
  return sext(m_sh[static_cast<size_t>(row) * m_p.cols + col]);
}

void MixpeCore::step(bool grp_last) {
  const int rows = m_p.rows;
  const int cols = m_p.cols;
  // FP4 codes enter as u = 2v + 16 (the exponent one more shift: lb_weight_pkg::fp4_plane_code).
  const bool fp4 = weight_codec_is_fp4(m_codec);
  const int u_bits = fp4 ? kFp4Planes : m_bits;
  const uint32_t mask = m_bits >= 8 ? 0xFFu : (1u << m_bits) - 1u;
  for (int c = 0; c < cols; ++c) {
    m_u[c] = fp4 ? fp4_plane_code(x_w_in[c] & 0xFu) : x_w_in[c] & mask;
  }
  for (int r = 0; r < rows; ++r) {
    m_fx[r] = static_cast<uint64_t>(tile_act_int(x_act_in[r], m_fp16));
  }
  m_row_converts += static_cast<uint64_t>(rows);
  m_shift_adds += static_cast<uint64_t>(rows) * cols * static_cast<uint64_t>(std::max(u_bits, 0));
  // u * a equals the shift&add sum of a << i over u's set bits (modulo 2^64, like the RTL's AccW).
  for (int r = 0; r < rows; ++r) {
    const uint64_t a = m_fx[r];
    uint64_t* acc = &m_acc[static_cast<size_t>(r) * cols];
    if (grp_last) {
      uint64_t* sh = &m_sh[static_cast<size_t>(r) * cols];
      for (int c = 0; c < cols; ++c) {
        sh[c] = acc[c] + a * m_u[c];
        acc[c] = 0;
      }
      m_sh_asum[r] = m_asum[r] + a;
      m_asum[r] = 0;
    } else {
      for (int c = 0; c < cols; ++c) acc[c] += a * m_u[c];
      m_asum[r] += a;
    }
  }
}

void MixpeCore::drain_row(int row, const float* out, float* res) {
  const int cols = m_p.cols;
  const uint64_t asum = m_sh_asum[row];
  const WeightKind weight_kind = weight_kind_from_field(static_cast<uint32_t>(m_sh_kind));
  const uint64_t* sh = &m_sh[static_cast<size_t>(row) * cols];
  const bool fp4 = weight_codec_is_fp4(m_sh_codec);
  for (int c = 0; c < cols; ++c) {
    // mixpe_dequant: S = scale * sum - offset * asum (lb_weight_pkg's affine map, AccW bits; FP4
    // codes: offset 16, S = sum a 2v).
    const WeightAffine a = fp4 ? WeightAffine{1, kFp4PlaneOffset}
                               : weight_affine(weight_kind, m_sh_bits, m_sh_zero[c]);
    const uint64_t s =
        sh[c] * static_cast<uint64_t>(a.scale) - static_cast<uint64_t>(a.offset) * asum;
    const float prod = pe_array_fp::mul(static_cast<float>(sext(s)),
                                        weight_group_scale(m_sh_codec, m_sh_scale[c]));
    res[c] = pe_array_fp::add(out[c], prod);
  }
}

}  // namespace lowbit
