// (c) LUT mpGEMM (LUT Tensor Core / T-MAC): symmetric tables, bit-serial weight planes.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "fmt/format.h"
#include "model/kernels/mpgemm.h"
#include "model/kernels/mpgemm_internal.h"

namespace lowbit {
namespace {

// Rounds num / den (den > 0) to the nearest integer, ties to even, exactly.
int64_t rne_div(int64_t num, int64_t den) {
  int64_t q = num / den;
  int64_t r = num % den;
  if (r < 0) {  // make the remainder non-negative: q = floor(num / den)
    r += den;
    --q;
  }
  if (2 * r > den || (2 * r == den && (q & 1))) ++q;
  return q;
}

void check_planes(const QuantizedWeights& w, const BitPlanes& p, int g) {
  const auto& ch = p.chunking;
  if (p.n != w.n || p.bits != w.bits || ch.k != w.k || ch.group_size != w.group_size || ch.g != g ||
      p.row_bytes != (ch.chunks() + 1) / 2 ||
      p.data.size() != static_cast<size_t>(p.bits) * p.n * p.row_bytes) {
    throw std::invalid_argument(fmt::format(
        "mpgemm_lut: bit-planes ({}x{}, {} bits, group {}, g={}) do not match the weights "
        "({}x{}, {} bits, group {}) with g={}",
        p.n, ch.k, p.bits, ch.group_size, ch.g, w.n, w.k, w.bits, w.group_size, g));
  }
}

// Per activation row: one symmetric table per chunk. Entry r (0 <= r < 2^(g-1)) holds
// T = a_{g-1} + sum_{j<g-1} (bit_j(r) ? +a_j : -a_j), i.e. the full table's entries whose top index
// bit is 1; an index with top bit 0 reads the complement entry negated (T[idx] = -T[~idx]).
class LutSums {
 public:
  LutSums(const Activations& a, const QuantizedWeights& w, const BitPlanes& planes, bool quantize)
      : m_w(w), m_p(planes), m_g(planes.chunking.g), m_half(1 << (m_g - 1)) {
    const auto& ch = planes.chunking;
    const int chunks = ch.chunks();
    const std::vector<int64_t> act = detail::activations_as_int(a);
    m_tables.assign(static_cast<size_t>(a.m) * chunks * m_half, 0);
    for (int i = 0; i < a.m; ++i) {
      for (int c = 0; c < chunks; ++c) {
        int64_t x[4] = {0, 0, 0, 0};  // padded positions stay 0
        for (int j = 0; j < ch.len[c]; ++j)
          x[j] = act[static_cast<size_t>(i) * a.k + ch.start[c] + j];
        int64_t* t = table(i, c);
        for (int r = 0; r < m_half; ++r) {
          int64_t v = x[m_g - 1];
          for (int j = 0; j < m_g - 1; ++j) v += ((r >> j) & 1) ? x[j] : -x[j];
          t[r] = v;
        }
      }
    }
    if (!quantize) return;
    // INT8 table quantization: one scale per (row, weight group), maxT = max_chunk sum |a_j|.
    const int groups = ch.groups();
    m_table_scales.assign(static_cast<size_t>(a.m) * groups, 0.0f);
    for (int i = 0; i < a.m; ++i) {
      for (int gr = 0; gr < groups; ++gr) {
        int64_t max_t = 0;
        for (int c = ch.group_begin[gr]; c < ch.group_begin[gr + 1]; ++c) {
          int64_t s = 0;
          for (int j = 0; j < ch.len[c]; ++j) {
            s += std::abs(act[static_cast<size_t>(i) * a.k + ch.start[c] + j]);
          }
          max_t = std::max(max_t, s);
        }
        for (int c = ch.group_begin[gr]; c < ch.group_begin[gr + 1]; ++c) {
          int64_t* t = table(i, c);
          for (int r = 0; r < m_half; ++r) t[r] = max_t == 0 ? 0 : rne_div(t[r] * 127, max_t);
        }
        // Real value of one table unit, halved because the group sum below is 2 * S_g.
        m_table_scales[static_cast<size_t>(i) * groups + gr] = static_cast<float>(max_t) / 254.0f;
      }
    }
  }

