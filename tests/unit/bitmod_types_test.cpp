// BitMoD value sets (arXiv 2411.11745, FORMATS.md table) and their sign-magnitude codes.
#include "model/formats/bitmod_types.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

TEST(BitmodTypes, ValueSetsFromThePaper) {
  const std::map<BitmodType, std::vector<double>> want{
      {BitmodType::kInt3, {-3, -2, -1, 0, 1, 2, 3}},
      {BitmodType::kFp3, {-4, -2, -1, 0, 1, 2, 4}},
      {BitmodType::kFp3ErPos, {-4, -2, -1, 0, 1, 2, 3, 4}},
      {BitmodType::kFp3ErNeg, {-4, -3, -2, -1, 0, 1, 2, 4}},
      {BitmodType::kFp3EaPos, {-4, -2, -1, 0, 1, 2, 4, 6}},
      {BitmodType::kFp3EaNeg, {-6, -4, -2, -1, 0, 1, 2, 4}},
      {BitmodType::kInt4, {-7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7}},
      {BitmodType::kFlint4, {-16, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 16}},
      {BitmodType::kFp4, {-12, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 12}},
      {BitmodType::kFp4ErPos, {-12, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 10, 12}},
      {BitmodType::kFp4ErNeg, {-12, -10, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 12}},
      {BitmodType::kFp4EaPos, {-12, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 12, 16}},
      {BitmodType::kFp4EaNeg, {-16, -12, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 12}},
  };
  ASSERT_EQ(want.size(), bitmod_all_types().size());
  for (BitmodType t : bitmod_all_types()) {
    EXPECT_EQ(bitmod_values(t), want.at(t)) << bitmod_type_name(t);
    // Every listed value is reachable from exactly the codes that decode to it.
    for (double v : want.at(t)) EXPECT_EQ(bitmod_decode(t, bitmod_encode(t, v)), v);
  }
  EXPECT_EQ(bitmod_max_abs(BitmodType::kFp3EaPos), 6.0);
  EXPECT_EQ(bitmod_max_abs(BitmodType::kFp3ErNeg), 4.0);
  EXPECT_EQ(bitmod_max_abs(BitmodType::kFp4EaNeg), 16.0);
  EXPECT_EQ(bitmod_max_abs(BitmodType::kFlint4), 16.0);
  EXPECT_EQ(bitmod_max_abs(BitmodType::kInt3), 3.0);
}

TEST(BitmodTypes, SignMagnitudeCodesWithSpecialAtNegativeZero) {
  // fp3_er_pos: 0b0MM = +{0,1,2,4}, 0b1MM = -{0,1,2,4} except 0b100 = +3.
  const double er_pos[8] = {0, 1, 2, 4, 3, -1, -2, -4};
  for (uint32_t c = 0; c < 8; ++c) EXPECT_EQ(bitmod_decode(BitmodType::kFp3ErPos, c), er_pos[c]);
  // fp4 equals OCP E2M1 times two, code for code.
  const double e2m1[8] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  for (uint32_t c = 0; c < 16; ++c) {
    const double v = bitmod_decode(BitmodType::kFp4, c);
    EXPECT_EQ(v, (c & 8u) != 0 ? -2 * e2m1[c & 7u] : 2 * e2m1[c & 7u]) << c;
  }
  EXPECT_EQ(bitmod_decode(BitmodType::kFp4EaNeg, 0x8), -16.0);
  EXPECT_EQ(bitmod_decode(BitmodType::kInt4, 0x8), 0.0);  // no special: a second zero
  EXPECT_EQ(bitmod_bits(BitmodType::kFp3EaNeg), 3);
  EXPECT_EQ(bitmod_bits(BitmodType::kFlint4), 4);
}

TEST(BitmodTypes, NearestWithTiesToSmallerMagnitude) {
  const auto q = [](BitmodType t, double x) { return bitmod_decode(t, bitmod_encode(t, x)); };
  EXPECT_EQ(q(BitmodType::kFp3ErPos, 2.5), 2.0);  // tie 2 / 3
  EXPECT_EQ(q(BitmodType::kFp3ErPos, 2.6), 3.0);
  EXPECT_EQ(q(BitmodType::kFp3ErPos, -2.6), -2.0);  // no -3 in ER+
  EXPECT_EQ(q(BitmodType::kFp3EaNeg, -5.0), -4.0);  // tie -4 / -6
  EXPECT_EQ(q(BitmodType::kFp3EaNeg, -5.1), -6.0);
  EXPECT_EQ(q(BitmodType::kFp3EaNeg, 5.1), 4.0);
  EXPECT_EQ(q(BitmodType::kFp4ErNeg, -9.0), -8.0);  // tie -8 / -10
  EXPECT_EQ(q(BitmodType::kFp4ErNeg, -9.5), -10.0);
  EXPECT_EQ(q(BitmodType::kFp4EaPos, 14.0), 12.0);   // tie 12 / 16
  EXPECT_EQ(q(BitmodType::kFp4EaPos, 100.0), 16.0);  // saturates
  EXPECT_EQ(q(BitmodType::kFp4EaPos, -100.0), -12.0);
  EXPECT_EQ(q(BitmodType::kFp4EaPos, -INFINITY), -12.0);
  EXPECT_EQ(bitmod_encode(BitmodType::kFp4, NAN), 0u);
  EXPECT_EQ(bitmod_encode(BitmodType::kInt3, -0.0), 0u);  // the canonical zero
}

// Brute force over all codes (the definition: nearest value, tie -> smaller magnitude, saturate)
// on random inputs, halfway points and huge values.
TEST(BitmodTypes, EncodeMatchesBruteForce) {
  std::mt19937_64 rng(test::test_seed("BitmodTypes.EncodeMatchesBruteForce"));
  std::uniform_real_distribution<double> dist(-20.0, 20.0);
  for (BitmodType t : bitmod_all_types()) {
    const std::vector<double> vals = bitmod_values(t);
    std::vector<double> inputs{1e300, -1e300};
    for (size_t i = 0; i + 1 < vals.size(); ++i) inputs.push_back(0.5 * (vals[i] + vals[i + 1]));
    for (int i = 0; i < 2000; ++i) inputs.push_back(dist(rng));
    for (double x : inputs) {
      const double xc = std::clamp(x, vals.front(), vals.back());
      double best = vals.front();
      for (double v : vals) {
        const double d = std::fabs(xc - v);
        const double db = std::fabs(xc - best);
        if (d < db || (d == db && std::fabs(v) < std::fabs(best))) best = v;
      }
      EXPECT_EQ(bitmod_decode(t, bitmod_encode(t, x)), best) << bitmod_type_name(t) << " x " << x;
    }
  }
}

TEST(BitmodTypes, CandidatesAreTheFourSpecialVariants) {
  const auto c3 = bitmod_candidates(3);
  const auto c4 = bitmod_candidates(4);
  ASSERT_EQ(c3.size(), 4u);  // 2 selector bits per group
  ASSERT_EQ(c4.size(), 4u);
  for (BitmodType t : c3) EXPECT_EQ(bitmod_bits(t), 3);
  for (BitmodType t : c4) EXPECT_EQ(bitmod_bits(t), 4);
  EXPECT_TRUE(bitmod_candidates(5).empty());
}

}  // namespace
}  // namespace lowbit
