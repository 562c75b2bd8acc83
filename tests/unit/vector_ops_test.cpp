// The vector unit's FP32 kernels against their float64 references, by the stated error rules
// (model/kernels/vector_ops_reference.h, docs/decoder.md).
#include "model/kernels/vector_ops.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#include "model/kernels/vector_ops_reference.h"
#include "model/quant/synth.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

TEST(VectorOps, ExpWithinFourUlpOnADenseGrid) {
  double worst = 0;
  for (double x = -87.3; x <= 88.7; x += 0.000731) {
    const float xf = static_cast<float>(x);
    const double y = exp_f32(xf), ref = exp_reference(xf);
    const double ratio = std::fabs(y - ref) / exp_error_bound(xf);
    worst = std::max(worst, ratio);
    ASSERT_LE(ratio, 1.0) << "x = " << xf;
  }
  EXPECT_GT(worst, 0.0);  // the rule is not vacuous: the kernel does round
  EXPECT_EQ(exp_f32(0.0f), 1.0f);
  EXPECT_EQ(exp_f32(-100.0f), 0.0f);
  EXPECT_TRUE(std::isinf(exp_f32(89.0f)));
  EXPECT_TRUE(std::isnan(exp_f32(std::numeric_limits<float>::quiet_NaN())));
}

TEST(VectorOps, ExpIsNotLibmButThePolynomial) {
  // A kernel that called std::exp would pass the rule too; the polynomial differs from it
  // somewhere on this grid, which pins down that the hardware algorithm is what runs.
  int differ = 0;
  for (float x = -20.0f; x < 20.0f; x += 0.01f) differ += exp_f32(x) != std::exp(x);
  EXPECT_GT(differ, 0);
}

TEST(VectorOps, RmsNormRule) {
  for (int n : {1, 64, 4096, 11008}) {
    const std::vector<float> x = synth_heavy_tailed(1, n, 7 + n);
    const std::vector<float> g = synth_gaussian(1, n, 9 + n, 0.1f);
    std::vector<float> y(x.size());
    rmsnorm_f32(x, g, 1e-5f, y);
    const std::vector<double> ref = rmsnorm_reference(x, g, 1e-5f);
    for (int i = 0; i < n; ++i) {
      ASSERT_LE(std::fabs(y[i] - ref[i]), rmsnorm_error_bound(n, ref[i])) << n << " " << i;
    }
  }
}

TEST(VectorOps, RotaryRuleAndPositionZeroIsIdentity) {
  const int d = 128;
  const std::vector<float> x0 = synth_gaussian(1, d, 3);
  for (int pos : {0, 1, 17, 2047, 32767}) {
    std::vector<float> c, s, x = x0;
    rotary_table(pos, d, 10000.0, c, s);
    rotary_f32(x, c, s);
    const std::vector<double> ref = rotary_reference(x0, pos, 10000.0);
    for (int i = 0; i < d / 2; ++i) {
      const double ang = pos * std::pow(10000.0, -2.0 * i / d);
      const double bound0 = rotary_error_bound(x0[i], x0[i + d / 2], std::cos(ang), std::sin(ang));
      const double bound1 = rotary_error_bound(x0[i], x0[i + d / 2], std::sin(ang), std::cos(ang));
      EXPECT_LE(std::fabs(x[i] - ref[i]), bound0) << pos << " " << i;
      EXPECT_LE(std::fabs(x[i + d / 2] - ref[i + d / 2]), bound1) << pos << " " << i;
    }
    if (pos == 0) {
      EXPECT_EQ(x, x0);
    }
  }
}

TEST(VectorOps, SoftmaxRuleSumsToOne) {
  for (int n : {1, 7, 2048, 32768}) {
    std::vector<float> x = synth_heavy_tailed(1, n, 11 + n);
    for (float& v : x) v *= 3.0f;
    const std::vector<double> ref = softmax_reference(x);
    float m = x[0];
    for (float v : x) m = std::max(m, v);
    std::vector<float> p = x;
    softmax_f32(p);
    double sum = 0;
    for (int i = 0; i < n; ++i) {
      ASSERT_LE(std::fabs(p[i] - ref[i]), softmax_error_bound(n, x[i] - m, ref[i]))
          << n << " " << i;
      sum += p[i];
    }
    EXPECT_NEAR(sum, 1.0, (n + 14) * kFp32Unit * 4);
  }
}

TEST(VectorOps, SiluGateRuleIncludingOverflowOfExp) {
  std::vector<float> g, u;
  for (float v = -120.0f; v <= 120.0f; v += 0.0137f) {
    g.push_back(v);
    u.push_back(1.5f - 0.01f * v);
  }
  std::vector<float> y(g.size());
  silu_gate_f32(g, u, y);
  for (size_t i = 0; i < g.size(); ++i) {
    const double ref = silu_gate_reference(g[i], u[i]);
    ASSERT_LE(std::fabs(y[i] - ref), silu_gate_error_bound(ref, u[i])) << g[i];
  }
}

