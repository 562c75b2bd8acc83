// The mac baseline's FP16 golden: weight rounding, the defined order, and its error bound.
#include "model/kernels/mac_fp16.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "model/formats/fp16.h"
#include "model/formats/fp_weight.h"
#include "model/kernels/mixpe_tile.h"
#include "model/kernels/mpgemm.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

// fp16(float(w) * scale) has one rounding: the same as rounding the exact real product.
TEST(MacFp16, WeightRoundingIsSingleRoundingOfExactProduct) {
  for (uint32_t s = 0; s < 0x7C00; ++s) {
    for (int w : {-255, -128, -7, -1, 0, 1, 3, 127, 255}) {
      const double exact = static_cast<double>(fp16_to_float(static_cast<uint16_t>(s))) * w;
      ASSERT_EQ(mac_weight_fp16(w, static_cast<uint16_t>(s)), fp16_from_double(exact))
          << "scale 0x" << std::hex << s << std::dec << " w " << w;
    }
  }
  // Overflow to infinity and the canonical NaN of a NaN scale.
  EXPECT_EQ(mac_weight_fp16(255, 0x7BFF), 0x7C00);
  EXPECT_EQ(mac_weight_fp16(-255, 0x7BFF), 0xFC00);
  EXPECT_EQ(mac_weight_fp16(3, 0x7E01), 0x7E00);
}

// FP4 codes on the mac FP16 path (docs/fp-weights.md, "The PE arrays"): w16 = fp16(2v * scale32)
// with the codec's FP32 scale is also the single rounding of the exact product v * scale, for every
// E2M1 code and every finite fp4_e2m1 FP16 scale / every finite E8M0 block scale.
TEST(MacFp16, Fp4WeightRoundingIsSingleRoundingOfExactProduct) {
  for (uint32_t code = 0; code < 16; ++code) {
    const int w2 = fp4_e2m1_doubled(code);
    for (uint32_t s = 0; s < 0x7C00; ++s) {
      const float scale32 = weight_group_scale(WeightCodec::kFp4E2M1, static_cast<uint16_t>(s));
      const double exact = static_cast<double>(fp16_to_float(static_cast<uint16_t>(s))) * w2 / 2;
      ASSERT_EQ(mac_weight_fp16_scale32(w2, scale32), fp16_from_double(exact))
          << "code " << code << " scale 0x" << std::hex << s;
    }
    for (uint32_t x = 0; x < 0xFF; ++x) {
      const float scale32 = weight_group_scale(WeightCodec::kMxfp4, static_cast<uint16_t>(x));
      const double exact = std::ldexp(static_cast<double>(w2) / 2, static_cast<int>(x) - 127);
      ASSERT_EQ(mac_weight_fp16_scale32(w2, scale32), fp16_from_double(exact))
          << "code " << code << " x " << x;
    }
  }
}

struct Case {
  int m, n, k, group, bits;
  WeightKind kind;
};

ArrayTile random_fp16_tile(std::mt19937_64& rng, const Case& c) {
  ArrayTile t;
  t.rows = c.m;
  t.cols = c.n;
  t.k = c.k;
  t.group = c.group;
  t.fp16 = true;
  t.kind = c.kind;
  t.bits = c.bits;
  t.allocate();
  for (auto& a : t.act) {
    // Activations around 1 (as after a norm layer) with both signs and some subnormals.
    const auto e = static_cast<uint16_t>(rng() % 4 == 0 ? rng() % 31 : 10 + rng() % 8);
    a = static_cast<uint16_t>(((rng() & 1) << 15) | (e << 10) | (rng() & 0x3FF));
  }
  const uint32_t lim = c.kind == WeightKind::kTernary ? 2u : (1u << c.bits) - 1u;
  for (auto& code : t.codes) code = static_cast<uint8_t>(rng() % (lim + 1));
  for (auto& s : t.scales) s = static_cast<uint16_t>(((5 + rng() % 12) << 10) | (rng() & 0x3FF));
  for (auto& z : t.zeros)
    z = c.kind == WeightKind::kUnsigned ? static_cast<uint8_t>(rng() % (lim + 1)) : 0;
  return t;
}

