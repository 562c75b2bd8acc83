// Weight format names, the group-wise quantizers' rules, activation quantizers, synthetic data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <stdexcept>

#include "model/formats/fp16.h"
#include "model/quant/act_quant.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

uint64_t test_seed() {
  static const uint64_t seed = test::test_seed("quant_format_test", 7001);
  return seed;
}

TEST(WeightFormat, EveryNameRoundTrips) {
  const auto& names = weight_format_names();
  ASSERT_EQ(names.size(), 16u);
  for (const auto& n : names) EXPECT_EQ(parse_weight_format(n).name(), n);
  EXPECT_EQ(parse_weight_format("binary"), (WeightFormat{WeightKind::kBinary, 1}));
  EXPECT_EQ(parse_weight_format("ternary"), (WeightFormat{WeightKind::kTernary, 2}));
  EXPECT_EQ(parse_weight_format("int3"), (WeightFormat{WeightKind::kSigned, 3}));
  EXPECT_EQ(parse_weight_format("uint8"), (WeightFormat{WeightKind::kUnsigned, 8}));
}

TEST(WeightFormat, BadNamesThrowListingTheValidOnes) {
  for (const char* bad : {"", "int1", "int9", "uint", "INT4", "fp4", "int10", "uint1", "int4 "}) {
    try {
      parse_weight_format(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("allowed"), std::string::npos) << msg;
      EXPECT_NE(msg.find("uint8"), std::string::npos) << msg;
    }
  }
  EXPECT_THROW(check_weight_format(WeightKind::kBinary, 2), std::invalid_argument);
  EXPECT_THROW(check_weight_format(WeightKind::kTernary, 1), std::invalid_argument);
  EXPECT_THROW(check_weight_format(WeightKind::kSigned, 9), std::invalid_argument);
  EXPECT_NO_THROW(check_weight_format(WeightKind::kUnsigned, 2));
}

// Values a format may take before scaling, for the nearest-code check.
std::pair<int, int> value_range(const QuantizedWeights& q, int row, int group) {
  switch (q.kind) {
    case WeightKind::kBinary:
      return {-1, 1};
    case WeightKind::kTernary:
      return {-1, 1};
    case WeightKind::kSigned:
      return {-((1 << (q.bits - 1)) - 1), (1 << (q.bits - 1)) - 1};
    case WeightKind::kUnsigned: {
      const int z = q.zeros[static_cast<size_t>(row) * q.groups() + group];
      return {-z, (1 << q.bits) - 1 - z};
    }
  }
  return {0, 0};
}

// The scale of each group follows the stated rule, rounded once to FP16, and every code is the
// nearest representable value to w / s_rounded (codes chosen against the rounded scale).
TEST(GroupQuant, ScalesAndCodesFollowTheRules) {
  std::mt19937_64 rng(test_seed());
  const int n = 6, k = 200;
  const auto w = synth_heavy_tailed(n, k, rng());
  for (const auto& name : weight_format_names()) {
    const WeightFormat f = parse_weight_format(name);
    for (int group : {32, 64, 128, kWholeRow}) {
      const QuantizedWeights q = quantize_weights(w, n, k, f, group);
      ASSERT_NO_THROW(check_quantized_weights(q));
      EXPECT_EQ(q.group_size, group == kWholeRow ? k : group);
      double tensor_mean = 0;
      for (float v : w) tensor_mean += std::fabs(double(v));
      tensor_mean /= w.size();
      for (int r = 0; r < n; ++r) {
        for (int g = 0; g < q.groups(); ++g) {
          const int c0 = g * q.group_size, c1 = std::min(k, c0 + q.group_size);
          double amax = 0, lo = 0, hi = 0, mean = 0;
          for (int c = c0; c < c1; ++c) {
            const double v = w[r * k + c];
            amax = std::max(amax, std::fabs(v));
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            mean += std::fabs(v);
          }
          mean /= (c1 - c0);
          double ideal = 0;
          switch (f.kind) {
            case WeightKind::kBinary:
              ideal = mean;
              break;
            case WeightKind::kTernary:
              ideal = q.groups() == 1 ? tensor_mean : mean;
              break;
            case WeightKind::kSigned:
              ideal = amax / ((1 << (f.bits - 1)) - 1);
              break;
            case WeightKind::kUnsigned:
              ideal = (hi - lo) / ((1 << f.bits) - 1);
              break;
          }
          const uint16_t s16 = q.scales[r * q.groups() + g];
          ASSERT_EQ(s16, fp16_from_double(ideal)) << name << " row " << r << " group " << g;
          const double s = fp16_to_float(s16);
          const auto [vmin, vmax] = value_range(q, r, g);
          for (int c = c0; c < c1; ++c) {
            const int v = q.value(r, c);
            ASSERT_GE(v, vmin) << name;
            ASSERT_LE(v, vmax) << name;
            if (f.kind == WeightKind::kBinary) {
              ASSERT_EQ(v, w[r * k + c] >= 0 ? 1 : -1);
              continue;
            }
            const double x = w[r * k + c] / s;
            for (int other = vmin; other <= vmax; ++other) {
              ASSERT_LE(std::fabs(x - v), std::fabs(x - other) + 1e-9)
                  << name << " code not nearest to w/s at row " << r << " col " << c;
            }
          }
        }
      }
    }
  }
}

