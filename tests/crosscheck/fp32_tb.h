// Shared helpers of the rtl/common FP32 cross-checks: seed, bit casts, operand generators, checker.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "tests/lib/test_seed.h"

namespace lowbit::fp32tb {

inline uint32_t bits(float f) { return std::bit_cast<uint32_t>(f); }
inline float from_bits(uint32_t b) { return std::bit_cast<float>(b); }
inline uint32_t make(uint32_t sign, uint32_t exp, uint32_t frac) {
  return (sign << 31) | ((exp & 0xFFu) << 23) | (frac & 0x7FFFFFu);
}

constexpr uint32_t kCanonicalNan = 0x7FC00000u;

/// Counts mismatches between the RTL and the C++ reference; reports the first few in full.
/// A NaN reference demands exactly the canonical NaN (stricter than "both NaN").
class Checker {
 public:
  explicit Checker(std::string unit) : m_unit(std::move(unit)) {}
  ~Checker() = default;

  void check(uint32_t rtl, uint32_t ref, const std::string& operands) {
    ++m_count;
    const bool ref_nan = std::isnan(from_bits(ref));
    const bool ok = ref_nan ? (rtl == kCanonicalNan) : (rtl == ref);
    if (ok) return;
    if (++m_failures <= kMaxReports) {
      ADD_FAILURE() << m_unit << "(" << operands << "): rtl=0x" << hex32(rtl) << " ref=0x"
                    << hex32(ref) << " (" << from_bits(ref) << ")";
    }
  }
  uint64_t count() const { return m_count; }
  uint64_t failures() const { return m_failures; }
  /// Call once at the end of a test: prints totals and fails if anything mismatched.
  void finish() const {
    std::printf("%s: %llu vectors, %llu mismatches\n", m_unit.c_str(),
                static_cast<unsigned long long>(m_count),
                static_cast<unsigned long long>(m_failures));
    EXPECT_EQ(m_failures, 0u) << m_unit << ": mismatches (first " << kMaxReports << " shown)";
  }

  static std::string hex32(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%08X", v);
    return buf;
  }

 private:
  static constexpr uint64_t kMaxReports = 10;
  std::string m_unit;
  uint64_t m_count = 0;
  uint64_t m_failures = 0;
};

/// binary32 values every edge-case test crosses with each other: zeros, subnormal extremes, the
/// min-normal boundary, ones, max finite, infinities and NaNs (quiet, signalling, negative).
inline constexpr uint32_t kEdgeMagnitudes[] = {
    0x00000000u, 0x00000001u, 0x00000002u, 0x00000003u, 0x00400000u, 0x007FFFFEu,
    0x007FFFFFu, 0x00800000u, 0x00800001u, 0x00FFFFFFu, 0x01000000u, 0x0C800000u,
    0x33800000u, 0x33FFFFFFu, 0x34000000u, 0x3F000000u, 0x3F7FFFFFu, 0x3F800000u,
    0x3F800001u, 0x3FC00000u, 0x3FFFFFFFu, 0x40000000u, 0x4B000000u, 0x4B7FFFFFu,
    0x4B800000u, 0x4B800001u, 0x5F000000u, 0x7E800000u, 0x7EFFFFFFu, 0x7F000000u,
    0x7F7FFFFEu, 0x7F7FFFFFu, 0x7F800000u, 0x7F800001u, 0x7FC00000u, 0x7FFFFFFFu};

/// Random binary32 operands from a mix of distributions.
class OperandGen {
 public:
  explicit OperandGen(uint64_t seed) : m_rng(seed) {}

  uint32_t u32() { return static_cast<uint32_t>(m_rng()); }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(m_rng() % n); }
  uint64_t u64() { return m_rng(); }

  /// Uniform random bits (NaN and inf about 1/256 of the time).
  uint32_t random_bits() { return u32(); }
  /// Finite values with exponents spread uniformly (random bits overweight huge magnitudes).
  uint32_t finite() { return make(below(2), below(255), u32()); }
  /// Mostly subnormals and the smallest normals, with sparse or dense fractions.
  uint32_t subnormal_heavy() {
    const uint32_t exp = below(4) == 0 ? below(4) : 0;
    uint32_t frac = u32();
    if (below(3) == 0) frac >>= below(23);  // few significant bits
    return make(below(2), exp, frac);
  }
  /// An operand whose exponent is within +-delta of ref's (cancellation and carries in add).
  uint32_t near(uint32_t ref, int delta) {
    const int exp =
        static_cast<int>((ref >> 23) & 0xFF) + static_cast<int>(below(2 * delta + 1)) - delta;
    const uint32_t e = static_cast<uint32_t>(std::clamp(exp, 0, 254));
    uint32_t frac = u32();
    if (below(2) == 0) frac = (ref & 0x7FFFFF) ^ (u32() >> (9 + below(23)));  // close fraction
    return make(below(2), e, frac);
  }
  /// A special or boundary value, either sign.
  uint32_t edge() {
    constexpr size_t n = sizeof(kEdgeMagnitudes) / sizeof(kEdgeMagnitudes[0]);
    return (below(2) << 31) | kEdgeMagnitudes[below(n)];
  }

 private:
  std::mt19937_64 m_rng;
};

/// True when the exact value x (a double holding it exactly) lies exactly halfway between two
/// adjacent binary32 values, i.e. rounding it exercises the ties-to-even rule.
inline bool is_binary32_tie(double x) {
  if (!std::isfinite(x) || x == 0.0) return false;
  const float f = static_cast<float>(x);
  if (!std::isfinite(f) || static_cast<double>(f) == x) return false;
  const float other =
      std::nextafter(f, static_cast<float>(x > static_cast<double>(f) ? INFINITY : -INFINITY));
  if (!std::isfinite(other)) return false;
  return (static_cast<double>(f) + static_cast<double>(other)) / 2.0 == x;
}

}  // namespace lowbit::fp32tb
