// The BitMoD GEMM golden on weights from the per-group quantizer: exact group sums, the dequant.h
// error bound against the real product of the quantized operands, and bad operands.
#include "model/kernels/bitmod_gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

#include "model/formats/bitmod_types.h"
#include "model/formats/fp16.h"
#include "model/kernels/mpgemm.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

Activations random_acts(std::mt19937_64& rng, int m, int k, bool fp16) {
  Activations a;
  a.m = m;
  a.k = k;
  a.format = fp16 ? ActFormat::kFp16 : ActFormat::kInt8;
  for (int i = 0; i < m * k; ++i) {
    if (fp16) {
      a.fp16.push_back(fp16_from_float(std::normal_distribution<float>(0.0f, 2.0f)(rng)));
    } else {
      a.int8.push_back(static_cast<int8_t>(rng() & 0xFF));
    }
  }
  if (!fp16)
    for (int i = 0; i < m; ++i) a.row_scales.push_back(0.01f * (1 + static_cast<int>(rng() % 50)));
  return a;
}

TEST(BitmodGemm, QuantizedWeightsGiveExactSumsAndBoundedOutputs) {
  std::mt19937_64 rng(test::random_test_seed("BitmodGemm"));
  int runs = 0;
  for (int bits : {3, 4}) {
    for (bool fp16 : {false, true}) {
      const int m = 3, n = 5, k = 300, group = 128;  // a short last group
      std::vector<float> w(static_cast<size_t>(n) * k);
      for (auto& x : w) x = std::normal_distribution<float>(0.0f, 0.05f)(rng);
      w[7] = 0.9f;  // an outlier
      const BitmodWeights q = bitmod_quantize(w, n, k, bits, {}, group);
      const Activations a = random_acts(rng, m, k, fp16);
      std::vector<int64_t> sums;
      const auto o = bitmod_gemm(a, q, &sums);
      const auto wq = bitmod_dequantize(q);  // value * scale: exact in binary32
      for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
          double exact = 0.0, abs_sum = 0.0;
          for (int g = 0; g < q.groups(); ++g) {
            const size_t gi = static_cast<size_t>(j) * q.groups() + g;
            double s = 0.0;
            for (int kk = g * group; kk < std::min(k, (g + 1) * group); ++kk) {
              const size_t ai = static_cast<size_t>(i) * k + kk;
              const double x = fp16 ? static_cast<double>(fp16_to_fixed(a.fp16[ai])) : a.int8[ai];
              s += x * bitmod_decode(q.types[gi], q.codes[static_cast<size_t>(j) * k + kk]);
              const double term = x * wq[static_cast<size_t>(j) * k + kk];
              exact += term;
              abs_sum += std::fabs(term);
            }
            EXPECT_EQ(static_cast<double>(sums[(static_cast<size_t>(i) * n + j) * q.groups() + g]),
                      s);
          }
          const double scale = activation_scale(a, i);
          EXPECT_LE(std::fabs(o[static_cast<size_t>(i) * n + j] - exact * scale),
                    exact_path_error_bound(q.groups(), abs_sum * scale))
              << "bits " << bits << " fp16 " << fp16 << " (" << i << ", " << j << ")";
        }
      }
      // The quantizer's choice is a mixture of its candidates, never a type of another width.
      for (const auto& [type, count] : bitmod_type_histogram(q)) {
        EXPECT_EQ(bitmod_bits(type), bits);
        EXPECT_GT(count, 0);
      }
      ++runs;
    }
  }
  EXPECT_EQ(runs, 4);
}

TEST(BitmodGemm, OperandsThatDoNotFitAreRejected) {
  std::mt19937_64 rng(3);
  std::vector<float> w(4 * 64, 0.5f);
  BitmodWeights q = bitmod_quantize(w, 4, 64, 4, {}, 32);
  EXPECT_THROW(bitmod_gemm(random_acts(rng, 2, 63, false), q), std::invalid_argument);
  BitmodWeights short_types = q;
  short_types.types.pop_back();
  EXPECT_THROW(bitmod_gemm(random_acts(rng, 2, 64, false), short_types), std::invalid_argument);
  Activations a = random_acts(rng, 2, 64, false);
  a.row_scales.pop_back();
  EXPECT_THROW(bitmod_gemm(a, q), std::invalid_argument);
  EXPECT_NO_THROW(bitmod_gemm(random_acts(rng, 2, 64, true), q));
}

}  // namespace
}  // namespace lowbit
