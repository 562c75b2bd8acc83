// OCP MX v1.0 blocks: hand-computed examples per element format, edge blocks (all-zero, NaN, inf,
// overflow, underflow), and a brute-force check that every element is the nearest element value.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <random>
#include <vector>

#include "model/formats/mx.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

std::vector<double> decode(MxElement e, const MxBlock& b, size_t n) {
  std::vector<double> out(n);
  mx_decode_block(e, b, out);
  return out;
}

TEST(MxBlock, ElementFormatConstants) {
  // MX v1.0 table: emax of each element type, and its max finite value.
  EXPECT_EQ(mx_element_emax(MxElement::kFp8E4M3), 8);
  EXPECT_EQ(mx_element_emax(MxElement::kFp8E5M2), 15);
  EXPECT_EQ(mx_element_emax(MxElement::kFp6E2M3), 2);
  EXPECT_EQ(mx_element_emax(MxElement::kFp6E3M2), 4);
  EXPECT_EQ(mx_element_emax(MxElement::kFp4E2M1), 2);
  EXPECT_EQ(mx_element_emax(MxElement::kInt8), 0);
  EXPECT_EQ(mx_element_max(MxElement::kFp8E4M3), 448.0);
  EXPECT_EQ(mx_element_max(MxElement::kFp8E5M2), 57344.0);
  EXPECT_EQ(mx_element_max(MxElement::kFp6E2M3), 7.5);
  EXPECT_EQ(mx_element_max(MxElement::kFp6E3M2), 28.0);
  EXPECT_EQ(mx_element_max(MxElement::kFp4E2M1), 6.0);
  EXPECT_EQ(mx_element_max(MxElement::kInt8), 127.0 / 64.0);
  EXPECT_EQ(mx_element_decode(MxElement::kInt8, 0x80), -2.0);  // decodes, never produced
  EXPECT_EQ(mx_element_bits(MxElement::kFp6E3M2), 6);
}

TEST(MxBlock, Fp8E4M3HandExample) {
  // amax 3: floor(log2 3) = 1, shared_exp = 1 - 8 = -7, X = 2^-7 (code 120); P = V * 128.
  const std::vector<float> v{1.0f, 3.0f, 0.001f, -0.5f};
  const MxBlock b = mx_encode_block(MxElement::kFp8E4M3, v);
  EXPECT_EQ(b.scale, 120);
  EXPECT_EQ(b.codes[0], 0x70);  // 128 = 2^7: E = 14
  EXPECT_EQ(b.codes[1], 0x7C);  // 384 = 1.5 * 2^8: E = 15, M = 4
  EXPECT_EQ(b.codes[2], 0x20);  // 0.128 -> 0.125 = 2^-3: E = 4, M = 0
  EXPECT_EQ(b.codes[3], 0xE8);  // -64 = -2^6: E = 13 (0x68), sign bit
  const std::vector<double> d = decode(MxElement::kFp8E4M3, b, 4);
  EXPECT_EQ(d[0], 1.0);
  EXPECT_EQ(d[1], 3.0);
  EXPECT_EQ(d[2], 0.125 / 128);
  EXPECT_EQ(d[3], -0.5);
  for (size_t i = 4; i < kMxBlockSize; ++i) EXPECT_EQ(b.codes[i], 0) << i;
}

TEST(MxBlock, RoundingOverflowSaturates) {
  // 1.96875 = (1 + 31/32): X = 2^(0-8), P = 504 > 448 -> clamps to 448, decodes to 1.75.
  const std::vector<float> v{1.96875f, -1.96875f};
  const MxBlock b = mx_encode_block(MxElement::kFp8E4M3, v);
  EXPECT_EQ(b.scale, 127 - 8);
  EXPECT_EQ(b.codes[0], 0x7E);
  EXPECT_EQ(b.codes[1], 0xFE);
  EXPECT_EQ(decode(MxElement::kFp8E4M3, b, 1)[0], 1.75);
  // FP4: amax 7.9, floor(log2) = 2 = emax, X = 1, 7.9 -> 6.
  const std::vector<float> w{7.9f};
  const MxBlock b4 = mx_encode_block(MxElement::kFp4E2M1, w);
  EXPECT_EQ(b4.scale, 127);
  EXPECT_EQ(b4.codes[0], 0x7);
}

