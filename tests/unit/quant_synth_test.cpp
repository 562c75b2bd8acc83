// Synthetic data: the right distributions (CDF checks), and data that depend on the seed only.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <vector>

#include "model/quant/synth.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

uint64_t test_seed() {
  static const uint64_t seed = test::test_seed("quant_synth_test", 20240611);
  return seed;
}

// Student-t CDFs in closed form (dof 1..5) and the normal CDF.
double t_cdf(double dof, double t) {
  const double pi = std::numbers::pi;
  if (dof == 2) return 0.5 + t / (2 * std::sqrt(2 + t * t));
  if (dof == 4) {  // B = 1/2 + t / (2 sqrt(4 + t^2)) ~ Beta(2, 2), CDF 3b^2 - 2b^3
    const double b = 0.5 + t / (2 * std::sqrt(4 + t * t));
    return 3 * b * b - 2 * b * b * b;
  }
  const double th = std::atan(t / std::sqrt(dof));  // odd dof: theta + sin cos (1 + 2/3 cos^2)
  const double sc = std::sin(th) * std::cos(th), c2 = std::cos(th) * std::cos(th);
  if (dof == 1) return 0.5 + th / pi;
  if (dof == 3) return 0.5 + (th + sc) / pi;
  if (dof == 5) return 0.5 + (th + sc * (1 + 2 * c2 / 3)) / pi;
  ADD_FAILURE() << "no closed form for dof " << dof;
  return 0;
}
double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Largest |empirical CDF - cdf| over a grid of points (values divided by `scale` first).
template <typename Cdf>
double cdf_error(const std::vector<float>& v, double scale, Cdf&& cdf) {
  double worst = 0;
  for (double x : {-30.0, -10.0, -5.0, -3.0, -2.0, -1.5, -1.0, -0.5, -0.1, 0.0, 0.1, 0.5, 1.0, 1.5,
                   2.0, 3.0, 5.0, 10.0, 30.0}) {
    size_t below = 0;
    for (float f : v) below += f / scale <= x;
    worst = std::max(worst, std::fabs(static_cast<double>(below) / v.size() - cdf(x)));
  }
  return worst;
}

// 400k samples: one CDF point has a standard error <= 0.5 / sqrt(4e5) = 7.9e-4; allow 5 of them.
constexpr int kRows = 100;
constexpr int kCols = 4000;
constexpr double kCdfTolerance = 0.004;

TEST(SynthDistribution, StudentTForEveryMethod) {
  // dof 4 and 3 have their own samplers, 1, 2 and 5 take Bailey's general method.
  for (double dof : {1.0, 2.0, 3.0, 4.0, 5.0}) {
    HeavyTailSpec spec;
    spec.dof = dof;
    spec.scale = 0.5f;
    spec.outlier_channels = 0;
    const auto v = synth_heavy_tailed(kRows, kCols, test_seed(), spec);
    EXPECT_LT(cdf_error(v, 0.5, [&](double t) { return t_cdf(dof, t); }), kCdfTolerance)
        << "dof " << dof;
    // Not merely some heavy-tailed law: a nearby dof (two lower, or one) is clearly rejected.
    if (dof > 1) {
      const double other = dof > 2 ? dof - 2 : dof - 1;
      EXPECT_GT(cdf_error(v, 0.5, [&](double t) { return t_cdf(other, t); }), 3 * kCdfTolerance)
          << "dof " << dof << " vs " << other;
    }
  }
}

TEST(SynthDistribution, Gaussian) {
  const auto v = synth_gaussian(kRows, kCols, test_seed(), 2.0f);
  EXPECT_LT(cdf_error(v, 2.0, normal_cdf), kCdfTolerance);
  // The ziggurat's tail beyond 3.65 sigma is sampled: P(|x| > 4) = 6.3e-5, ~25 of 400k.
  int beyond4 = 0;
  for (float f : v) beyond4 += std::fabs(f / 2.0f) > 4.0f;
  EXPECT_GT(beyond4, 5);
  EXPECT_LT(beyond4, 60);
}

TEST(SynthDeterminism, SameDataForEveryThreadCount) {
  HeavyTailSpec spec;
  spec.outlier_channels = 7;
  for (double dof : {3.0, 4.0, 5.0}) {
    spec.dof = dof;
    const auto one = synth_heavy_tailed(301, 1000, test_seed(), spec, 1);
    for (int threads : {0, 2, 3, 8}) {
      EXPECT_EQ(synth_heavy_tailed(301, 1000, test_seed(), spec, threads), one)
          << "dof " << dof << ", " << threads << " threads";
    }
  }
  const auto g1 = synth_gaussian(301, 1000, test_seed(), 1.0f, 1);
  EXPECT_EQ(synth_gaussian(301, 1000, test_seed(), 1.0f, 2), g1);
  EXPECT_EQ(synth_gaussian(301, 1000, test_seed(), 1.0f, 5), g1);
}