// |mac - exact| <= mac_fp16_error_bound; and the bound is meaningful (well below the result scale).
TEST(MacFp16, ErrorBoundAgainstExactAndReference) {
  std::mt19937_64 rng(test::random_test_seed("MacFp16.ErrorBound"));
  const Case cases[] = {{3, 5, 128, 32, 4, WeightKind::kSigned},
                        {2, 4, 300, 128, 4, WeightKind::kUnsigned},
                        {2, 3, 257, 64, 8, WeightKind::kUnsigned},
                        {4, 4, 96, 96, 2, WeightKind::kTernary},
                        {2, 2, 1000, 1000, 3, WeightKind::kSigned}};
  int elements = 0;
  for (const auto& c : cases) {
    const ArrayTile t = random_fp16_tile(rng, c);
    const QuantizedWeights w = tile_weights(t);
    const Activations a = tile_activations(t);
    const auto mac = mac_fp16_gemm(w, a);
    const auto ref = mpgemm_reference(a, w);  // golden (a): double, one rounding
    for (int i = 0; i < c.m; ++i) {
      for (int j = 0; j < c.n; ++j) {
        const double exact = mac_exact_element(w, a, i, j);
        const double bound = mac_fp16_error_bound(w, a, i, j);
        const double got = mac[static_cast<size_t>(i) * c.n + j];
        EXPECT_LE(std::fabs(got - exact), bound) << "element " << i << "," << j;
        // Against the reference kernel (a): its own error is at most half an ulp of float.
        const double r = ref[static_cast<size_t>(i) * c.n + j];
        const double half_ulp = std::ldexp(std::fabs(r), -24);
        EXPECT_LE(std::fabs(got - r), bound + half_ulp) << "element " << i << "," << j;
        // FP16 weights carry 11 significant bits: the bound is about 2^-11 of the magnitude.
        double mag = 0.0;
        for (int s = 0; s < c.k; ++s) {
          mag += std::fabs(fp16_to_float(a.fp16[static_cast<size_t>(i) * c.k + s]) *
                           fp16_to_float(mac_weight_fp16(
                               w.value(j, s),
                               w.scales[static_cast<size_t>(j) * w.groups() + s / w.group_size])));
        }
        EXPECT_LE(bound, std::ldexp(mag, -10) + 1e-30);
        ++elements;
      }
    }
  }
  EXPECT_EQ(elements, 15 + 8 + 6 + 16 + 4);
}

// The tile form and the GEMM form of the golden are the same computation.
TEST(MacFp16, TileGoldenEqualsGemm) {
  std::mt19937_64 rng(test::random_test_seed("MacFp16.TileGoldenEqualsGemm"));
  const ArrayTile t = random_fp16_tile(rng, {4, 3, 77, 16, 4, WeightKind::kUnsigned});
  const auto tile = mac_tile_golden(t);
  const auto gemm = mac_fp16_gemm(tile_weights(t), tile_activations(t));
  ASSERT_EQ(tile.size(), gemm.size());
  for (size_t i = 0; i < tile.size(); ++i) {
    EXPECT_EQ(std::bit_cast<uint32_t>(tile[i]), std::bit_cast<uint32_t>(gemm[i]));
  }
}

// A hand-checked order: two groups, the second partial added to the first.
TEST(MacFp16, DefinedOrderByHand) {
  ArrayTile t;
  t.rows = 1;
  t.cols = 1;
  t.k = 3;
  t.group = 2;
  t.fp16 = true;
  t.kind = WeightKind::kSigned;
  t.bits = 4;
  t.allocate();
  // a = 2048, 1, 1; w = +1 (code 9), scale 1.0: group 0 = 2048 + 1 = 2049 (exact in FP32), group 1
  // = 1.
  t.act = {fp16_from_float(2048.0f), fp16_from_float(1.0f), fp16_from_float(1.0f)};
  t.codes = {9, 9, 9};
  t.scales = {fp16_from_float(1.0f), fp16_from_float(1.0f)};
  EXPECT_EQ(mac_tile_golden(t)[0], 2050.0f);
  // Weight rounding: 0.1 scale x w = 7 -> fp16(0.7001953125 * ...) is applied before the product.
  t.scales = {fp16_from_float(0.1f), fp16_from_float(0.1f)};
  t.codes = {15, 15, 15};  // w = 7
  const float w16 = fp16_to_float(mac_weight_fp16(7, fp16_from_float(0.1f)));
  const float g0 = 2048.0f * w16 + w16;
  EXPECT_EQ(mac_tile_golden(t)[0], g0 + w16);
}

}  // namespace
}  // namespace lowbit