TEST(MxBlock, Fp4HandExample) {
  // amax 6: floor(log2 6) = 2, shared_exp = 0, X = 1.
  const std::vector<float> v{6.0f, -0.3f, 0.001f, 2.5f, -5.0f, 0.25f, 0.75f};
  const MxBlock b = mx_encode_block(MxElement::kFp4E2M1, v);
  EXPECT_EQ(b.scale, 127);
  EXPECT_EQ(b.codes[0], 0x7);  // 6
  EXPECT_EQ(b.codes[1], 0x9);  // -0.5 (0.3 is nearer 0.5 than 0)
  EXPECT_EQ(b.codes[2], 0x0);  // 0
  EXPECT_EQ(b.codes[3], 0x4);  // tie 2 / 3 -> 2 (even)
  EXPECT_EQ(b.codes[4], 0xE);  // tie -4 / -6 -> -4
  EXPECT_EQ(b.codes[5], 0x0);  // tie 0 / 0.5 -> 0
  EXPECT_EQ(b.codes[6], 0x2);  // tie 0.5 / 1 -> 1
}

TEST(MxBlock, Fp6AndFp8E5M2HandExamples) {
  const std::vector<float> v{100.0f};
  // E3M2: shared_exp = 6 - 4 = 2, X = 4, P = 25 -> 24 (E=7, M=2), value 96.
  const MxBlock b32 = mx_encode_block(MxElement::kFp6E3M2, v);
  EXPECT_EQ(b32.scale, 129);
  EXPECT_EQ(b32.codes[0], 0x1E);
  EXPECT_EQ(decode(MxElement::kFp6E3M2, b32, 1)[0], 96.0);
  // E2M3: shared_exp = 6 - 2 = 4, X = 16, P = 6.25: tie 6 / 6.5 -> 6 (E=3, M=4), value 96.
  const MxBlock b23 = mx_encode_block(MxElement::kFp6E2M3, v);
  EXPECT_EQ(b23.scale, 131);
  EXPECT_EQ(b23.codes[0], 0x1C);
  EXPECT_EQ(decode(MxElement::kFp6E2M3, b23, 1)[0], 96.0);
  // E5M2: shared_exp = 6 - 15 = -9, X = 2^-9, P = 51200 -> 49152 (1.5 * 2^15; 51200 is nearer
  // 49152 than 57344), value 96.
  const MxBlock b52 = mx_encode_block(MxElement::kFp8E5M2, v);
  EXPECT_EQ(b52.scale, 118);
  EXPECT_EQ(b52.codes[0], 0x7A);
  EXPECT_EQ(decode(MxElement::kFp8E5M2, b52, 1)[0], 96.0);
}

TEST(MxBlock, Int8HandExample) {
  // amax 1: shared_exp = 0, X = 1, P = round(V * 64).
  const std::vector<float> v{1.0f, -0.5f, 0.75f, 1.0f / 128, 3.0f / 128, -1.0f};
  const MxBlock b = mx_encode_block(MxElement::kInt8, v);
  EXPECT_EQ(b.scale, 127);
  EXPECT_EQ(b.codes[0], 0x40);
  EXPECT_EQ(b.codes[1], 0xE0);
  EXPECT_EQ(b.codes[2], 0x30);
  EXPECT_EQ(b.codes[3], 0x00);  // 0.5 -> 0 (tie to even)
  EXPECT_EQ(b.codes[4], 0x02);  // 1.5 -> 2
  EXPECT_EQ(b.codes[5], 0xC0);
  // amax 1.999: X = 1, P = 127.94 -> saturates to 127; -1.999 -> -127 (0x81), never -128.
  const std::vector<float> w{1.999f, -1.999f};
  const MxBlock s = mx_encode_block(MxElement::kInt8, w);
  EXPECT_EQ(s.codes[0], 0x7F);
  EXPECT_EQ(s.codes[1], 0x81);
}

TEST(MxBlock, AllZeroBlock) {
  for (MxElement e : mx_all_elements()) {
    std::vector<float> v(kMxBlockSize, 0.0f);
    v[3] = -0.0f;
    const MxBlock b = mx_encode_block(e, v);
    EXPECT_EQ(b.scale, 0x00) << mx_format_name(e);  // documented choice: smallest scale 2^-127
    const std::vector<double> d = decode(e, b, kMxBlockSize);
    for (size_t i = 0; i < d.size(); ++i) EXPECT_EQ(d[i], 0.0) << mx_format_name(e) << " " << i;
    if (e != MxElement::kInt8) {  // float elements keep the sign of zero
      EXPECT_TRUE(std::signbit(d[3])) << mx_format_name(e);
    }
  }
}

