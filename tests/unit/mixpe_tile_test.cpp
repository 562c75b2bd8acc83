// The mixpe/mac tile golden equals the GEMM golden kernels (b) and (d), sums and outputs.
#include "model/kernels/mixpe_tile.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "model/kernels/mpgemm.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

TEST(MixpeTile, GoldenEqualsGemmKernelsForEveryFormat) {
  const uint64_t seed = test::random_test_seed("MixpeTile");
  std::mt19937_64 rng(seed);
  struct Fmt {
    WeightKind kind;
    int bits;
  };
  const Fmt fmts[] = {{WeightKind::kSigned, 2},   {WeightKind::kSigned, 3},
                      {WeightKind::kSigned, 4},   {WeightKind::kSigned, 8},
                      {WeightKind::kUnsigned, 2}, {WeightKind::kUnsigned, 3},
                      {WeightKind::kUnsigned, 4}, {WeightKind::kUnsigned, 8},
                      {WeightKind::kTernary, 2},  {WeightKind::kBinary, 1}};
  int tiles = 0;
  for (const auto& f : fmts) {
    for (bool fp16 : {false, true}) {
      for (int rep = 0; rep < 5; ++rep) {
        ArrayTile t;
        t.rows = 1 + static_cast<int>(rng() % 5);
        t.cols = 1 + static_cast<int>(rng() % 5);
        t.group = 1 + static_cast<int>(rng() % 40);
        t.k = 1 + static_cast<int>(rng() % 120);
        t.fp16 = fp16;
        t.kind = f.kind;
        t.bits = f.bits;
        t.allocate();
        const uint32_t lim = f.kind == WeightKind::kTernary ? 2u : (1u << f.bits) - 1u;
        for (auto& a : t.act) {
          a = fp16 ? static_cast<uint16_t>(((rng() & 1) << 15) | ((rng() % 31) << 10) |
                                           (rng() & 0x3FF))
                   : static_cast<uint16_t>(rng() & 0xFF);
        }
        for (auto& c : t.codes) c = static_cast<uint8_t>(rng() % (lim + 1));
        for (auto& s : t.scales)
          s = static_cast<uint16_t>(((1 + rng() % 29) << 10) | (rng() & 0x3FF));
        for (auto& z : t.zeros) z = static_cast<uint8_t>(rng() % (lim + 1));
        for (auto& s : t.act_scale) s = fp16 ? std::ldexp(1.0f, -24) : 0.001f * (1 + rng() % 100);
        std::vector<int64_t> sums;
        const auto out = mixpe_tile_golden(t, &sums);
        const auto w = tile_weights(t);
        const auto a = tile_activations(t);
        const auto d = mpgemm_mixpe(a, w);
        const auto b = mpgemm_integer(a, w);
        EXPECT_EQ(sums, group_sums_mixpe(a, w));
        ASSERT_EQ(out.size(), d.size());
        for (size_t i = 0; i < out.size(); ++i) {
          EXPECT_EQ(std::bit_cast<uint32_t>(out[i]), std::bit_cast<uint32_t>(d[i]));
          EXPECT_EQ(std::bit_cast<uint32_t>(out[i]), std::bit_cast<uint32_t>(b[i]));
        }
        ++tiles;
      }
    }
  }
  EXPECT_EQ(tiles, 100);
}

TEST(MixpeTile, WeightIntMasksToBits) {
  EXPECT_EQ(tile_weight_int(WeightKind::kSigned, 4, 0x1F, 0), 15 - 8);  // bit 4 ignored
  EXPECT_EQ(tile_weight_int(WeightKind::kUnsigned, 8, 0, 255), -255);
  EXPECT_EQ(tile_weight_int(WeightKind::kBinary, 1, 0, 0), -1);
  EXPECT_EQ(tile_weight_int(WeightKind::kTernary, 2, 2, 0), 1);
}

}  // namespace
}  // namespace lowbit
