// Golden mpGEMM: (b) integer, (c) LUT and (d) MixPE agree bit-exactly; all agree with (a) within
// the derived bounds (docs/kernels.md); bad operands throw.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "model/formats/fp16.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/act_quant.h"
#include "model/quant/bit_planes.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"
#include "random_operands.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

using test::random_fp16;
using test::random_int8;
using test::random_weights;

uint64_t test_seed() {
  static const uint64_t seed = test::test_seed("kernels_mpgemm_test", 20261123);
  return seed;
}

std::vector<WeightFormat> all_formats() {
  std::vector<WeightFormat> out;
  for (const auto& name : weight_format_names()) out.push_back(parse_weight_format(name));
  return out;
}

// sum_k |a_k w_k| in real units (exact products in double), per output.
std::vector<double> abs_term_sums(const Activations& a, const QuantizedWeights& w) {
  const auto ad = dequantize_activations(a);
  const auto wd = dequantize_weights(w);
  std::vector<double> out(static_cast<size_t>(a.m) * w.n, 0.0);
  for (int i = 0; i < a.m; ++i) {
    for (int j = 0; j < w.n; ++j) {
      double s = 0;
      for (int c = 0; c < a.k; ++c) {
        s += std::fabs(ad[static_cast<size_t>(i) * a.k + c] * wd[static_cast<size_t>(j) * w.k + c]);
      }
      out[static_cast<size_t>(i) * w.n + j] = s;
    }
  }
  return out;
}

struct Shape {
  int m, n, k, group;
};

std::string fmt_shape(const Shape& s, const WeightFormat& f) {
  return "M=" + std::to_string(s.m) + " N=" + std::to_string(s.n) + " K=" + std::to_string(s.k) +
         " group=" + std::to_string(s.group) + " " + f.name();
}

// S_g straight from the definition: sum of a_int * weight_value over the group.
std::vector<int64_t> naive_group_sums(const Activations& a, const QuantizedWeights& w) {
  std::vector<int64_t> out;
  for (int i = 0; i < a.m; ++i) {
    for (int j = 0; j < w.n; ++j) {
      for (int g = 0; g < w.groups(); ++g) {
        int64_t s = 0;
        for (int c = g * w.group_size; c < std::min(w.k, (g + 1) * w.group_size); ++c) {
          const size_t idx = static_cast<size_t>(i) * a.k + c;
          const int64_t x = a.format == ActFormat::kInt8 ? a.int8[idx] : fp16_to_fixed(a.fp16[idx]);
          s += x * w.value(j, c);
        }
        out.push_back(s);
      }
    }
  }
  return out;
}

std::vector<Shape> random_shapes(std::mt19937_64& rng, int count) {
  std::vector<Shape> out{{1, 3, 1, 32},
                         {1, 5, 37, 32},
                         {2, 4, 128, 128},
                         {3, 2, 70, 70},
                         {1, 2, 9000, 9000},  // one group longer than the
                                              // kernels' 4096-element blocks
                         {2, 2, 1500, 128}};
  const int groups[] = {32, 64, 128, 0};
  std::uniform_int_distribution<int> mdist(1, 4), ndist(1, 6), kdist(1, 300), gdist(0, 3);
  for (int t = 0; t < count; ++t) {
    Shape s{mdist(rng), ndist(rng), kdist(rng), groups[gdist(rng)]};
    if (t % 3 == 0) s.m = 1;  // GEMV
    if (s.group == 0) s.group = s.k;
    out.push_back(s);
  }
  return out;
}

void expect_bitwise_equal(const std::vector<float>& x, const std::vector<float>& y,
                          const std::string& what) {
  ASSERT_EQ(x.size(), y.size()) << what;
  for (size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(std::bit_cast<uint32_t>(x[i]), std::bit_cast<uint32_t>(y[i]))
        << what << " element " << i << ": " << x[i] << " vs " << y[i];
  }
}

class MpgemmAgreement : public ::testing::TestWithParam<ActFormat> {};