TEST(MxBlock, NanOrInfMakesTheBlockNan) {
  for (MxElement e : mx_all_elements()) {
    for (float bad : {NAN, INFINITY, -INFINITY}) {
      std::vector<float> v(kMxBlockSize, 1.0f);
      v[17] = bad;
      const MxBlock b = mx_encode_block(e, v);
      EXPECT_EQ(b.scale, 0xFF) << mx_format_name(e);
      for (double x : decode(e, b, kMxBlockSize)) EXPECT_TRUE(std::isnan(x));
    }
  }
}

TEST(MxBlock, ExponentRangeClamps) {
  // Largest float: floor(log2) = 127; MXINT8 (emax 0) needs X = 2^127 (code 0xFE), P saturates.
  const std::vector<float> big{FLT_MAX};
  const MxBlock bi = mx_encode_block(MxElement::kInt8, big);
  EXPECT_EQ(bi.scale, 0xFE);
  EXPECT_EQ(bi.codes[0], 0x7F);
  EXPECT_EQ(decode(MxElement::kInt8, bi, 1)[0], std::ldexp(127.0, 127 - 6));
  // 2^-140: E4M3 wants shared_exp -148, clamped to -127: P = 2^-13 < half of 2^-9 -> 0.
  const std::vector<float> tiny{std::ldexp(1.0f, -140)};
  EXPECT_EQ(mx_shared_exponent(MxElement::kFp8E4M3, tiny[0]), -148);
  const MxBlock bt = mx_encode_block(MxElement::kFp8E4M3, tiny);
  EXPECT_EQ(bt.scale, 0x00);
  EXPECT_EQ(bt.codes[0], 0x00);
  // E5M2 keeps it: P = 2^-13 is a subnormal of E5M2 (min 2^-16), exact.
  const MxBlock b5 = mx_encode_block(MxElement::kFp8E5M2, tiny);
  EXPECT_EQ(b5.scale, 0x00);
  EXPECT_EQ(decode(MxElement::kFp8E5M2, b5, 1)[0], std::ldexp(1.0, -140));
}

TEST(MxBlock, BlockSizeIsChecked) {
  std::vector<float> v(33, 1.0f);
  EXPECT_THROW(mx_encode_block(MxElement::kFp4E2M1, v), std::invalid_argument);
  EXPECT_THROW(mx_encode_block(MxElement::kFp4E2M1, std::span<const float>{}),
               std::invalid_argument);
  const MxBlock b = mx_encode_block(MxElement::kFp4E2M1, std::span<const float>(v.data(), 5));
  // A short block: amax 1, shared_exp = 0 - 2, X = 1/4, P = 4 (code 0x6); codes past 5 stay 0.
  EXPECT_EQ(b.scale, 125);
  EXPECT_EQ(b.codes[4], 0x6);
  EXPECT_EQ(b.codes[5], 0x0);
}

// Brute force: each code must be a nearest element value to V/X (ties aside), X as the spec rule.
TEST(MxBlock, RandomBlocksAreNearestElements) {
  std::mt19937_64 rng(test::test_seed("MxBlock.RandomBlocks"));
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  std::uniform_int_distribution<int> exp_dist(-40, 40);
  for (MxElement e : mx_all_elements()) {
    std::vector<double> elem_values;
    for (uint32_t c = 0; c < (1u << mx_element_bits(e)); ++c) {
      const double x = mx_element_decode(e, static_cast<uint8_t>(c));
      if (std::isfinite(x) && !(e == MxElement::kInt8 && c == 0x80)) elem_values.push_back(x);
    }
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<float> v(kMxBlockSize);
      const int block_exp = exp_dist(rng);
      for (float& x : v) x = std::ldexp(gauss(rng), block_exp);
      const MxBlock b = mx_encode_block(e, v);
      double amax = 0;
      for (float x : v) amax = std::fmax(amax, std::fabs(x));
      int exp = 0;
      std::frexp(amax, &exp);
      ASSERT_EQ(static_cast<int>(b.scale) - 127, exp - 1 - mx_element_emax(e));
      const double scale = std::ldexp(1.0, static_cast<int>(b.scale) - 127);
      for (size_t i = 0; i < v.size(); ++i) {
        const double target = v[i] / scale;
        const double got = mx_element_decode(e, b.codes[i]);
        for (double cand : elem_values)
          ASSERT_LE(std::fabs(got - target), std::fabs(cand - target))
              << mx_format_name(e) << " trial " << trial << " element " << i;
      }
    }
  }
}

}  // namespace
}  // namespace lowbit
