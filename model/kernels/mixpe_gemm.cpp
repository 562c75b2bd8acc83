// (d) MixPE mpGEMM: shift&add products, integer accumulation per group, one dequant per group.
#include <algorithm>

#include "model/kernels/mpgemm.h"
#include "model/kernels/mpgemm_internal.h"

namespace lowbit {
namespace {

// a * w by shift&add over the bits of w's B-bit two's complement pattern: the top bit weighs
// -2^(B-1). Branch-free (bit masks) like a PE's adder tree.
inline int64_t shift_add_signed(int64_t a, int w, int width) {
  const unsigned pattern = static_cast<unsigned>(w);
  int64_t p = 0;
  for (int t = 0; t < width - 1; ++t) p += (a << t) & -static_cast<int64_t>((pattern >> t) & 1u);
  p -= (a << (width - 1)) & -static_cast<int64_t>((pattern >> (width - 1)) & 1u);
  return p;
}

// a * u by shift&add over the bits of an unsigned code.
inline int64_t shift_add_unsigned(int64_t a, unsigned u, int width) {
  int64_t p = 0;
  for (int t = 0; t < width; ++t) p += (a << t) & -static_cast<int64_t>((u >> t) & 1u);
  return p;
}

// Binary and ternary weights are 2-bit two's complement (-1 = 0b11, +1 = 0b01); intb is b-bit
// two's complement; uintb multiplies the raw code and subtracts z * sum(a) once per group.
class MixpeSums {
 public:
  MixpeSums(const Activations& a, const QuantizedWeights& w)
      : m_w(w), m_k(a.k), m_act(detail::activations_as_int(a)) {}

  void operator()(int i, int j, int64_t* out) const {
    const int64_t* act = m_act.data() + static_cast<size_t>(i) * m_k;
    const uint8_t* u = m_w.codes.data() + static_cast<size_t>(j) * m_k;
    const bool is_unsigned = m_w.kind == WeightKind::kUnsigned;
    const int width = m_w.kind == WeightKind::kSigned || is_unsigned ? m_w.bits : 2;
    for (int g = 0; g < m_w.groups(); ++g) {
      const int start = g * m_w.group_size;
      const int end = std::min(m_k, start + m_w.group_size);
      int64_t acc = 0;
      if (is_unsigned) {
        int64_t asum = 0;
        for (int c = start; c < end; ++c) {
          acc += shift_add_unsigned(act[c], u[c], width);
          asum += act[c];
        }
        acc -= static_cast<int64_t>(m_w.zeros[static_cast<size_t>(j) * m_w.groups() + g]) * asum;
      } else {
        for (int c = start; c < end; ++c) {
          acc += shift_add_signed(act[c], weight_value(m_w.kind, m_w.bits, u[c], 0), width);
        }
      }
      out[g] = acc;
    }
  }

 private:
  const QuantizedWeights& m_w;
  int m_k;
  std::vector<int64_t> m_act;
};

}  // namespace

std::vector<float> mpgemm_mixpe(const Activations& a, const QuantizedWeights& w) {
  check_mpgemm_operands(a, w);
  return detail::run_with_dequant(a, w, MixpeSums(a, w));
}

std::vector<int64_t> group_sums_mixpe(const Activations& a, const QuantizedWeights& w) {
  check_mpgemm_operands(a, w);
  return detail::collect_sums(a, w, MixpeSums(a, w));
}

}  // namespace lowbit