TEST(VectorOps, Relu2GateRuleAndExactZerosBelowZero) {
  std::vector<float> g, u;
  for (float v = -120.0f; v <= 120.0f; v += 0.0137f) {
    g.push_back(v);
    u.push_back(1.5f - 0.01f * v);
  }
  g.push_back(1e-30f);  // r * r below FP32's normal range: the floor covers it
  u.push_back(3.0f);
  std::vector<float> y(g.size());
  relu2_gate_f32(g, u, y);
  double worst = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    const double ref = relu2_gate_reference(g[i], u[i]);
    const double ratio = std::fabs(y[i] - ref) / relu2_gate_error_bound(ref, u[i]);
    ASSERT_LE(ratio, 1.0) << g[i];
    worst = std::max(worst, ratio);
    if (g[i] <= 0.0f) {
      ASSERT_EQ(y[i], 0.0f) << g[i];
    }
  }
  EXPECT_GT(worst, 0.0);  // it rounds: the rule is not vacuous
  // Not SiLU: at g = 2, relu(2)^2 = 4 against silu(2) = 1.76.
  const std::vector<float> two{2.0f}, one{1.0f};
  std::vector<float> a(1), b(1);
  gate_f32(GateAct::kRelu2, two, one, a);
  gate_f32(GateAct::kSilu, two, one, b);
  EXPECT_EQ(a[0], 4.0f);
  EXPECT_NEAR(b[0], 2.0 / (1.0 + std::exp(-2.0)), 1e-6);
  EXPECT_STREQ(gate_act_name(GateAct::kRelu2), "relu2");
}

TEST(VectorOps, ResidualAndDotRules) {
  const std::vector<float> a = synth_heavy_tailed(1, 4096, 5), b = synth_gaussian(1, 4096, 6);
  std::vector<float> y(a.size());
  residual_add_f32(a, b, y);
  for (size_t i = 0; i < a.size(); ++i) {
    const double ref = static_cast<double>(a[i]) + b[i];
    ASSERT_LE(std::fabs(y[i] - ref), residual_error_bound(ref));
  }
  for (int n : {1, 128, 2048}) {
    const std::span<const float> sa(a.data(), n), sb(b.data(), n);
    EXPECT_LE(std::fabs(dot_f32(sa, sb) - dot_reference(sa, sb)), dot_error_bound(sa, sb));
  }
}

// The row-interleaved dot products are the one-row functions bit for bit (every row count, so the
// interleaved blocks and the remainder rows both run; lengths odd and even).
TEST(VectorOps, DotRowsAreTheOneRowFunctions) {
  const uint64_t seed = test::test_seed("VectorOps.DotRows");
  const std::vector<float> rows = synth_heavy_tailed(1, 21 * 129, seed);
  const std::vector<float> q = synth_gaussian(1, 129, seed + 1);
  for (size_t d : {1u, 2u, 64u, 127u, 129u}) {
    for (size_t n = 0; n <= 21; ++n) {
      const std::span<const float> qs(q.data(), d);
      std::vector<float> got(n);
      std::vector<double> ref(n), bound(n);
      dot_f32_rows(qs, rows.data(), n, got.data());
      dot_reference_rows(qs, rows.data(), n, ref.data(), bound.data());
      for (size_t p = 0; p < n; ++p) {
        const std::span<const float> r(rows.data() + p * d, d);
        ASSERT_EQ(std::bit_cast<uint32_t>(got[p]), std::bit_cast<uint32_t>(dot_f32(qs, r)))
            << "d " << d << " n " << n << " row " << p << " seed " << seed;
        ASSERT_EQ(std::bit_cast<uint64_t>(ref[p]), std::bit_cast<uint64_t>(dot_reference(qs, r)))
            << "d " << d << " n " << n << " row " << p;
        ASSERT_EQ(std::bit_cast<uint64_t>(bound[p]),
                  std::bit_cast<uint64_t>(dot_error_bound(qs, r)))
            << "d " << d << " n " << n << " row " << p;
      }
    }
  }
}

TEST(VectorOps, MismatchedLengthsThrow) {
  std::vector<float> a(4), b(5), y(4);
  EXPECT_THROW(residual_add_f32(a, b, y), std::invalid_argument);
  EXPECT_THROW(silu_gate_f32(a, b, y), std::invalid_argument);
  EXPECT_THROW(rmsnorm_f32(a, b, 1e-5f, y), std::invalid_argument);
  EXPECT_THROW((void)dot_f32(a, b), std::invalid_argument);
}

}  // namespace
}  // namespace lowbit