TEST(GroupQuant, EdgeCases) {
  // Symmetric never emits -2^(b-1) (offset-binary code 0), even for a lone negative extreme.
  std::vector<float> w(64, 0.1f);
  w[3] = -5.0f;
  for (int b = 2; b <= 8; ++b) {
    const auto q = quantize_weights(w, 1, 64, {WeightKind::kSigned, b}, 32);
    EXPECT_EQ(q.value(0, 3), -((1 << (b - 1)) - 1));
    for (uint8_t c : q.codes) EXPECT_NE(c, 0) << "int" << b;
  }
  // An all-zero group: scale 0, every value 0 (binary: sign(0) = +1).
  const std::vector<float> zeros(40, 0.0f);
  for (const auto& name : weight_format_names()) {
    const auto q = quantize_weights(zeros, 1, 40, parse_weight_format(name), 32);
    for (uint16_t s : q.scales) EXPECT_EQ(s, 0) << name;
    for (int c = 0; c < 40; ++c) {
      EXPECT_EQ(q.value(0, c), name == "binary" ? 1 : 0) << name;
    }
    for (float v : dequantize_weights(q)) EXPECT_EQ(v, 0.0f) << name;
  }
  // Asymmetric with only positive weights: 0 stays representable (z = 0).
  std::vector<float> pos(32);
  for (int c = 0; c < 32; ++c) pos[c] = 1.0f + c;
  const auto qa = quantize_weights(pos, 1, 32, {WeightKind::kUnsigned, 4}, 32);
  EXPECT_EQ(qa.zeros[0], 0);
  // A scale above the FP16 range saturates to 65504.
  std::vector<float> huge(32, 1e9f);
  EXPECT_EQ(quantize_weights(huge, 1, 32, {WeightKind::kSigned, 8}, 32).scales[0], 0x7BFF);
  // Bad input.
  std::vector<float> bad(32, 1.0f);
  bad[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(quantize_weights(bad, 1, 32, {WeightKind::kSigned, 4}, 32), std::invalid_argument);
  EXPECT_THROW(quantize_weights(pos, 2, 32, {WeightKind::kSigned, 4}, 32), std::invalid_argument);
  EXPECT_THROW(quantize_weights(pos, 1, 32, {WeightKind::kSigned, 4}, -1), std::invalid_argument);
  EXPECT_THROW(quantize_weights(pos, 1, 32, {WeightKind::kSigned, 1}, 32), std::invalid_argument);
}

TEST(GroupQuant, TernaryWholeRowUsesOneTensorScale) {
  std::mt19937_64 rng(test_seed() + 1);
  const auto w = synth_gaussian(5, 96, rng());
  const auto q = quantize_weights(w, 5, 96, parse_weight_format("ternary"), kWholeRow);
  ASSERT_EQ(q.groups(), 1);
  for (int r = 1; r < 5; ++r) EXPECT_EQ(q.scales[r], q.scales[0]);
  const auto qg = quantize_weights(w, 5, 96, parse_weight_format("ternary"), 32);
  EXPECT_NE(qg.scales[0], qg.scales[1]);  // per-group absmean differs between groups
}

TEST(ActQuant, Int8PerRowAbsmax) {
  std::mt19937_64 rng(test_seed() + 2);
  const int m = 4, k = 333;
  auto x = synth_heavy_tailed(m, k, rng());
  for (int c = 0; c < k; ++c) x[3 * k + c] = 0.0f;  // an all-zero row
  const Activations a = quantize_activations_int8(x, m, k);
  ASSERT_NO_THROW(check_activations(a));
  for (int i = 0; i < 3; ++i) {
    float amax = 0;
    for (int c = 0; c < k; ++c) amax = std::max(amax, std::fabs(x[i * k + c]));
    EXPECT_EQ(a.row_scales[i], amax / 127.0f);
    int seen_max = 0;
    for (int c = 0; c < k; ++c) {
      const int q = a.int8[i * k + c];
      ASSERT_GE(q, -127);
      ASSERT_LE(q, 127);
      seen_max = std::max(seen_max, std::abs(q));
      // Nearest code: error at most half a step (plus FP32 quotient rounding).
      ASSERT_LE(std::fabs(x[i * k + c] - q * double(a.row_scales[i])),
                0.5 * a.row_scales[i] * (1 + 1e-6));
    }
    EXPECT_EQ(seen_max, 127);
  }
  EXPECT_EQ(a.row_scales[3], 1.0f);
  for (int c = 0; c < k; ++c) EXPECT_EQ(a.int8[3 * k + c], 0);
  const auto back = dequantize_activations(a);
  EXPECT_EQ(back[5], a.int8[5] * double(a.row_scales[0]));
}

TEST(ActQuant, Fp16RoundsToNearestEven) {
  const std::vector<float> x = {1.0f, 1.0f + std::ldexp(1.0f, -11), -65504.0f, 3e-8f, 0.1f, 0.0f};
  const Activations a = quantize_activations_fp16(x, 2, 3);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(a.fp16[i], fp16_from_float(x[i]));
  EXPECT_EQ(a.fp16[1], 0x3C00);  // tie rounds to even (1.0)
  const auto back = dequantize_activations(a);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(back[i], double(fp16_to_float(a.fp16[i])));
  EXPECT_THROW(quantize_activations_fp16({70000.0f}, 1, 1), std::invalid_argument);
  EXPECT_THROW(quantize_activations_int8({1.0f, 2.0f}, 1, 3), std::invalid_argument);
  EXPECT_THROW(quantize_activations_int8({std::numeric_limits<float>::infinity()}, 1, 1),
               std::invalid_argument);
}

TEST(Synth, SeededAndShaped) {
  EXPECT_EQ(synth_gaussian(3, 50, 42), synth_gaussian(3, 50, 42));
  EXPECT_NE(synth_gaussian(3, 50, 42), synth_gaussian(3, 50, 43));
  const auto g = synth_gaussian(64, 256, 5, 2.0f);
  double sum = 0, sq = 0;
  for (float v : g) {
    sum += v;
    sq += double(v) * v;
  }
  const double mean = sum / g.size(), var = sq / g.size() - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.05);
  EXPECT_NEAR(std::sqrt(var), 2.0, 0.05);
  // Heavy tails: the largest |x| of Student-t(3) over 16k samples dwarfs a Gaussian's (~4.3 sigma).
  HeavyTailSpec spec;
  spec.outlier_channels = 0;
  const auto t = synth_heavy_tailed(64, 256, 5, spec);
  float tmax = 0;
  for (float v : t) tmax = std::max(tmax, std::fabs(v));
  EXPECT_GT(tmax, 8.0f);
  // Outlier channels: exactly `outlier_channels` columns are scaled by the gain.
  spec.outlier_channels = 3;
  const auto o = synth_heavy_tailed(64, 256, 5, spec);
  int scaled_columns = 0;
  for (int c = 0; c < 256; ++c) scaled_columns += o[c] == t[c] * spec.outlier_gain && o[c] != 0;
  EXPECT_EQ(scaled_columns, 3);
}

TEST(TestSeed, ReadsDecimalAndHexAndRejectsOtherText) {
  const char* old = std::getenv("LOWBIT_SEED");
  const std::string saved = old ? old : "";
  setenv("LOWBIT_SEED", "0x10", 1);
  EXPECT_EQ(test::test_seed("TestSeed", 5), 16u);
  setenv("LOWBIT_SEED", "123", 1);
  EXPECT_EQ(test::test_seed("TestSeed", 5), 123u);
  setenv("LOWBIT_SEED", "12x", 1);
  EXPECT_THROW(test::seed_override(), std::invalid_argument);
  setenv("LOWBIT_SEED", "", 1);
  EXPECT_EQ(test::test_seed("TestSeed", 5), 5u);
  unsetenv("LOWBIT_SEED");
  EXPECT_EQ(test::test_seed("TestSeed", 5), 5u);
  if (old) setenv("LOWBIT_SEED", saved.c_str(), 1);
}

}  // namespace
}  // namespace lowbit
