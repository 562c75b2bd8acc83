// The bit-level FP16 encoders (model/formats/fp16.h) against the libm formulation they replaced
// (issue 20): every one of the 2^32 float bit patterns, and a random sample of doubles in every
// binade near and inside the FP16 range (seed printed, LOWBIT_SEED replays it). Any difference
// would change stats.json, so the comparison is bit for bit, sign and NaN included.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "model/formats/fp16.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

// Under the sanitizer build (-O0, ASan + UBSan) the 2^32 patterns would take the better part of
// an hour: there the test walks every kStride-th pattern (a prime, so every exponent and low
// mantissa pattern is still reached) and a hundredth of the random doubles. The default build
// checks all of them.
//
// The default build checks every pattern whose result is not a foregone saturation: biased float
// exponents 96 .. 148 (|x| from 2^-31 to 2^22: every FP16 subnormal, normal and overflow boundary
// of both encoders and of fp16_round_float, with margins of 6 binades) and 255 (inf and every NaN
// payload), all of them, both signs. Elsewhere (|x| < 2^-31, where both give +-0, and 2^22 <= |x|
// < inf, where both give +-inf) it walks every kStride-th pattern, so every exponent and low
// mantissa pattern is still reached there: the whole 2^32 took a minute of both cores of the CI
// machine, this a fifth of it.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kStride = 257;
constexpr int kRandomDoubles = 200000;
constexpr bool kDenseWindows = false;
#else
constexpr uint64_t kStride = 257;
constexpr int kRandomDoubles = 20000000;
constexpr bool kDenseWindows = true;
#endif
constexpr uint32_t kDenseLo = 96, kDenseHi = 148;

// The pattern after u: the next one in a dense exponent window, else u + kStride but never past
// the start of the next window (so every window is walked from its first pattern).
uint64_t next_pattern(uint64_t u) {
  const uint32_t e = static_cast<uint32_t>(u >> 23) & 0xFF;
  if (!kDenseWindows) return u + kStride;
  if ((e >= kDenseLo && e <= kDenseHi) || e == 0xFF) return u + 1;
  const uint64_t sign = u & 0x80000000u;
  const uint64_t window = sign | (uint64_t{e < kDenseLo ? kDenseLo : 0xFFu} << 23);
  return std::min(u + kStride, window);
}

// The replaced implementation (model/formats/fp16.cpp before issue 20), verbatim in substance:
// frexp / ldexp / nearbyint for subnormal results, the bits for normal ones.
uint16_t old_magnitude(double a) {
  if (a >= 65520.0) return 0x7C00;
  if (a >= 0x1p-14) {
    const uint64_t b = std::bit_cast<uint64_t>(a);
    const uint64_t frac = b & ((uint64_t{1} << 52) - 1);
    const auto biased = static_cast<uint32_t>(static_cast<int>(b >> 52) - 1023 + 15);
    uint32_t h = (biased << 10) | static_cast<uint32_t>(frac >> 42);
    const uint64_t dropped = frac & ((uint64_t{1} << 42) - 1);
    const uint64_t half = uint64_t{1} << 41;
    if (dropped > half || (dropped == half && (h & 1) != 0)) ++h;
    return static_cast<uint16_t>(h);
  }
  int exp = 0;
  std::frexp(a, &exp);
  int ulp_exp = exp - 11;
  if (ulp_exp < -24) ulp_exp = -24;
  const double r = std::nearbyint(std::ldexp(a, -ulp_exp));
  auto mant = static_cast<uint32_t>(r);
  if (mant == 0) return 0;
  int e = ulp_exp;
  while (mant >= (1u << 11)) {
    mant >>= 1;
    ++e;
  }
  if (mant < (1u << 10)) return static_cast<uint16_t>(mant);
  const int biased = e + 10 + 15;
  if (biased >= 31) return 0x7C00;
  return static_cast<uint16_t>((biased << 10) | (mant & 0x3FF));
}

uint16_t old_from_double(double x) {
  const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  if (std::isnan(x)) return static_cast<uint16_t>(sign | 0x7E00);
  if (std::isinf(x)) return static_cast<uint16_t>(sign | 0x7C00);
  return static_cast<uint16_t>(sign | old_magnitude(std::fabs(x)));
}

uint16_t old_from_float(float x) {
  if (std::isnan(x)) {
    const uint32_t b = std::bit_cast<uint32_t>(x);
    return static_cast<uint16_t>(((b >> 16) & 0x8000) | 0x7E00 | ((b >> 13) & 0x1FF));
  }
  return old_from_double(static_cast<double>(x));
}