  /// Writes 2 * S_g (binary: also 2 * S_g) per group, in table units.
  void twice_sums(int i, int j, int64_t* out) const {
    const auto& ch = m_p.chunking;
    const int mask = m_half - 1;
    const int64_t* tables = table(i, 0);
    for (int gr = 0; gr < ch.groups(); ++gr) {
      const int c0 = ch.group_begin[gr];
      const int c1 = ch.group_begin[gr + 1];
      int64_t acc = 0;  // acc' = sum a * q' = sum_p 2^p * sum_chunks lookup(plane p)
      for (int p = 0; p < m_p.bits; ++p) {
        const uint8_t* bytes =
            m_p.data.data() + (static_cast<size_t>(p) * m_p.n + j) * m_p.row_bytes;
        int64_t part = 0;
        for (int c = c0; c < c1; ++c) {
          const int idx = (bytes[c >> 1] >> ((c & 1) * 4)) & 0x0F;  // BitPlanes::index, inlined
          const int top = (idx >> (m_g - 1)) & 1;
          // top = 1: entry idx & mask; top = 0: entry ~idx & mask, negated.
          const int64_t v = tables[static_cast<size_t>(c) * m_half + ((idx ^ (top - 1)) & mask)];
          part += top ? v : -v;
        }
        acc += part * (int64_t{1} << p);
      }
      if (m_w.kind == WeightKind::kBinary) {
        out[gr] = 2 * acc;  // binary: q' = 2u - 1 is the weight itself
      } else {
        // sum a (q - z) = (acc' + (2^b - 1 - 2z) * sum a) / 2; sum a = all-ones entry T[2^g - 1].
        int64_t asum = 0;
        for (int c = c0; c < c1; ++c) asum += table(i, c)[mask];
        const int z = detail::weight_affine(m_w, j, gr).offset;
        out[gr] = acc + (((1 << m_w.bits) - 1) - 2 * z) * asum;
      }
    }
  }

  void operator()(int i, int j, int64_t* out) const {
    twice_sums(i, j, out);
    for (int gr = 0; gr < m_p.chunking.groups(); ++gr) out[gr] /= 2;  // exact: always even
  }

  float table_scale(int i, int gr) const {
    return m_table_scales[static_cast<size_t>(i) * m_p.chunking.groups() + gr];
  }

 private:
  int64_t* table(int i, int c) {
    return m_tables.data() + (static_cast<size_t>(i) * m_p.chunking.chunks() + c) * m_half;
  }
  const int64_t* table(int i, int c) const {
    return m_tables.data() + (static_cast<size_t>(i) * m_p.chunking.chunks() + c) * m_half;
  }

  const QuantizedWeights& m_w;
  const BitPlanes& m_p;
  int m_g;
  int m_half;
  std::vector<int64_t> m_tables;      // [m][chunks][2^(g-1)]
  std::vector<float> m_table_scales;  // [m][groups], only with table quantization
};

}  // namespace

std::vector<float> mpgemm_lut(const Activations& a, const QuantizedWeights& w,
                              const LutOptions& opt) {
  check_mpgemm_operands(a, w);
  return mpgemm_lut(a, w, pack_bit_planes(w, opt.g), opt);
}

std::vector<float> mpgemm_lut(const Activations& a, const QuantizedWeights& w,
                              const BitPlanes& planes, const LutOptions& opt) {
  check_mpgemm_operands(a, w);
  check_planes(w, planes, opt.g);
  const bool quantize = opt.quantize_table && a.format == ActFormat::kFp16;
  const LutSums sums(a, w, planes, quantize);
  if (!quantize) return detail::run_with_dequant(a, w, sums);
  const int groups = w.groups();
  std::vector<float> out(static_cast<size_t>(a.m) * w.n);
  std::vector<int64_t> s2(groups);
  for (int i0 = 0; i0 < a.m; i0 += detail::kRowBlock) {
    const int i1 = std::min(a.m, i0 + detail::kRowBlock);
    for (int j = 0; j < w.n; ++j) {
      const uint16_t* scales = w.scales.data() + static_cast<size_t>(j) * groups;
      for (int i = i0; i < i1; ++i) {
        sums.twice_sums(i, j, s2.data());
        float acc = 0.0f;
        for (int g = 0; g < groups; ++g) {
          acc = dequant_step_scaled(acc, s2[g], sums.table_scale(i, g), scales[g]);
        }
        out[static_cast<size_t>(i) * w.n + j] = dequant_finish(acc, activation_scale(a, i));
      }
    }
  }
  return out;
}

std::vector<int64_t> group_sums_lut(const Activations& a, const QuantizedWeights& w, int g) {
  check_mpgemm_operands(a, w);
  const BitPlanes planes = pack_bit_planes(w, g);
  return detail::collect_sums(a, w, LutSums(a, w, planes, false));
}

}  // namespace lowbit
