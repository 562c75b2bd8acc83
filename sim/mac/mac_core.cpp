// mac_array datapath in C++: the same integer and FP32 operations as the RTL, in tight loops.
#include "sim/mac/mac_core.h"

#include <algorithm>
#include <bit>

#include "model/formats/fp16.h"
#include "model/formats/fp_weight.h"
#include "model/formats/weight_kind.h"
#include "model/kernels/mac_fp16.h"

namespace lowbit {

MacCore::MacCore(const PeArrayParams& params, StatGroup& stats)
    : PeArrayCore(
          params,
          PeArrayLatency{params.fill_latency(true), params.drain_latency(), params.drain_gap()},
          stats),
      m_macs(stats.child("pe").counter("macs", "multiply-accumulates: R x C per step")),
      m_wdeqs(stats.child("pe").counter(
          "weight_dequants", "weight dequantizations in front of the array (C per step)")) {
  const auto n = static_cast<size_t>(params.rows) * params.cols;
  m_acc.assign(n, 0);
  m_sh.assign(n, 0);
  m_w.assign(params.cols, 0);
  m_wf.assign(params.cols, 0.0f);
  m_af.assign(params.rows, 0.0f);
}

void MacCore::reset_datapath() {
  std::fill(m_acc.begin(), m_acc.end(), 0u);
  std::fill(m_sh.begin(), m_sh.end(), 0u);
}

int MacCore::weight_int(int kind, int bits, uint8_t code, uint8_t zero) {
  // mac_wdeq's 9-bit two's complement weight (lb_weight_pkg::weight_value).
  const WeightAffine a =
      weight_affine(weight_kind_from_field(static_cast<uint32_t>(kind)), bits, zero);
  const uint32_t u = weight_code_bits(bits, code);
  const uint32_t v =
      (u * static_cast<uint32_t>(a.scale) - static_cast<uint32_t>(a.offset)) & 0x1FFu;
  return (v & 0x100u) ? static_cast<int>(v) - 512 : static_cast<int>(v);
}

void MacCore::step(bool grp_last) {
  const int rows = m_p.rows;
  const int cols = m_p.cols;
  const uint16_t* scale = head_scale();
  const uint8_t* zero = head_zero();
  m_wdeqs += static_cast<uint64_t>(cols);
  m_macs += static_cast<uint64_t>(rows) * cols;
  // mac_wdeq: FP4 codes dequantize to the integer 2v and the codec's FP32 scale (lb_wscale).
  const bool fp4 = weight_codec_is_fp4(m_codec);
  for (int c = 0; c < cols; ++c) {
    m_w[c] =
        fp4 ? fp4_e2m1_doubled(x_w_in[c] & 0xFu) : weight_int(m_kind, m_bits, x_w_in[c], zero[c]);
  }
  if (m_fp16) {
    for (int c = 0; c < cols; ++c) {
      m_wf[c] =
          fp16_to_float(mac_weight_fp16_scale32(m_w[c], weight_group_scale(m_codec, scale[c])));
    }
    for (int r = 0; r < rows; ++r) m_af[r] = fp16_to_float(x_act_in[r]);
    for (int r = 0; r < rows; ++r) {
      const float a = m_af[r];
      uint32_t* acc = &m_acc[static_cast<size_t>(r) * cols];
      uint32_t* sh = &m_sh[static_cast<size_t>(r) * cols];
      for (int c = 0; c < cols; ++c) {
        // The FP16 x FP16 product is exact in binary32; the add rounds once (RNE).
        const float next =
            pe_array_fp::add(std::bit_cast<float>(acc[c]), pe_array_fp::canon(a * m_wf[c]));
        if (grp_last) {
          sh[c] = std::bit_cast<uint32_t>(next);
          acc[c] = 0;
        } else {
          acc[c] = std::bit_cast<uint32_t>(next);
        }
      }
    }
  } else {
    for (int r = 0; r < rows; ++r) {
      const auto a =
          static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(x_act_in[r] & 0xFF)));
      uint32_t* acc = &m_acc[static_cast<size_t>(r) * cols];
      if (grp_last) {
        uint32_t* sh = &m_sh[static_cast<size_t>(r) * cols];
        for (int c = 0; c < cols; ++c) {
          sh[c] = acc[c] + a * static_cast<uint32_t>(m_w[c]);
          acc[c] = 0;
        }
      } else {
        for (int c = 0; c < cols; ++c) acc[c] += a * static_cast<uint32_t>(m_w[c]);
      }
    }
  }
}

void MacCore::drain_row(int row, const float* out, float* res) {
  const int cols = m_p.cols;
  const uint32_t* sh = &m_sh[static_cast<size_t>(row) * cols];
  for (int c = 0; c < cols; ++c) {
    float addend;
    if (m_sh_fp16) {
      addend = std::bit_cast<float>(sh[c]);
    } else {
      const float s = static_cast<float>(static_cast<int32_t>(sh[c]));
      addend = pe_array_fp::mul(s, weight_group_scale(m_sh_codec, m_sh_scale[c]));
    }
    res[c] = pe_array_fp::add(out[c], addend);
  }
}

}  // namespace lowbit
