// Integer, binary, ternary and E8M0 codecs against their definitions and hand-written tables.
#include <gtest/gtest.h>

#include <cmath>

#include "model/formats/e8m0.h"
#include "model/formats/int_formats.h"

namespace lowbit {
namespace {

TEST(FormatsInt, Int4TwosComplementTable) {
  const IntSpec s{4, true};
  const int want[16] = {0, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1};
  for (uint32_t c = 0; c < 16; ++c) EXPECT_EQ(int_decode(s, c), want[c]) << c;
  EXPECT_EQ(s.min_value(), -8);
  EXPECT_EQ(s.max_value(), 7);
}

TEST(FormatsInt, RangesOfAllWidths) {
  for (int b = 2; b <= 8; ++b) {
    const IntSpec si{b, true};
    const IntSpec su{b, false};
    EXPECT_EQ(si.min_value(), -(1 << (b - 1)));
    EXPECT_EQ(si.max_value(), (1 << (b - 1)) - 1);
    EXPECT_EQ(su.min_value(), 0);
    EXPECT_EQ(su.max_value(), (1 << b) - 1);
    for (uint32_t c = 0; c < (1u << b); ++c) {
      EXPECT_EQ(int_encode(si, int_decode(si, c)), c);
      EXPECT_EQ(int_decode(su, c), static_cast<int>(c));
    }
  }
}

TEST(FormatsInt, RoundingAndSaturation) {
  const IntSpec s{3, true};                         // -4 .. 3
  EXPECT_EQ(int_decode(s, int_encode(s, 0.5)), 0);  // ties to even
  EXPECT_EQ(int_decode(s, int_encode(s, 1.5)), 2);
  EXPECT_EQ(int_decode(s, int_encode(s, 2.5)), 2);
  EXPECT_EQ(int_decode(s, int_encode(s, -0.5)), 0);
  EXPECT_EQ(int_decode(s, int_encode(s, -1.5)), -2);
  EXPECT_EQ(int_decode(s, int_encode(s, 2.51)), 3);
  EXPECT_EQ(int_decode(s, int_encode(s, 3.5)), 3);  // saturate
  EXPECT_EQ(int_decode(s, int_encode(s, -4.5)), -4);
  EXPECT_EQ(int_decode(s, int_encode(s, 1e300)), 3);
  EXPECT_EQ(int_decode(s, int_encode(s, -INFINITY)), -4);
  EXPECT_EQ(int_encode(s, NAN), 0u);
  const IntSpec u{2, false};  // 0 .. 3
  EXPECT_EQ(int_encode(u, -0.7), 0u);
  EXPECT_EQ(int_encode(u, 3.7), 3u);
  EXPECT_EQ(int_encode(u, 2.5), 2u);
}

TEST(FormatsInt, BinaryMatchesWeightKindBinary) {
  EXPECT_EQ(binary_decode(0), -1);
  EXPECT_EQ(binary_decode(1), 1);
  EXPECT_EQ(binary_encode(-1e-30), 0u);
  EXPECT_EQ(binary_encode(-5.0), 0u);
  EXPECT_EQ(binary_encode(0.0), 1u);
  EXPECT_EQ(binary_encode(-0.0), 1u);
  EXPECT_EQ(binary_encode(NAN), 1u);
  EXPECT_EQ(binary_encode(3.0), 1u);
}

TEST(FormatsInt, TernaryTable) {
  EXPECT_EQ(ternary_decode(0), -1);
  EXPECT_EQ(ternary_decode(1), 0);
  EXPECT_EQ(ternary_decode(2), 1);
  EXPECT_THROW(ternary_decode(3), std::out_of_range);
  EXPECT_EQ(ternary_encode(0.5), 1u);  // tie -> 0
  EXPECT_EQ(ternary_encode(-0.5), 1u);
  EXPECT_EQ(ternary_encode(0.51), 2u);
  EXPECT_EQ(ternary_encode(-0.51), 0u);
  EXPECT_EQ(ternary_encode(1.5), 2u);  // RNE gives 2, clamped to 1
  EXPECT_EQ(ternary_encode(-7.0), 0u);
  EXPECT_EQ(ternary_encode(NAN), 1u);
}

TEST(FormatsE8M0, AllCodes) {
  for (int c = 0; c < 255; ++c) {
    const auto code = static_cast<uint8_t>(c);
    EXPECT_EQ(e8m0_decode(code), std::ldexp(1.0, c - 127)) << c;
    EXPECT_EQ(e8m0_encode(e8m0_decode(code)), code) << c;
    EXPECT_EQ(e8m0_from_exponent(c - 127), code) << c;
  }
  EXPECT_TRUE(std::isnan(e8m0_decode(0xFF)));
  EXPECT_EQ(e8m0_decode(0x7F), 1.0);
  EXPECT_EQ(e8m0_decode(0x00), std::ldexp(1.0, -127));
  EXPECT_EQ(e8m0_decode(0xFE), std::ldexp(1.0, 127));
}

TEST(FormatsE8M0, EncodeRules) {
  EXPECT_EQ(e8m0_encode(1.49), 0x7F);
  EXPECT_EQ(e8m0_encode(1.51), 0x80);
  EXPECT_EQ(e8m0_encode(1.5), 0x80);     // tie between codes 127 and 128 -> 128 (even)
  EXPECT_EQ(e8m0_encode(3.0), 0x80);     // tie between codes 128 and 129 -> 128 (even)
  EXPECT_EQ(e8m0_encode(0.75), 0x7E);    // tie between codes 126 and 127 -> 126 (even)
  EXPECT_EQ(e8m0_encode(1e-300), 0x00);  // clamps to 2^-127
  EXPECT_EQ(e8m0_encode(1e300), 0xFE);   // clamps to 2^127
  EXPECT_EQ(e8m0_encode(0.0), 0xFF);
  EXPECT_EQ(e8m0_encode(-1.0), 0xFF);
  EXPECT_EQ(e8m0_encode(INFINITY), 0xFF);
  EXPECT_EQ(e8m0_encode(NAN), 0xFF);
  EXPECT_EQ(e8m0_from_exponent(-500), 0x00);
  EXPECT_EQ(e8m0_from_exponent(500), 0xFE);
}

}  // namespace
}  // namespace lowbit