// FNV-1a over the values' bits.
uint64_t fingerprint(const std::vector<float>& v) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (float f : v) {
    uint32_t b;
    std::memcpy(&b, &f, sizeof b);
    for (int i = 0; i < 4; ++i) h = (h ^ ((b >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
  }
  return h;
}

TEST(SynthDeterminism, DataOfASeedNeverChange) {
  // Every published figure (docs/, the README) was made from these streams: a faster sampler
  // must give the same bits (the values are the one-row-at-a-time sampler's of 39922f4). Odd
  // widths leave a dof-4 row with an unpaired last sample; heights that are not a multiple of 8
  // leave lanes of the eight-row sampler unused; widths past 256 cross its blocks.
  struct Case {
    double dof;
    int rows, cols;
    uint64_t want;
  };
  for (const Case& c :
       {Case{4.0, 3, 1001, 0x7a7b1017788abbfdull}, Case{4.0, 40, 4096, 0x432ae5958fad307full},
        Case{3.0, 3, 1001, 0x312bb945f2ebdad5ull}, Case{5.0, 3, 1001, 0x002f19708838fa20ull}}) {
    HeavyTailSpec spec;
    spec.dof = c.dof;
    const uint64_t got = fingerprint(synth_heavy_tailed(c.rows, c.cols, 20261209, spec));
    std::printf("dof %g %d x %d: 0x%016llx\n", c.dof, c.rows, c.cols,
                static_cast<unsigned long long>(got));
    EXPECT_EQ(got, c.want) << "dof " << c.dof << ", " << c.rows << " x " << c.cols;
  }
  EXPECT_EQ(fingerprint(synth_gaussian(3, 1001, 20261209, 0.5f)), 0xc868bf33004a5a2dull);
}

TEST(SynthDeterminism, RowDependsOnSeedRowAndWidthOnly) {
  // Row r is stream r of the seed: a taller matrix starts with the same rows.
  const auto small = synth_gaussian(3, 500, test_seed());
  const auto tall = synth_gaussian(400, 500, test_seed());
  EXPECT_TRUE(std::equal(small.begin(), small.end(), tall.begin()));
  HeavyTailSpec spec;
  spec.outlier_channels = 0;
  const auto hs = synth_heavy_tailed(2, 700, test_seed(), spec);
  const auto ht = synth_heavy_tailed(300, 700, test_seed(), spec);
  EXPECT_TRUE(std::equal(hs.begin(), hs.end(), ht.begin()));
  // Different seeds, different rows: no shared data.
  const auto other = synth_gaussian(3, 500, test_seed() + 1);
  int equal = 0;
  for (size_t i = 0; i < small.size(); ++i) equal += small[i] == other[i];
  EXPECT_LT(equal, 3);
  // Rows of one matrix differ from each other.
  EXPECT_FALSE(std::equal(small.begin(), small.begin() + 500, small.begin() + 500));
}

TEST(SynthDeterminism, OutlierColumnsAreSeededAndScaled) {
  HeavyTailSpec spec;
  spec.outlier_channels = 0;
  const auto base = synth_heavy_tailed(64, 300, test_seed(), spec);
  spec.outlier_channels = 5;
  spec.outlier_gain = 8.0f;
  const auto out = synth_heavy_tailed(64, 300, test_seed(), spec, 2);
  int scaled = 0;
  for (int c = 0; c < 300; ++c) {
    bool all = true;
    for (int r = 0; r < 64; ++r) {
      const size_t i = static_cast<size_t>(r) * 300 + c;
      all = all && out[i] == base[i] * 8.0f;
      if (out[i] != base[i] * 8.0f) {
        EXPECT_EQ(out[i], base[i]) << "row " << r << " col " << c;
      }
    }
    scaled += all;
  }
  EXPECT_EQ(scaled, 5);
  // More outliers than columns: every column.
  spec.outlier_channels = 1000;
  const auto every = synth_heavy_tailed(2, 10, test_seed(), spec);
  const auto plain = synth_heavy_tailed(2, 10, test_seed(), HeavyTailSpec{3.0, 1.0f, 0, 1.0f});
  for (size_t i = 0; i < every.size(); ++i) EXPECT_EQ(every[i], plain[i] * 8.0f);
}

TEST(SynthDeterminism, EmptyShapesAndBadArguments) {
  EXPECT_TRUE(synth_gaussian(0, 10, 1).empty());
  EXPECT_TRUE(synth_heavy_tailed(10, 0, 1).empty());
  EXPECT_THROW(synth_gaussian(-1, 10, 1), std::invalid_argument);
  HeavyTailSpec bad;
  bad.dof = 0;
  EXPECT_THROW(synth_heavy_tailed(2, 2, 1, bad), std::invalid_argument);
}

}  // namespace
}  // namespace lowbit
