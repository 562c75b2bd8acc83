// The BitMoD unified bit-serial form covers every code of every type, and the bitmod tile golden
// equals the bit-serial sums the PE forms, the dequant.h order and a hand-computed tile.
#include "model/kernels/bitmod_tile.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <random>

#include "model/formats/bitmod_types.h"
#include "model/formats/bitmod_unified.h"
#include "model/formats/fp16.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

TEST(BitmodUnified, EveryCodeOfEveryTypeHasTheSmallestExponentForm) {
  int checked = 0;
  for (BitmodType type : bitmod_all_types()) {
    const uint32_t mask = (1u << bitmod_bits(type)) - 1u;
    for (uint32_t code = 0; code < 16; ++code) {
      const double v = bitmod_decode(type, code & mask);
      const BitmodTerm t = bitmod_unified(static_cast<uint32_t>(type), code);
      EXPECT_GE(t.mant, -8);
      EXPECT_LE(t.mant, 7);
      EXPECT_GE(t.exp, 0);
      EXPECT_LE(t.exp, 2);
      EXPECT_EQ(t.mant * (1 << t.exp), v) << bitmod_type_name(type) << " code " << code;
      if (t.exp > 0) {  // no smaller exponent would do
        const int m = static_cast<int>(v) / (1 << (t.exp - 1));
        EXPECT_TRUE(m < -8 || m > 7) << bitmod_type_name(type) << " code " << code;
      }
      const int d0 = bitmod_slice_digit(t.mant, 0), d1 = bitmod_slice_digit(t.mant, 1);
      EXPECT_GE(d0, 0);
      EXPECT_LE(d0, 3);
      EXPECT_GE(d1, -2);
      EXPECT_LE(d1, 1);
      EXPECT_EQ(d0 + 4 * d1, t.mant);
      EXPECT_EQ(bitmod_value_int(static_cast<uint32_t>(type), code), v);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 13 * 16);
  // Hand-checked: the special values and the largest magnitudes.
  auto u = [](BitmodType t, uint32_t c) {
    const BitmodTerm x = bitmod_unified(static_cast<uint32_t>(t), c);
    return std::pair<int, int>{x.mant, x.exp};
  };
  EXPECT_EQ(u(BitmodType::kFp4EaPos, 8), (std::pair<int, int>{4, 2}));   // +16
  EXPECT_EQ(u(BitmodType::kFp4EaNeg, 8), (std::pair<int, int>{-8, 1}));  // -16
  EXPECT_EQ(u(BitmodType::kFp4ErPos, 8), (std::pair<int, int>{5, 1}));   // +10
  EXPECT_EQ(u(BitmodType::kFp4, 7), (std::pair<int, int>{6, 1}));        // 12
  EXPECT_EQ(u(BitmodType::kFlint4, 15), (std::pair<int, int>{-8, 1}));   // -16
  EXPECT_EQ(u(BitmodType::kInt4, 15), (std::pair<int, int>{-7, 0}));     // -7
  EXPECT_EQ(u(BitmodType::kFp3EaNeg, 4), (std::pair<int, int>{-6, 0}));  // -6
  EXPECT_EQ(u(BitmodType::kFp3, 0xF), (std::pair<int, int>{-4, 0}));     // code 7: -4
  for (uint32_t id = 13; id < 16; ++id) {
    for (uint32_t c = 0; c < 16; ++c) EXPECT_EQ(bitmod_unified(id, c).mant, 0);
  }
}

TEST(BitmodTile, GroupSumsEqualTheBitSerialSumsAndTheOutputIsClose) {
  const uint64_t seed = test::random_test_seed("BitmodTile");
  std::mt19937_64 rng(seed);
  int tiles = 0;
  for (int rep = 0; rep < 200; ++rep) {
    ArrayTile t;
    t.rows = 1 + static_cast<int>(rng() % 4);
    t.cols = 1 + static_cast<int>(rng() % 4);
    t.group = 1 + static_cast<int>(rng() % 40);
    t.k = 1 + static_cast<int>(rng() % 120);
    t.fp16 = (rng() & 1) != 0;
    t.bits = 4;
    t.allocate();
    for (auto& a : t.act) {
      a = t.fp16
              ? static_cast<uint16_t>(((rng() & 1) << 15) | ((rng() % 31) << 10) | (rng() & 0x3FF))
              : static_cast<uint16_t>(rng() & 0xFF);
    }
    for (auto& c : t.codes) c = static_cast<uint8_t>(rng() % 16);
    for (auto& s : t.scales) s = static_cast<uint16_t>(((1 + rng() % 29) << 10) | (rng() & 0x3FF));
    for (auto& z : t.zeros) z = static_cast<uint8_t>(rng() % kBitmodTypeCount);
    for (auto& s : t.act_scale) s = t.fp16 ? std::ldexp(1.0f, -24) : 0.001f * (1 + rng() % 100);
    std::vector<int64_t> sums;
    const auto out = bitmod_tile_golden(t, &sums);
    const int groups = t.groups();
    for (int r = 0; r < t.rows; ++r) {
      for (int c = 0; c < t.cols; ++c) {
        double exact = 0.0, mag = 0.0;
        for (int g = 0; g < groups; ++g) {
          const size_t gi = static_cast<size_t>(g) * t.cols + c;
          int64_t serial = 0;  // what the PE adds: two digits per weight, each shifted
          for (int k = g * t.group; k < std::min(t.k, (g + 1) * t.group); ++k) {
            const int64_t a = tile_act_int(t.act[static_cast<size_t>(k) * t.rows + r], t.fp16);
            const BitmodTerm term = bitmod_unified(t.zeros[gi], t.codes[k * t.cols + c]);
            for (int j = 0; j < kBitmodSlices; ++j) {
              serial += (a * bitmod_slice_digit(term.mant, j)) * (int64_t{1} << (term.exp + 2 * j));
            }
            const double w = bitmod_value_int(t.zeros[gi], t.codes[k * t.cols + c]) *
                             static_cast<double>(fp16_to_float(t.scales[gi]));
            exact += static_cast<double>(a) * w;
            mag += std::fabs(static_cast<double>(a) * w);
          }
          EXPECT_EQ(sums[(static_cast<size_t>(r) * t.cols + c) * groups + g], serial);
        }
        exact *= t.act_scale[r];
        mag *= t.act_scale[r];
        // Each group adds at most three binary32 roundings (int->fp32, multiply, add), plus the
        // final scale: a loose bound that still catches a wrong value or order of magnitude.
        const double got = out[static_cast<size_t>(r) * t.cols + c];
        EXPECT_LE(std::fabs(got - exact), (3.0 * groups + 2) * 0x1p-23 * mag + 1e-30)
            << "tile " << rep << " (" << r << ", " << c << ")";
      }
    }
    ++tiles;
  }
  EXPECT_EQ(tiles, 200);
}

TEST(BitmodTile, HandComputedTile) {
  // One row, one column, K = 3 in groups of 2: group 0 is fp4_ea_pos (codes 8 = +16, 15 = -12),
  // group 1 is int3 (code 3 = +3). INT8 activations 3, -2, 5; scales 0.5 and 2; act scale 0.25.
  ArrayTile t;
  t.rows = 1;
  t.cols = 1;
  t.k = 3;
  t.group = 2;
  t.bits = 4;
  t.allocate();
  t.act = {3, static_cast<uint16_t>(0xFE), 5};
  t.codes = {8, 15, 3};
  t.zeros = {static_cast<uint8_t>(BitmodType::kFp4EaPos), static_cast<uint8_t>(BitmodType::kInt3)};
  t.scales = {0x3800, 0x4000};  // 0.5, 2.0
  t.act_scale = {0.25f};
  std::vector<int64_t> sums;
  const auto out = bitmod_tile_golden(t, &sums);
  EXPECT_EQ(sums, (std::vector<int64_t>{3 * 16 + (-2) * (-12), 5 * 3}));  // 72, 15
  EXPECT_EQ(out[0], (72.0f * 0.5f + 15.0f * 2.0f) * 0.25f);               // 16.5
}

}  // namespace
}  // namespace lowbit
