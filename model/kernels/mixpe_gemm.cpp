// (d) MixPE mpGEMM: shift&add products, integer accumulation per group, one dequant per group.
#include <algorithm>

#include "model/kernels/mpgemm.h"
#include "model/kernels/mpgemm_internal.h"

namespace lowbit {
namespace {

// sum over a block of a * w, each product by shift&add over the W-bit two's complement pattern of
// w = alpha * u - beta (the top bit weighs -2^(W-1)), or, when kUnsignedCode, over the W bits of
// the raw code u (the zero point is subtracted once per group by the caller). Branch-free bit masks
// like a PE's adder tree; T = int32 for INT8 activations (|a * w| < 2^15 over a <= 4096 block),
// int64 for FP16 fixed point.
template <class T, int W, bool kUnsignedCode>
T shift_add_block(const T* a, const uint8_t* u, int len, int alpha, int beta) {
  T acc = 0;
  for (int c = 0; c < len; ++c) {
    const unsigned pattern =
        kUnsignedCode ? u[c] : static_cast<unsigned>(alpha * static_cast<int>(u[c]) - beta);
    T p = 0;
    for (int t = 0; t < (kUnsignedCode ? W : W - 1); ++t) {
      p += static_cast<T>(a[c] * (T{1} << t)) & -static_cast<T>((pattern >> t) & 1u);
    }
    if constexpr (!kUnsignedCode) {
      p -= static_cast<T>(a[c] * (T{1} << (W - 1))) & -static_cast<T>((pattern >> (W - 1)) & 1u);
    }
    acc += p;
  }
  return acc;
}

template <class T>
using BlockFn = T (*)(const T*, const uint8_t*, int, int, int);

template <class T, bool kUnsignedCode>
BlockFn<T> pick_block(int width) {
  switch (width) {
    case 2:
      return shift_add_block<T, 2, kUnsignedCode>;
    case 3:
      return shift_add_block<T, 3, kUnsignedCode>;
    case 4:
      return shift_add_block<T, 4, kUnsignedCode>;
    case 5:
      return shift_add_block<T, 5, kUnsignedCode>;
    case 6:
      return shift_add_block<T, 6, kUnsignedCode>;
    case 7:
      return shift_add_block<T, 7, kUnsignedCode>;
    default:
      return shift_add_block<T, 8, kUnsignedCode>;
  }
}

// Binary and ternary weights are 2-bit two's complement (-1 = 0b11, +1 = 0b01); intb is b-bit
// two's complement; uintb multiplies the raw code and subtracts z * sum(a) once per group.
class MixpeSums {
 public:
  static constexpr int kBlock = 4096;

  MixpeSums(const Activations& a, const QuantizedWeights& w) : m_a(a), m_w(w), m_k(a.k) {
    if (a.format == ActFormat::kFp16) {
      m_fixed = detail::activations_as_int(a);
    } else {
      m_int8.assign(a.int8.begin(), a.int8.end());
    }
    const bool is_unsigned = w.kind == WeightKind::kUnsigned;
    const int width = w.kind == WeightKind::kSigned || is_unsigned ? w.bits : 2;
    m_fn32 = is_unsigned ? pick_block<int32_t, true>(width) : pick_block<int32_t, false>(width);
    m_fn64 = is_unsigned ? pick_block<int64_t, true>(width) : pick_block<int64_t, false>(width);
  }

  void operator()(int i, int j, int64_t* out) const {
    const size_t row = static_cast<size_t>(i) * m_k;
    const uint8_t* u = m_w.codes.data() + static_cast<size_t>(j) * m_k;
    for (int g = 0; g < m_w.groups(); ++g) {
      const int start = g * m_w.group_size;
      const int end = std::min(m_k, start + m_w.group_size);
      const WeightAffine f = detail::weight_affine(m_w, j, g);
      int64_t acc = 0;
      int64_t asum = 0;
      for (int c = start; c < end; c += kBlock) {
        const int len = std::min(kBlock, end - c);
        if (m_a.format == ActFormat::kInt8) {
          acc += m_fn32(m_int8.data() + row + c, u + c, len, f.scale, f.offset);
          for (int e = 0; e < len; ++e) asum += m_int8[row + c + e];
        } else {
          acc += m_fn64(m_fixed.data() + row + c, u + c, len, f.scale, f.offset);
          for (int e = 0; e < len; ++e) asum += m_fixed[row + c + e];
        }
      }
      out[g] = m_w.kind == WeightKind::kUnsigned ? acc - f.offset * asum : acc;
    }
  }

 private:
  const Activations& m_a;
  const QuantizedWeights& m_w;
  int m_k;
  std::vector<int32_t> m_int8;   // INT8 codes widened once
  std::vector<int64_t> m_fixed;  // FP16 as a * 2^24
  BlockFn<int32_t> m_fn32;
  BlockFn<int64_t> m_fn64;
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
