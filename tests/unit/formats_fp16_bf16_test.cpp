// FP16 and BF16 against independent references: GCC's _Float16 conversions (libgcc soft-fp), a
// bit-level RNE for BF16 (GCC 12 has no usable __bf16 conversions here) and AVX512-BF16 when the
// CPU has it; all 65536 codes and 10^6 random inputs.
#include <gtest/gtest.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>

#include "model/formats/bf16.h"
#include "model/formats/fp16.h"
#include "model/formats/minifloat.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

constexpr int kRandomInputs = 1000000;

uint16_t ref_fp16_from_float(float x) {
  const auto h = static_cast<_Float16>(x);
  return std::bit_cast<uint16_t>(h);
}
uint16_t ref_fp16_from_double(double x) {
  const auto h = static_cast<_Float16>(x);
  return std::bit_cast<uint16_t>(h);
}
float ref_fp16_to_float(uint16_t c) { return static_cast<float>(std::bit_cast<_Float16>(c)); }

// BF16 reference: RNE on the float's bit pattern (adding 0x7FFF plus the kept LSB carries exactly
// when the dropped half is above, or equal to with an odd kept part); valid for all non-NaN floats.
uint16_t ref_bf16_from_float(float x) {
  const uint32_t u = std::bit_cast<uint32_t>(x);
  return static_cast<uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

// double -> BF16 reference: round to odd into float (keeps a sticky bit: float has 16 more bits
// than BF16, so the final RNE cannot double-round), then the float reference above.
uint16_t ref_bf16_from_double(double d) {
  float f = static_cast<float>(d);
  if (std::fabs(static_cast<double>(f)) > std::fabs(d))
    f = std::nextafter(f, 0.0f);  // truncate toward zero
  if (static_cast<double>(f) != d) f = std::bit_cast<float>(std::bit_cast<uint32_t>(f) | 1u);
  return ref_bf16_from_float(f);
}

// Random floats: a third uniform bit patterns (all binades), a third in the FP16/BF16 interesting
// range, a third exact ties and near-ties of the 16-bit grids.
float random_float(std::mt19937_64& rng, int kind_bits) {
  const uint32_t r = static_cast<uint32_t>(rng());
  switch (rng() % 3) {
    case 0:
      return std::bit_cast<float>(r);
    case 1: {
      const int exp = static_cast<int>(rng() % 48) - 30;  // 2^-30 .. 2^17
      const float mag = std::ldexp(1.0f + static_cast<float>(r & 0x7FFFFF) / 8388608.0f, exp);
      return (r >> 31) != 0 ? -mag : mag;
    }
    default: {
      // Exactly halfway between two 16-bit codes' significands, or one float ulp either side.
      const uint32_t drop = 23 - kind_bits;
      uint32_t u = (r & ~((1u << drop) - 1)) | (1u << (drop - 1));
      const int nudge = static_cast<int>(rng() % 3) - 1;
      u = static_cast<uint32_t>(static_cast<int64_t>(u) + nudge);
      return std::bit_cast<float>(u);
    }
  }
}

TEST(FormatsFp16, AllCodesDecodeLikeFloat16) {
  for (uint32_t c = 0; c < 65536; ++c) {
    const auto h = static_cast<uint16_t>(c);
    const float want = ref_fp16_to_float(h);
    const float got = fp16_to_float(h);
    const double generic = minifloat_decode(kFp16Spec, c);
    if (std::isnan(want)) {
      EXPECT_TRUE(std::isnan(got)) << c;
      EXPECT_TRUE(std::isnan(generic)) << c;
      EXPECT_EQ(std::signbit(got), std::signbit(want)) << c;
      continue;
    }
    EXPECT_EQ(std::bit_cast<uint32_t>(got), std::bit_cast<uint32_t>(want)) << c;
    EXPECT_EQ(generic, static_cast<double>(want)) << c;
    EXPECT_EQ(std::signbit(generic), std::signbit(want)) << c;
    // Round trip through both encoders and through _Float16's own encoder.
    EXPECT_EQ(fp16_from_float(want), h) << c;
    EXPECT_EQ(minifloat_encode(kFp16Spec, generic, Overflow::kSpecial), c) << c;
    EXPECT_EQ(ref_fp16_from_float(want), h) << c;
  }
}

TEST(FormatsFp16, RandomFloatsEncodeLikeFloat16) {
  std::mt19937_64 rng(test::test_seed("FormatsFp16.RandomFloats"));
  int mismatches = 0;
  for (int i = 0; i < kRandomInputs; ++i) {
    const float x = random_float(rng, 10);
    const uint16_t want = ref_fp16_from_float(x);
    const uint16_t got = fp16_from_float(x);
    const auto generic = static_cast<uint16_t>(
        minifloat_encode(kFp16Spec, static_cast<double>(x), Overflow::kSpecial));
    if (std::isnan(x)) {  // payloads: both keep the sign; fp16_from_float keeps the top bits
      EXPECT_EQ(got, want) << std::bit_cast<uint32_t>(x);
      EXPECT_TRUE(std::isnan(fp16_to_float(generic)));
      continue;
    }
    if (got != want || generic != want) {
      if (++mismatches <= 10)
        ADD_FAILURE() << "x bits 0x" << std::hex << std::bit_cast<uint32_t>(x) << " want 0x" << want
                      << " got 0x" << got << " generic 0x" << generic;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(FormatsFp16, RandomDoublesEncodeLikeFloat16) {
  std::mt19937_64 rng(test::test_seed("FormatsFp16.RandomDoubles"));
  int mismatches = 0;
  for (int i = 0; i < kRandomInputs / 4; ++i) {
    // Doubles near the FP16 range with full 52-bit mantissas: float would double-round them.
    const int exp = static_cast<int>(rng() % 50) - 32;
    const double mant = 1.0 + static_cast<double>(rng() >> 12) / 4503599627370496.0;
    const double x = (rng() & 1) != 0 ? -std::ldexp(mant, exp) : std::ldexp(mant, exp);
    const uint16_t want = ref_fp16_from_double(x);
    if (fp16_from_double(x) != want || minifloat_encode(kFp16Spec, x, Overflow::kSpecial) != want)
      ++mismatches;
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(FormatsFp16, DoubleRoundingIsAvoided) {
  // 1 + 2^-11 + 2^-40: a float would round it to 1 + 2^-11 (a tie) and then to 1.0; one rounding
  // from double gives 1 + 2^-10.
  const double x = 1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40);
  EXPECT_EQ(fp16_from_double(x), 0x3C01);
  EXPECT_EQ(ref_fp16_from_double(x), 0x3C01);
  EXPECT_EQ(fp16_from_float(static_cast<float>(x)), 0x3C00);
}

TEST(FormatsBf16, AllCodesDecodeAndRoundTrip) {
  for (uint32_t c = 0; c < 65536; ++c) {
    const auto b = static_cast<uint16_t>(c);
    const float v = bf16_to_float(b);
    const double generic = minifloat_decode(kBf16Spec, c);
    EXPECT_EQ(std::bit_cast<uint32_t>(v), c << 16) << c;  // BF16 is the top half of a float
    if (std::isnan(v)) {
      EXPECT_TRUE(std::isnan(generic)) << c;
      EXPECT_TRUE(std::isnan(bf16_to_float(bf16_from_float(v)))) << c;
      continue;
    }
    EXPECT_EQ(generic, static_cast<double>(v)) << c;
    EXPECT_EQ(std::signbit(generic), std::signbit(v)) << c;
    EXPECT_EQ(bf16_from_float(v), b) << c;
    EXPECT_EQ(bf16_from_double(generic), b) << c;
  }
}

TEST(FormatsBf16, RandomFloatsMatchBitLevelReference) {
  std::mt19937_64 rng(test::test_seed("FormatsBf16.RandomFloats"));
  int mismatches = 0;
  for (int i = 0; i < kRandomInputs; ++i) {
    const float x = random_float(rng, 7);
    const uint16_t got = bf16_from_float(x);
    if (std::isnan(x)) {
      EXPECT_TRUE(std::isnan(bf16_to_float(got)));
      EXPECT_EQ(std::signbit(bf16_to_float(got)), std::signbit(x));
      continue;
    }
    const uint16_t want = ref_bf16_from_float(x);
    if (got != want && ++mismatches <= 10)
      ADD_FAILURE() << "x bits 0x" << std::hex << std::bit_cast<uint32_t>(x) << " want 0x" << want
                    << " got 0x" << got;
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(FormatsBf16, RandomDoublesMatchRoundToOddReference) {
  std::mt19937_64 rng(test::test_seed("FormatsBf16.RandomDoubles"));
  int mismatches = 0;
  for (int i = 0; i < kRandomInputs / 4; ++i) {
    const int exp = static_cast<int>(rng() % 300) - 150;  // subnormals .. overflow
    const double mant = 1.0 + static_cast<double>(rng() >> 12) / 4503599627370496.0;
    const double x = (rng() & 1) != 0 ? -std::ldexp(mant, exp) : std::ldexp(mant, exp);
    if (bf16_from_double(x) != ref_bf16_from_double(x)) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0);
}

#if defined(__x86_64__)
// Hardware reference where the CPU has it: AVX512-BF16 VCVTNEPS2BF16 rounds to nearest even but
// treats denormal inputs as zero and flushes denormal results, so only normal inputs are compared.
__attribute__((target("avx512bf16,avx512vl,avx512f"))) uint16_t hw_bf16_from_float(float x) {
  const __m128bh r = _mm_cvtneps_pbh(_mm_set_ss(x));
  uint16_t out = 0;
  std::memcpy(&out, &r, sizeof(out));
  return out;
}

TEST(FormatsBf16, RandomNormalFloatsMatchAvx512Bf16) {
  if (!__builtin_cpu_supports("avx512bf16"))
    GTEST_SKIP() << "CPU has no AVX512-BF16 (the bit-level reference tests still run)";
  std::mt19937_64 rng(test::test_seed("FormatsBf16.Avx512Bf16"));
  int compared = 0;
  int mismatches = 0;
  for (int i = 0; i < kRandomInputs; ++i) {
    const float x = random_float(rng, 7);
    if (std::isnan(x) || std::fabs(x) < std::ldexp(1.0f, -126)) continue;
    ++compared;
    const uint16_t want = hw_bf16_from_float(x);
    const uint16_t got = bf16_from_float(x);
    if (got != want && ++mismatches <= 10)
      ADD_FAILURE() << "x bits 0x" << std::hex << std::bit_cast<uint32_t>(x) << " hw 0x" << want
                    << " got 0x" << got;
  }
  EXPECT_GT(compared, kRandomInputs / 2);
  EXPECT_EQ(mismatches, 0);
}

#endif  // __x86_64__

TEST(FormatsBf16, HandExamples) {
  EXPECT_EQ(bf16_from_float(1.0f), 0x3F80);
  EXPECT_EQ(bf16_from_float(std::bit_cast<float>(0x3F808000u)), 0x3F80);  // tie -> even
  EXPECT_EQ(bf16_from_float(std::bit_cast<float>(0x3F818000u)), 0x3F82);  // tie -> even (up)
  EXPECT_EQ(bf16_from_float(std::bit_cast<float>(0x7F7FFFFFu)), 0x7F80);  // FLT_MAX -> inf
  EXPECT_EQ(bf16_from_float(-INFINITY), 0xFF80);
  EXPECT_EQ(bf16_from_float(std::bit_cast<float>(0x00000001u)), 0x0000);  // underflow to +0
  EXPECT_EQ(bf16_from_float(std::bit_cast<float>(0x80008000u)), 0x8000);  // tie -> -0
  EXPECT_EQ(bf16_from_float(std::bit_cast<float>(0x80018000u)), 0x8002);
  EXPECT_EQ(bf16_from_float(std::bit_cast<float>(0x7F800001u)), 0x7FC0);  // sNaN is quieted
}

}  // namespace
}  // namespace lowbit