TEST_P(MpgemmAgreement, IntegerLutMixpeBitExactAndReferenceWithinBound) {
  std::mt19937_64 rng(test_seed() + static_cast<int>(GetParam()));
  const bool fp16 = GetParam() == ActFormat::kFp16;
  int checked = 0;
  double worst = 0;
  for (const Shape& s : random_shapes(rng, 40)) {
    for (const WeightFormat& f : all_formats()) {
      const QuantizedWeights w = random_weights(rng, s.n, s.k, f, s.group);
      const Activations a = fp16 ? random_fp16(rng, s.m, s.k) : random_int8(rng, s.m, s.k);
      const std::string what = fmt_shape(s, f);
      const auto sums = group_sums_integer(a, w);
      ASSERT_EQ(sums, naive_group_sums(a, w)) << what;
      ASSERT_EQ(sums, group_sums_mixpe(a, w)) << what;
      for (int g = 1; g <= 4; ++g) ASSERT_EQ(sums, group_sums_lut(a, w, g)) << what << " g=" << g;

      const auto ob = mpgemm_integer(a, w);
      expect_bitwise_equal(ob, mpgemm_lut(a, w), what + " lut");
      expect_bitwise_equal(ob, mpgemm_mixpe(a, w), what + " mixpe");
      expect_bitwise_equal(ob, dequantize_group_sums(a, w, sums), what + " dequant");

      const auto oa = mpgemm_reference(a, w);
      const auto abs_sum = abs_term_sums(a, w);
      for (size_t e = 0; e < ob.size(); ++e) {
        ASSERT_TRUE(std::isfinite(ob[e])) << what;
        const double err = std::fabs(static_cast<double>(ob[e]) - oa[e]);
        const double bound = exact_path_error_bound(w.groups(), abs_sum[e]);
        ASSERT_LE(err, bound) << what << " element " << e << ": " << ob[e] << " vs reference "
                              << oa[e];
        worst = std::max(worst, err / bound);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 46 * 16);
  std::printf("largest |O - O_ref| / bound: %.3g\n", worst);
}

// The dequantization order of dequant.h written out with plain float operations: per group
// out = out + float(S_g) * scale_g in K order, then one multiply by the activation scale.
TEST(Mpgemm, DequantOrderIsTheContract) {
  std::mt19937_64 rng(test_seed() + 5);
  for (const WeightFormat& f : all_formats()) {
    const QuantizedWeights w = random_weights(rng, 3, 300, f, 32);
    const Activations a = random_int8(rng, 2, 300);
    const auto sums = group_sums_integer(a, w);
    const auto o = mpgemm_integer(a, w);
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 3; ++j) {
        float out = 0.0f;
        for (int g = 0; g < w.groups(); ++g) {
          const float sg =
              static_cast<float>(sums[(static_cast<size_t>(i) * 3 + j) * w.groups() + g]);
          const float prod = sg * fp16_to_float(w.scales[static_cast<size_t>(j) * w.groups() + g]);
          out = out + prod;
        }
        out = out * a.row_scales[i];
        ASSERT_EQ(std::bit_cast<uint32_t>(out), std::bit_cast<uint32_t>(o[i * 3 + j])) << f.name();
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Activations, MpgemmAgreement,
                         ::testing::Values(ActFormat::kInt8, ActFormat::kFp16),
                         [](const auto& info) {
                           return info.param == ActFormat::kInt8 ? std::string("Int8")
                                                                 : std::string("Fp16");
                         });

// Table quantization (FP16 activations): derived bound of docs/kernels.md,
//   |O - O_ref| <= 2^-24 * sum_g |s_g| E_g + (G + 7) * 2^-24 * (sum|a w| + 2^-24 * sum_g |s_g|
//   E_g), E_g = (2^b - 1) * chunks_g * maxT_g / 254  (fixed-point units),
// and the quantization must actually change some results (the test is not vacuous).
TEST(MpgemmLut, TableQuantizationWithinDerivedBound) {
  std::mt19937_64 rng(test_seed() + 7);
  int differing = 0;
  double worst = 0;
  for (const Shape& s : random_shapes(rng, 10)) {
    for (const WeightFormat& f : all_formats()) {
      const QuantizedWeights w = random_weights(rng, s.n, s.k, f, s.group);
      // Realistic activations (heavy-tailed, outlier channels) and random bit patterns.
      const Activations a =
          (s.k % 2) ? random_fp16(rng, s.m, s.k)
                    : quantize_activations_fp16(synth_heavy_tailed(s.m, s.k, rng()), s.m, s.k);
      for (int g = 1; g <= 4; ++g) {
        const auto oq = mpgemm_lut(a, w, LutOptions{g, true});
        const auto oa = mpgemm_reference(a, w);
        const auto exact = mpgemm_lut(a, w, LutOptions{g, false});
        const auto abs_sum = abs_term_sums(a, w);
        const LutChunking ch(s.k, w.group_size, g);
        for (int i = 0; i < s.m; ++i) {
          for (int j = 0; j < s.n; ++j) {
            double table_err = 0;  // 2^-24 * sum_g |s_g| E_g
            for (int gr = 0; gr < w.groups(); ++gr) {
              int64_t max_t = 0;
              for (int c = ch.group_begin[gr]; c < ch.group_begin[gr + 1]; ++c) {
                int64_t t = 0;
                for (int e = 0; e < ch.len[c]; ++e) {
                  t += std::abs(
                      fp16_to_fixed(a.fp16[static_cast<size_t>(i) * s.k + ch.start[c] + e]));
                }
                max_t = std::max(max_t, t);
              }
              const double e_g = ((1 << w.bits) - 1) *
                                 double(ch.group_begin[gr + 1] - ch.group_begin[gr]) *
                                 static_cast<double>(max_t) / 254.0;
              table_err +=
                  std::fabs(fp16_to_float(w.scales[static_cast<size_t>(j) * w.groups() + gr])) *
                  e_g * std::ldexp(1.0, -24);
            }
            const size_t e = static_cast<size_t>(i) * s.n + j;
            const double bound =
                table_err + (w.groups() + 7) * std::ldexp(1.0, -24) * (abs_sum[e] + table_err) +
                std::ldexp(1.0, -140);
            ASSERT_LE(std::fabs(static_cast<double>(oq[e]) - oa[e]), bound)
                << fmt_shape(s, f) << " g=" << g << " element " << e;
            worst = std::max(worst, std::fabs(static_cast<double>(oq[e]) - oa[e]) / bound);
            differing += oq[e] != exact[e];
          }
        }
      }
    }
  }
  EXPECT_GT(differing, 0) << "table quantization never changed a result";
  std::printf("table quantization: largest |O - O_ref| / bound: %.3g\n", worst);
}

// How much INT8 table quantization costs on realistic data (numbers quoted in docs/kernels.md):
// relative RMS error against (a) on a 2 x 256 x 4096 GEMM, Gaussian weights (G = 128), Gaussian and
// heavy-tailed FP16 activations. A sanity limit of 3% catches a broken table scale or rounding.
TEST(MpgemmLut, TableQuantizationRelativeErrorOnSyntheticData) {
  const uint64_t seed = test_seed() + 23;
  const int m = 2, n = 256, k = 4096;
  const auto wf = synth_gaussian(n, k, seed, 0.02f);
  for (const bool heavy : {false, true}) {
    const auto af = heavy ? synth_heavy_tailed(m, k, seed + 1) : synth_gaussian(m, k, seed + 1);
    const Activations a = quantize_activations_fp16(af, m, k);
    for (const char* name : {"ternary", "int2", "int4", "uint4"}) {
      const QuantizedWeights w = quantize_weights(wf, n, k, parse_weight_format(name), 128);
      const auto ref = mpgemm_reference(a, w);
      for (int g : {2, 4}) {
        const auto q = mpgemm_lut(a, w, LutOptions{g, true});
        double err = 0, mag = 0;
        for (size_t e = 0; e < ref.size(); ++e) {
          err += (double(q[e]) - ref[e]) * (double(q[e]) - ref[e]);
          mag += double(ref[e]) * ref[e];
        }
        const double rel = std::sqrt(err / mag);
        std::printf("table quantization, %s activations, %s, g=%d: relative RMS error %.4f\n",
                    heavy ? "heavy-tailed" : "Gaussian", name, g, rel);
        EXPECT_GT(rel, 0.0);
        EXPECT_LT(rel, 0.03) << name << " g=" << g;
      }
    }
  }
}

// Table quantization ignores INT8 activations: their tables are exact integers.
TEST(MpgemmLut, TableQuantizationIsExactForInt8) {
  std::mt19937_64 rng(test_seed() + 11);
  const QuantizedWeights w = random_weights(rng, 5, 77, parse_weight_format("uint3"), 32);
  const Activations a = random_int8(rng, 3, 77);
  expect_bitwise_equal(mpgemm_lut(a, w, LutOptions{4, true}), mpgemm_integer(a, w), "int8 tq");
}

// The bit-planes the quantizer packs are what the LUT kernel reads: a prepacked call equals the
// packing call, and corrupting one plane bit changes the result.
TEST(MpgemmLut, ConsumesPackedBitPlanes) {
  std::mt19937_64 rng(test_seed() + 13);
  const auto wf = synth_gaussian(8, 100, rng());
  const QuantizedWeights w = quantize_weights(wf, 8, 100, parse_weight_format("int3"), 32);
  const Activations a = quantize_activations_int8(synth_gaussian(2, 100, rng()), 2, 100);
  BitPlanes p = pack_bit_planes(w, 4);
  const auto base = mpgemm_lut(a, w, p, LutOptions{});
  expect_bitwise_equal(base, mpgemm_lut(a, w), "prepacked");
  p.data[0] ^= 0x01;  // plane 0, row 0, chunk 0, K = 0
  const auto changed = mpgemm_lut(a, w, p, LutOptions{});
  EXPECT_NE(changed[0], base[0]);
  EXPECT_THROW(mpgemm_lut(a, w, p, LutOptions{3, false}), std::invalid_argument);
}

// Quantized realistic data through every algorithm: all four agree (bound) and (b) = (c) = (d).
TEST(Mpgemm, QuantizedSyntheticDataAllFormats) {
  std::mt19937_64 rng(test_seed() + 17);
  const int m = 3, n = 16, k = 200;
  const auto wf = synth_heavy_tailed(n, k, rng());
  const auto af = synth_gaussian(m, k, rng());
  for (const WeightFormat& f : all_formats()) {
    for (int group : {32, 64, 128, kWholeRow}) {
      const QuantizedWeights w = quantize_weights(wf, n, k, f, group);
      for (const Activations& a :
           {quantize_activations_int8(af, m, k), quantize_activations_fp16(af, m, k)}) {
        const auto ob = mpgemm_integer(a, w);
        expect_bitwise_equal(ob, mpgemm_lut(a, w), f.name() + " lut");
        expect_bitwise_equal(ob, mpgemm_mixpe(a, w), f.name() + " mixpe");
        const auto oa = mpgemm_reference(a, w);
        const auto abs_sum = abs_term_sums(a, w);
        for (size_t e = 0; e < ob.size(); ++e) {
          ASSERT_LE(std::fabs(double(ob[e]) - oa[e]),
                    exact_path_error_bound(w.groups(), abs_sum[e]))
              << f.name() << " group " << group;
        }
      }
    }
  }
}

// A hand-computed case: A = [1, -2, 3] (INT8, scale 0.5), W = int2 codes for [1, -2, 0] with
// scale 2 (one group): S = 1 + 4 + 0 = 5, O = 5 * 2 * 0.5 = 5.
TEST(Mpgemm, HandComputedExample) {
  Activations a;
  a.m = 1;
  a.k = 3;
  a.int8 = {1, -2, 3};
  a.row_scales = {0.5f};
  QuantizedWeights w;
  w.n = 1;
  w.k = 3;
  w.bits = 2;
  w.kind = WeightKind::kSigned;
  w.group_size = 3;
  w.codes = {3, 0, 2};  // offset-binary: value = u - 2
  w.scales = {fp16_from_float(2.0f)};
  w.zeros = {0};
  EXPECT_EQ(group_sums_integer(a, w), std::vector<int64_t>{5});
  for (const auto& o :
       {mpgemm_reference(a, w), mpgemm_integer(a, w), mpgemm_lut(a, w), mpgemm_mixpe(a, w)}) {
    EXPECT_EQ(o, std::vector<float>{5.0f});
  }
}

TEST(Mpgemm, FixedPointOfFp16) {
  EXPECT_EQ(fp16_to_fixed(0x0001), 1);                    // 2^-24
  EXPECT_EQ(fp16_to_fixed(0x3C00), int64_t{1} << 24);     // 1.0
  EXPECT_EQ(fp16_to_fixed(0xC000), -(int64_t{1} << 25));  // -2.0
  EXPECT_EQ(fp16_to_fixed(0x7BFF), int64_t{65504} << 24);
  for (int h = 0; h < 0x7C00; ++h) {  // every finite magnitude: exact
    ASSERT_EQ(std::ldexp(static_cast<double>(fp16_to_fixed(static_cast<uint16_t>(h))), -24),
              static_cast<double>(fp16_to_float(static_cast<uint16_t>(h))));
  }
}

TEST(Mpgemm, BadOperandsThrow) {
  std::mt19937_64 rng(test_seed() + 19);
  const QuantizedWeights w = random_weights(rng, 4, 64, parse_weight_format("int4"), 32);
  const Activations a = random_int8(rng, 2, 64);
  const Activations wrong_k = random_int8(rng, 2, 63);
  EXPECT_THROW(mpgemm_integer(wrong_k, w), std::invalid_argument);
  EXPECT_THROW(mpgemm_reference(wrong_k, w), std::invalid_argument);
  EXPECT_THROW(mpgemm_lut(wrong_k, w), std::invalid_argument);
  EXPECT_THROW(mpgemm_mixpe(wrong_k, w), std::invalid_argument);
  QuantizedWeights bad = w;
  bad.codes[5] = 16;  // does not fit 4 bits
  EXPECT_THROW(mpgemm_integer(a, bad), std::invalid_argument);
  bad = w;
  bad.scales.pop_back();
  EXPECT_THROW(mpgemm_mixpe(a, bad), std::invalid_argument);
  bad = w;
  bad.bits = 1;  // int1 is not a format (binary is)
  EXPECT_THROW(mpgemm_lut(a, bad), std::invalid_argument);
  Activations nan = random_fp16(rng, 1, 64);
  nan.fp16[3] = 0x7E00;
  EXPECT_THROW(mpgemm_integer(nan, w), std::invalid_argument);
  EXPECT_THROW(mpgemm_lut(a, w, LutOptions{5, false}), std::invalid_argument);
  EXPECT_THROW(dequantize_group_sums(a, w, std::vector<int64_t>(3)), std::invalid_argument);
  // FP16 group sums must fit int64: a group longer than kMaxFp16GroupLength is refused.
  const int long_k = kMaxFp16GroupLength + 1;
  const QuantizedWeights lw = random_weights(rng, 1, long_k, parse_weight_format("int8"), long_k);
  EXPECT_THROW(mpgemm_integer(random_fp16(rng, 1, long_k), lw), std::invalid_argument);
  EXPECT_NO_THROW(mpgemm_integer(random_int8(rng, 1, long_k), lw));
}

}  // namespace
}  // namespace lowbit
