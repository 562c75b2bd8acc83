// KV-cache formats: bytes per token (the Llama-2-7B arithmetic) and the store/load rule.
#include "model/quant/kv_quant.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "model/formats/fp16.h"
#include "model/quant/synth.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

TEST(KvQuant, Llama2DecodeTokenReadsAbout1Point07GBInFp16) {
  // 2 (K, V) x 2048 positions x 32 layers x 32 heads x 128 x 2 bytes (issue 18).
  const KvCacheSpec fp16{KvFormat::kFp16, 0};
  const uint64_t per_layer = kv_read_bytes_per_layer(fp16, 2048, 32, 128);
  EXPECT_EQ(per_layer * 32, 1073741824ull);
  EXPECT_NEAR(per_layer * 32 / 1e9, 1.07, 0.005);
  EXPECT_EQ(kv_write_bytes_per_layer(fp16, 32, 128), 2ull * 32 * 256);
}

TEST(KvQuant, BytesOfTheIntegerFormats) {
  EXPECT_EQ((KvCacheSpec{KvFormat::kInt8, 0}.vector_bytes(128)), 128u + 2u);
  EXPECT_EQ((KvCacheSpec{KvFormat::kInt8, 32}.vector_bytes(128)), 128u + 8u);
  EXPECT_EQ((KvCacheSpec{KvFormat::kInt4, 0}.vector_bytes(128)), 64u + 2u);
  EXPECT_EQ((KvCacheSpec{KvFormat::kInt4, 64}.vector_bytes(128)), 64u + 4u);
  // Llama-3-8B GQA: 8 KV heads, INT4 per token at 8192 positions, 32 layers.
  EXPECT_EQ(kv_read_bytes_per_layer({KvFormat::kInt4, 0}, 8192, 8, 128) * 32,
            2ull * 8192 * 8 * 66 * 32);
}

TEST(KvQuant, StoreLoadWithinHalfAScaleStep) {
  const std::vector<float> x = synth_heavy_tailed(1, 128, 3);
  for (KvFormat f : {KvFormat::kInt8, KvFormat::kInt4}) {
    for (int g : {0, 32, 64}) {
      const KvCacheSpec spec{f, g};
      std::vector<float> y(x.size());
      kv_store_load(x, spec, y);
      const float qmax = f == KvFormat::kInt8 ? 127.0f : 7.0f;
      const size_t gs = g == 0 ? x.size() : static_cast<size_t>(g);
      for (size_t g0 = 0; g0 < x.size(); g0 += gs) {
        float amax = 0;
        for (size_t i = g0; i < g0 + gs; ++i) amax = std::max(amax, std::fabs(x[i]));
        const float s = fp16_to_float(fp16_from_float(amax / qmax));
        for (size_t i = g0; i < g0 + gs; ++i) {
          const double code = y[i] / s;
          ASSERT_EQ(code, std::nearbyint(code)) << "read back is code x scale";
          ASSERT_LE(std::fabs(code), qmax);
          ASSERT_LE(std::fabs(y[i] - x[i]), s * (0.5 + 1e-6) + amax * 0x1p-10) << i;
        }
      }
    }
  }
  std::vector<float> y(x.size());
  kv_store_load(x, {KvFormat::kFp16, 0}, y);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(y[i], fp16_to_float(fp16_from_float(x[i])));
  EXPECT_EQ(parse_kv_format("int4"), KvFormat::kInt4);
  EXPECT_THROW(parse_kv_format("int3"), std::invalid_argument);
}

}  // namespace
}  // namespace lowbit

namespace lowbit {
namespace {

TEST(KvQuant, Fp16StoreLoadOfARowIsFp16RoundFloatOfEachValue) {
  // The row loop rounds in the normal range without a branch and redoes the rest one by one:
  // rows of random bit patterns (every class: zeros, subnormals, normals, values that overflow
  // FP16, inf, NaN) and rows of ordinary values with one rare value at a random place.
  const uint64_t seed = test::random_test_seed("KvQuant.Fp16StoreLoadOfARow");
  std::mt19937_64 rng(seed);
  const auto bits = [](float f) { return std::bit_cast<uint32_t>(f); };
  for (int trial = 0; trial < 400; ++trial) {
    const size_t n = 1 + rng() % 300;
    std::vector<float> x(n), out(n);
    std::uniform_real_distribution<float> ordinary(-3.0f, 3.0f);
    for (auto& v : x) {
      v = trial % 2 == 0 ? std::bit_cast<float>(static_cast<uint32_t>(rng())) : ordinary(rng);
    }
    if (trial % 2 == 1) {
      const float rare[] = {0.0f,
                            -0.0f,
                            1e-6f,
                            -3e-8f,
                            65520.0f,
                            -1e9f,
                            std::numeric_limits<float>::infinity(),
                            std::nanf("")};
      x[rng() % n] = rare[rng() % 8];
    }
    kv_store_load(x, {KvFormat::kFp16, 0}, out);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(bits(out[i]), bits(fp16_round_float(x[i])))
          << "trial " << trial << ", element " << i << " of " << n << ": x bits 0x" << std::hex
          << bits(x[i]);
    }
  }
}

}  // namespace
}  // namespace lowbit
