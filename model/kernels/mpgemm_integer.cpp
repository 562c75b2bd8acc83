// (b) Integer-exact mpGEMM: exact per-group integer sums, then the dequant.h order.
#include <algorithm>
#include <stdexcept>
#include <thread>

#include "model/kernels/mpgemm.h"
#include "model/kernels/mpgemm_internal.h"
#include "model/quant/act_quant.h"

namespace lowbit {
namespace {

// INT8 x unsigned code dot product over at most kBlock elements: |sum| <= 128*255*4096 < 2^31,
// so int32 is exact and the loop vectorizes.
constexpr int kBlock = 4096;

// Integer sums are exact in any order, so every clone gives the same result; GCC on x86-64 builds
// AVX2 and AVX-512 clones (32 or 64 codes per step instead of SSE2's 16), chosen at load time.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
int32_t
dot_i8_u8(const int8_t* a, const uint8_t* u, int len) {
  int32_t s = 0;
  for (int c = 0; c < len; ++c) s += static_cast<int32_t>(a[c]) * static_cast<int32_t>(u[c]);
  return s;
}

int64_t dot_i64_u8(const int64_t* a, const uint8_t* u, int len) {
  int64_t s = 0;
  for (int c = 0; c < len; ++c) s += a[c] * static_cast<int64_t>(u[c]);
  return s;
}

// Computes S_g = sum a * (alpha * u - beta) = alpha * sum(a * u) - beta * sum(a): the codes are
// read as stored (no per-call unpacking) and the offset is applied once per group.
class IntegerSums {
 public:
  IntegerSums(const Activations& a, const QuantizedWeights& w) : m_a(a), m_w(w) {
    const int groups = w.groups();
    if (a.format == ActFormat::kFp16) m_fixed = detail::activations_as_int(a);
    m_asum.assign(static_cast<size_t>(a.m) * groups, 0);
    for (int i = 0; i < a.m; ++i) {
      for (int c = 0; c < a.k; ++c) {
        const size_t idx = static_cast<size_t>(i) * a.k + c;
        const int64_t v = a.format == ActFormat::kInt8 ? a.int8[idx] : m_fixed[idx];
        m_asum[static_cast<size_t>(i) * groups + c / w.group_size] += v;
      }
    }
  }

  void operator()(int i, int j, int64_t* out) const {
    const int groups = m_w.groups();
    const int k = m_w.k;
    const uint8_t* u = m_w.codes.data() + static_cast<size_t>(j) * k;
    for (int g = 0; g < groups; ++g) {
      const int start = g * m_w.group_size;
      const int end = std::min(k, start + m_w.group_size);
      int64_t dot = 0;
      for (int c = start; c < end; c += kBlock) {
        const int len = std::min(kBlock, end - c);
        const size_t idx = static_cast<size_t>(i) * k + c;
        dot += m_a.format == ActFormat::kInt8 ? dot_i8_u8(m_a.int8.data() + idx, u + c, len)
                                              : dot_i64_u8(m_fixed.data() + idx, u + c, len);
      }
      const WeightAffine f = detail::weight_affine(m_w, j, g);
      out[g] = f.scale * dot - f.offset * m_asum[static_cast<size_t>(i) * groups + g];
    }
  }

 private:
  const Activations& m_a;
  const QuantizedWeights& m_w;
  std::vector<int64_t> m_fixed;  // FP16 activations as a * 2^24
  std::vector<int64_t> m_asum;   // [m][groups] sum of a_int over each group
};

}  // namespace

std::vector<float> mpgemm_integer(const Activations& a, const QuantizedWeights& w) {
  check_mpgemm_operands(a, w);
  return detail::run_with_dequant(a, w, IntegerSums(a, w));
}

std::vector<float> mpgemm_integer_prechecked(const Activations& a, const QuantizedWeights& w,
                                             int threads) {
  check_activations(a);
  if (a.k != w.k || w.codes.size() != static_cast<size_t>(w.n) * w.k) {
    throw std::invalid_argument("mpgemm_integer_prechecked: operand shapes differ");
  }
  if (a.format == ActFormat::kFp16 && std::min(w.group_size, w.k) > kMaxFp16GroupLength) {
    throw std::invalid_argument("mpgemm_integer_prechecked: FP16 group too long");
  }
  const IntegerSums sums(a, w);
  const int groups = w.groups();
  std::vector<float> out(static_cast<size_t>(a.m) * w.n);
  const auto rows = [&](int j0, int j1) {
    std::vector<int64_t> s(static_cast<size_t>(groups));
    for (int j = j0; j < j1; ++j) {
      const uint16_t* scales = w.scales.data() + static_cast<size_t>(j) * groups;
      for (int i = 0; i < a.m; ++i) {
        sums(i, j, s.data());
        float acc = 0.0f;
        for (int g = 0; g < groups; ++g) acc = dequant_step(acc, s[g], scales[g]);
        out[static_cast<size_t>(i) * w.n + j] = dequant_finish(acc, activation_scale(a, i));
      }
    }
  };
  const int t = std::clamp(threads, 1, std::max(1, w.n / 256));
  std::vector<std::thread> pool;
  for (int p = 1; p < t; ++p) {
    pool.emplace_back(rows, static_cast<int>(static_cast<int64_t>(w.n) * p / t),
                      static_cast<int>(static_cast<int64_t>(w.n) * (p + 1) / t));
  }
  rows(0, static_cast<int>(static_cast<int64_t>(w.n) / t));
  for (std::thread& th : pool) th.join();
  return out;
}

std::vector<int64_t> group_sums_integer(const Activations& a, const QuantizedWeights& w) {
  check_mpgemm_operands(a, w);
  return detail::collect_sums(a, w, IntegerSums(a, w));
}

}  // namespace lowbit
