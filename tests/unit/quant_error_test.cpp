// Quantization error of every weight format on seeded Gaussian and heavy-tailed data: finite,
// ordered by bit width, and within the per-element bound each rule guarantees.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include "model/formats/fp16.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

uint64_t test_seed() {
  static const uint64_t seed = test::test_seed("quant_error_test", 7003);
  return seed;
}

// Per-element bound (docs/kernels.md), s = the group's stored FP16 scale (normal range):
//   intb:    s / 2            (FP16 rounding of s moves max|w|/s by < qmax * 2^-11 < 1/2)
//   uintb:   s * (1/2 + (2^b - 1) * 2^-10)   (clamping at 2^b - 1 after scale rounding)
//   ternary: max(s / 2, |w| - s)   (values beyond 1.5 s clamp to +-s)
//   binary:  | |w| - s |
double element_bound(WeightFormat f, double w, double s) {
  constexpr double kSlack = 1 + 1e-12;  // double arithmetic of the check itself
  switch (f.kind) {
    case WeightKind::kSigned:
      return s / 2 * kSlack;
    case WeightKind::kUnsigned:
      return s * (0.5 + ((1 << f.bits) - 1) * std::ldexp(1.0, -10)) * kSlack;
    case WeightKind::kTernary:
      return std::max(s / 2, std::fabs(w) - s) * kSlack;
    case WeightKind::kBinary:
      return std::fabs(std::fabs(w) - s) * kSlack + 1e-12;
  }
  return 0;
}

struct Data {
  std::string name;
  std::vector<float> w;
};

TEST(QuantError, FiniteBoundedAndOrderedByBits) {
  const uint64_t seed = test_seed();
  const int n = 32, k = 512;
  const std::vector<Data> sets = {
      {"gaussian", synth_gaussian(n, k, seed, 0.02f)},
      {"heavy_tailed", synth_heavy_tailed(n, k, seed + 1, {3.0, 0.02f, 4, 16.0f})}};
  for (const Data& d : sets) {
    double wrms = 0;
    for (float v : d.w) wrms += double(v) * v;
    wrms = std::sqrt(wrms / d.w.size());
    for (int group : {32, 64, 128, kWholeRow}) {
      std::map<std::string, double> rmse;
      for (const auto& name : weight_format_names()) {
        const WeightFormat f = parse_weight_format(name);
        const QuantizedWeights q = quantize_weights(d.w, n, k, f, group);
        const auto back = dequantize_weights(q);
        double sq = 0;
        for (int r = 0; r < n; ++r) {
          for (int c = 0; c < k; ++c) {
            const double w = d.w[r * k + c];
            const double s = fp16_to_float(q.scales[r * q.groups() + c / q.group_size]);
            const double err = std::fabs(w - back[r * k + c]);
            ASSERT_TRUE(std::isfinite(back[r * k + c]));
            ASSERT_LE(err, element_bound(f, w, s))
                << d.name << " " << name << " group " << group << " at " << r << "," << c;
            sq += err * err;
          }
        }
        rmse[name] = std::sqrt(sq / d.w.size());
        ASSERT_GT(rmse[name], 0.0) << name;
        ASSERT_TRUE(std::isfinite(rmse[name]));
      }
      std::printf("%s group %d relative RMSE:", d.name.c_str(), group);
      for (const auto& name : weight_format_names())
        std::printf(" %s=%.4f", name.c_str(), rmse[name] / wrms);
      std::printf("\n");
      // More bits, less error: strictly, within each family.
      for (int b = 3; b <= 8; ++b) {
        for (const char* fam : {"int", "uint"}) {
          const std::string lo = fam + std::to_string(b - 1), hi = fam + std::to_string(b);
          EXPECT_LT(rmse[hi], rmse[lo]) << d.name << " group " << group;
        }
      }
      EXPECT_LT(rmse["ternary"], rmse["binary"]) << d.name << " group " << group;
      // 8-bit groups are close to lossless: RMSE below 1% of the data's RMS on Gaussian data,
      // 5% on heavy-tailed data (outlier channels inflate the group scales).
      const double limit = d.name == "gaussian" ? 0.01 : 0.05;
      EXPECT_LT(rmse["int8"], limit * wrms) << d.name << " group " << group;
      EXPECT_LT(rmse["uint8"], limit * wrms) << d.name << " group " << group;
    }
  }
}

}  // namespace
}  // namespace lowbit
