// Minifloat codec against the spec value tables (OCP MX v1.0, OCP OFP8 rev 1.0) and rounding rules.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "model/formats/minifloat.h"

namespace lowbit {
namespace {

// Positive half (codes 0 .. 2^(bits-1)-1) of each MX element format, copied from the spec tables.
const std::vector<double> kFp4E2M1Table{0, 0.5, 1, 1.5, 2, 3, 4, 6};
const std::vector<double> kFp6E2M3Table{
    0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875,  // E=0: subnormal, M/8
    1, 1.125, 1.25, 1.375, 1.5, 1.625, 1.75, 1.875,  // E=1
    2, 2.25,  2.5,  2.75,  3,   3.25,  3.5,  3.75,   // E=2
    4, 4.5,   5,    5.5,   6,   6.5,   7,    7.5};   // E=3
const std::vector<double> kFp6E3M2Table{
    0,   0.0625, 0.125, 0.1875, 0.25, 0.3125, 0.375, 0.4375,  // E=0 (subnormal), E=1
    0.5, 0.625,  0.75,  0.875,  1,    1.25,   1.5,   1.75,    // E=2, E=3
    2,   2.5,    3,     3.5,    4,    5,      6,     7,       // E=4, E=5
    8,   10,     12,    14,     16,   20,     24,    28};     // E=6, E=7

void expect_table(const MinifloatSpec& spec, const std::vector<double>& positive) {
  const uint32_t half = spec.sign_mask();
  ASSERT_EQ(positive.size(), half);
  for (uint32_t c = 0; c < half; ++c) {
    EXPECT_EQ(minifloat_decode(spec, c), positive[c]) << "code " << c;
    const double neg = minifloat_decode(spec, c | half);
    EXPECT_EQ(neg, -positive[c]) << "code " << (c | half);
    EXPECT_TRUE(std::signbit(neg)) << "code " << (c | half);
    // Every value round-trips, in both overflow modes (these formats have no specials).
    EXPECT_EQ(minifloat_encode(spec, positive[c], Overflow::kSpecial), c);
    EXPECT_EQ(minifloat_encode(spec, -positive[c], Overflow::kSaturate), c | half);
  }
}

TEST(FormatsMinifloat, Fp4E2M1SpecTable) { expect_table(kFp4E2M1, kFp4E2M1Table); }
TEST(FormatsMinifloat, Fp6E2M3SpecTable) { expect_table(kFp6E2M3, kFp6E2M3Table); }
TEST(FormatsMinifloat, Fp6E3M2SpecTable) { expect_table(kFp6E3M2, kFp6E3M2Table); }

TEST(FormatsMinifloat, Fp8E4M3SpecValues) {
  // OFP8 rev 1.0, table 1 (E4M3): bias 7, max 448 = S.1111.110, NaN = S.1111.111, no inf.
  const MinifloatSpec& s = kFp8E4M3;
  EXPECT_EQ(minifloat_decode(s, 0x00), 0.0);
  EXPECT_EQ(minifloat_decode(s, 0x01), std::ldexp(1.0, -9));          // min subnormal
  EXPECT_EQ(minifloat_decode(s, 0x07), 0.875 * std::ldexp(1.0, -6));  // max subnormal
  EXPECT_EQ(minifloat_decode(s, 0x08), std::ldexp(1.0, -6));          // min normal
  EXPECT_EQ(minifloat_decode(s, 0x38), 1.0);
  EXPECT_EQ(minifloat_decode(s, 0x77), 240.0);
  EXPECT_EQ(minifloat_decode(s, 0x78), 256.0);
  EXPECT_EQ(minifloat_decode(s, 0x7E), 448.0);
  EXPECT_EQ(minifloat_decode(s, 0xFE), -448.0);
  EXPECT_TRUE(std::isnan(minifloat_decode(s, 0x7F)));
  EXPECT_TRUE(std::isnan(minifloat_decode(s, 0xFF)));
  EXPECT_EQ(s.max_finite(), 448.0);
  EXPECT_EQ(s.min_normal(), std::ldexp(1.0, -6));
  EXPECT_EQ(s.min_subnormal(), std::ldexp(1.0, -9));
  int nan_codes = 0;
  for (uint32_t c = 0; c < 256; ++c) {
    const double v = minifloat_decode(s, c);
    EXPECT_FALSE(std::isinf(v)) << c;
    nan_codes += std::isnan(v) ? 1 : 0;
  }
  EXPECT_EQ(nan_codes, 2);
}

TEST(FormatsMinifloat, Fp8E5M2SpecValues) {
  // OFP8 rev 1.0, table 1 (E5M2): bias 15, max 57344, IEEE inf and NaN.
  const MinifloatSpec& s = kFp8E5M2;
  EXPECT_EQ(minifloat_decode(s, 0x01), std::ldexp(1.0, -16));
  EXPECT_EQ(minifloat_decode(s, 0x03), 0.75 * std::ldexp(1.0, -14));
  EXPECT_EQ(minifloat_decode(s, 0x04), std::ldexp(1.0, -14));
  EXPECT_EQ(minifloat_decode(s, 0x3C), 1.0);
  EXPECT_EQ(minifloat_decode(s, 0x7B), 57344.0);
  EXPECT_EQ(minifloat_decode(s, 0x7C), INFINITY);
  EXPECT_EQ(minifloat_decode(s, 0xFC), -INFINITY);
  for (uint32_t c : {0x7Du, 0x7Eu, 0x7Fu, 0xFDu, 0xFEu, 0xFFu})
    EXPECT_TRUE(std::isnan(minifloat_decode(s, c))) << c;
  EXPECT_EQ(s.max_finite(), 57344.0);
}

TEST(FormatsMinifloat, WideFormatConstants) {
  EXPECT_EQ(kFp16Spec.max_finite(), 65504.0);
  EXPECT_EQ(kFp16Spec.min_subnormal(), std::ldexp(1.0, -24));
  EXPECT_EQ(kBf16Spec.max_finite(), std::ldexp(255.0, 120));  // (2 - 2^-7) 2^127
  EXPECT_EQ(kBf16Spec.min_normal(), std::ldexp(1.0, -126));
  EXPECT_EQ(kBf16Spec.min_subnormal(), std::ldexp(1.0, -133));
}

// The value of every code, in ascending order per binade, is spaced by one ulp: a structural check
// of the FP8 formats against the definition in FORMATS.md written with integer arithmetic.
TEST(FormatsMinifloat, Fp8DecodeMatchesDefinition) {
  for (const MinifloatSpec* s : {&kFp8E4M3, &kFp8E5M2}) {
    for (uint32_t c = 0; c < 128; ++c) {
      if (minifloat_is_nan(*s, c) || std::isinf(minifloat_decode(*s, c))) continue;
      const int e = static_cast<int>(c >> s->man_bits);
      const int m = static_cast<int>(c & ((1u << s->man_bits) - 1));
      // E > 0: 2^(E-bias) (1 + M/2^m) = (2^m + M) 2^(E-bias-m); E = 0: M 2^(1-bias-m).
      const long long sig = e > 0 ? (1LL << s->man_bits) + m : m;
      const int pow2 = (e > 0 ? e : 1) - s->bias - s->man_bits;
      const double want = pow2 >= 0 ? static_cast<double>(sig << pow2)
                                    : static_cast<double>(sig) / static_cast<double>(1LL << -pow2);
      EXPECT_EQ(minifloat_decode(*s, c), want) << "E" << s->exp_bits << " code " << c;
    }
  }
}

TEST(FormatsMinifloat, RoundToNearestEvenHandExamples) {
  const auto fp4 = [](double x) { return minifloat_encode(kFp4E2M1, x, Overflow::kSpecial); };
  EXPECT_EQ(fp4(0.25), 0x0u);  // tie 0 / 0.5 -> 0 (even)
  EXPECT_EQ(fp4(0.26), 0x1u);
  EXPECT_EQ(fp4(0.75), 0x2u);  // tie 0.5 / 1 -> 1
  EXPECT_EQ(fp4(1.25), 0x2u);  // tie 1 / 1.5 -> 1
  EXPECT_EQ(fp4(1.75), 0x4u);  // tie 1.5 / 2 -> 2
  EXPECT_EQ(fp4(2.5), 0x4u);   // tie 2 / 3 -> 2
  EXPECT_EQ(fp4(3.5), 0x6u);   // tie 3 / 4 -> 4
  EXPECT_EQ(fp4(5.0), 0x6u);   // tie 4 / 6 -> 4
  EXPECT_EQ(fp4(5.01), 0x7u);
  EXPECT_EQ(fp4(7.0), 0x7u);  // no specials: saturate in every mode
  EXPECT_EQ(fp4(1e30), 0x7u);
  EXPECT_EQ(fp4(-INFINITY), 0xFu);
  EXPECT_EQ(fp4(NAN), 0x0u);   // no NaN in FP4: +0
  EXPECT_EQ(fp4(-0.1), 0x8u);  // rounds to -0
  EXPECT_EQ(fp4(-0.0), 0x8u);

  const auto e4m3 = [](double x, Overflow o) { return minifloat_encode(kFp8E4M3, x, o); };
  EXPECT_EQ(e4m3(464.0, Overflow::kSpecial), 0x7Eu);   // tie 448 / (480) -> 448, even mantissa
  EXPECT_EQ(e4m3(464.01, Overflow::kSpecial), 0x7Fu);  // beyond: NaN (non-saturating)
  EXPECT_EQ(e4m3(464.01, Overflow::kSaturate), 0x7Eu);
  EXPECT_EQ(e4m3(-1e9, Overflow::kSaturate), 0xFEu);
  EXPECT_EQ(e4m3(-1e9, Overflow::kSpecial), 0xFFu);
  EXPECT_EQ(e4m3(INFINITY, Overflow::kSpecial), 0x7Fu);
  EXPECT_EQ(e4m3(-INFINITY, Overflow::kSaturate), 0xFEu);
  EXPECT_EQ(e4m3(-NAN, Overflow::kSaturate), 0xFFu);
  EXPECT_EQ(e4m3(std::ldexp(1.0, -10), Overflow::kSpecial), 0x00u);  // tie 0 / min sub -> 0
  EXPECT_EQ(e4m3(std::ldexp(1.0001, -10), Overflow::kSpecial), 0x01u);
  EXPECT_EQ(e4m3(std::ldexp(3.0, -10), Overflow::kSpecial), 0x02u);   // tie 1 / 2 ulp -> 2
  EXPECT_EQ(e4m3(std::ldexp(15.0, -10), Overflow::kSpecial), 0x08u);  // 7.5 ulp -> min normal
  EXPECT_EQ(e4m3(-std::ldexp(1.0, -11), Overflow::kSpecial), 0x80u);

  const auto e5m2 = [](double x, Overflow o) { return minifloat_encode(kFp8E5M2, x, o); };
  EXPECT_EQ(e5m2(61440.0, Overflow::kSpecial), 0x7Cu);  // tie 57344 / 65536 -> even -> inf
  EXPECT_EQ(e5m2(61439.0, Overflow::kSpecial), 0x7Bu);
  EXPECT_EQ(e5m2(61440.0, Overflow::kSaturate), 0x7Bu);
  EXPECT_EQ(e5m2(-INFINITY, Overflow::kSpecial), 0xFCu);
  EXPECT_EQ(e5m2(INFINITY, Overflow::kSaturate), 0x7Bu);
  EXPECT_EQ(e5m2(NAN, Overflow::kSaturate), 0x7Eu);   // canonical quiet NaN
  EXPECT_EQ(e5m2(1.125, Overflow::kSpecial), 0x3Cu);  // tie 1 / 1.25 -> 1
  EXPECT_EQ(e5m2(1.375, Overflow::kSpecial), 0x3Eu);  // tie 1.25 / 1.5 -> 1.5

  const auto e3m2 = [](double x) { return minifloat_encode(kFp6E3M2, x, Overflow::kSpecial); };
  EXPECT_EQ(e3m2(30.0), 0x1Fu);     // tie 28 / (32) -> saturate to 28
  EXPECT_EQ(e3m2(0.03125), 0x00u);  // tie 0 / 0.0625 -> 0
}

}  // namespace
}  // namespace lowbit