// Also fp16_round_float, the store-and-load round trip, against the old encoder and the decoder.
TEST(Fp16Exhaustive, EveryFloatEncodesAsBefore) {
  // Two threads over halves of the 2^32 patterns; each counts its mismatches and keeps the first.
  constexpr int kThreads = 2;
  std::vector<uint64_t> bad(kThreads, 0);
  std::vector<uint32_t> first(kThreads, 0);
  const auto part = [&](int t) {
    const uint64_t lo = (uint64_t{1} << 32) * t / kThreads;
    const uint64_t hi = (uint64_t{1} << 32) * (t + 1) / kThreads;
    for (uint64_t u = lo; u < hi; u = next_pattern(u)) {
      const float x = std::bit_cast<float>(static_cast<uint32_t>(u));
      const uint16_t h = fp16_from_float(x);
      // The double encoder drops NaN payloads; for every other float it must agree too.
      const bool nan = std::isnan(x);
      const float back = fp16_round_float(x);
      const bool round_ok = nan ? std::isnan(back)
                                : std::bit_cast<uint32_t>(back) ==
                                      std::bit_cast<uint32_t>(fp16_to_float(old_from_float(x)));
      if (h != old_from_float(x) || (!nan && h != fp16_from_double(static_cast<double>(x))) ||
          !round_ok) {
        if (bad[t]++ == 0) first[t] = static_cast<uint32_t>(u);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < kThreads; ++t) pool.emplace_back(part, t);
  part(0);
  for (std::thread& th : pool) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(bad[t], 0u) << "first differing float bits 0x" << std::hex << first[t];
  }
}

TEST(Fp16Exhaustive, RandomDoublesEncodeAsBefore) {
  std::mt19937_64 rng(test::test_seed("Fp16Exhaustive.RandomDoubles"));
  int mismatches = 0;
  for (int i = 0; i < kRandomDoubles; ++i) {
    double x;
    switch (i % 4) {
      case 0:  // any bit pattern: every binade, inf, NaN, double subnormals
        x = std::bit_cast<double>(rng());
        break;
      case 1: {  // 2^-30 .. 2^17 with a full 52-bit significand: FP16 subnormals to overflow
        const int exp = static_cast<int>(rng() % 48) - 30;
        x = std::ldexp(1.0 + static_cast<double>(rng() >> 12) * 0x1p-52, exp);
        break;
      }
      case 2: {  // exact ties of the FP16 grid, and one double ulp either side
        const int exp = static_cast<int>(rng() % 48) - 30;
        const double ulp = std::ldexp(1.0, std::max(exp - 10, -24));
        const double tie =
            std::ldexp(1.0 + static_cast<double>(rng() % 1024) / 1024, exp) + ulp / 2;
        const int nudge = static_cast<int>(rng() % 3) - 1;
        x = nudge == 0 ? tie : std::nextafter(tie, nudge * 1e300);
        break;
      }
      default:  // uniform in [-2^-13, 2^-13]: the subnormal range and its boundary
        x = (static_cast<double>(rng() >> 11) * 0x1p-53 * 2 - 1) * 0x1p-13;
        break;
    }
    if ((rng() & 1) != 0) x = -x;
    const uint16_t got = fp16_from_double(x);
    const uint16_t want = old_from_double(x);
    if (got != want && ++mismatches <= 10) {
      ADD_FAILURE() << "double bits 0x" << std::hex << std::bit_cast<uint64_t>(x) << " want 0x"
                    << want << " got 0x" << got;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(Fp16Exhaustive, EveryCodeDecodesAsBefore) {
  for (uint32_t c = 0; c < 65536; ++c) {
    const auto h = static_cast<uint16_t>(c);
    const uint32_t e = (h >> 10) & 0x1F;
    const uint32_t m = h & 0x3FF;
    uint32_t want;
    if (e == 0) {  // the replaced formula: ldexp(m, -24), negated for a set sign bit
      const float mag = std::ldexp(static_cast<float>(m), -24);
      want = std::bit_cast<uint32_t>((h & 0x8000) != 0 ? -mag : mag);
    } else if (e == 0x1F) {
      want = (static_cast<uint32_t>(h & 0x8000) << 16) | 0x7F800000 | (m << 13);
    } else {
      want = (static_cast<uint32_t>(h & 0x8000) << 16) | ((e - 15 + 127) << 23) | (m << 13);
    }
    EXPECT_EQ(std::bit_cast<uint32_t>(fp16_to_float(h)), want) << c;
  }
}

}  // namespace
}  // namespace lowbit
