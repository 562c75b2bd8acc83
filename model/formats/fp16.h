// IEEE 754 binary16 (FP16) conversions, round to nearest even, with subnormals, inf and NaN.
//
// Written out bit by bit on the source format's bits (no libm), inline: the KV cache rounds
// about 5 x 10^8 values per decode token through them (docs/top.md, issue 20). Checked against
// _Float16 in tests/unit/formats_fp16_bf16_test.cpp and, for every float and a random sample of
// doubles, against the libm formulation they replaced (tests/unit/fp16_exhaustive_test.cpp).
#pragma once

#include <bit>
#include <cstdint>

namespace lowbit {

namespace fp16_detail {

/// Rounds the integer significand `mant` (< 2^63) shifted right by `shift` (1..63) to nearest,
/// ties to even.
inline uint32_t round_shift(uint64_t mant, int shift) {
  const uint64_t kept = mant >> shift;
  const uint64_t dropped = mant & ((uint64_t{1} << shift) - 1);
  const uint64_t half = uint64_t{1} << (shift - 1);
  return static_cast<uint32_t>(kept +
                               ((dropped > half || (dropped == half && (kept & 1) != 0)) ? 1 : 0));
}

/// True when the float with bits `b` rounds to a normal FP16 value: 2^-14 <= |x| < 65520.
inline bool rounds_to_normal(uint32_t b) {
  const uint32_t a = b & 0x7FFFFFFF;
  return a >= 0x38800000 && a < 0x477FF000;
}

/// The float bits of x (bits `b`) rounded to FP16 precision, ties to even, in place: the 13 low
/// fraction bits rounded away (a carry bumps the exponent). Exact when rounds_to_normal(b).
inline uint32_t round_normal_bits(uint32_t b) {
  return (b + 0xFFF + ((b >> 13) & 1)) & ~uint32_t{0x1FFF};
}

}  // namespace fp16_detail

/// Encodes a float as FP16: round to nearest, ties to even; overflow gives +-inf; NaN stays NaN
/// (quiet, payload top bits kept).
inline uint16_t fp16_from_float(float x) {
  const uint32_t b = std::bit_cast<uint32_t>(x);
  const auto sign = static_cast<uint16_t>((b >> 16) & 0x8000);
  const uint32_t a = b & 0x7FFFFFFF;
  if (a >= 0x7F800000) {  // inf or NaN
    if (a == 0x7F800000) return static_cast<uint16_t>(sign | 0x7C00);
    return static_cast<uint16_t>(sign | 0x7E00 | ((b >> 13) & 0x1FF));
  }
  if (a >= 0x477FF000) return static_cast<uint16_t>(sign | 0x7C00);  // >= 65520: rounds to inf
  if (a >= 0x38800000) {
    // Normal result (|x| >= 2^-14): rebias the exponent (127 -> 15) and round the 13 dropped
    // fraction bits; a carry runs into the exponent, as it should (below 65520 never to inf).
    return static_cast<uint16_t>(sign | fp16_detail::round_shift(a - (112u << 23), 13));
  }
  // Subnormal result: |x| * 2^24 = M * 2^(e - 126) for the float's significand M (24 bits) and
  // biased exponent e, rounded to an integer; below 2^-25 (e < 102, float subnormals) it is 0.
  const int e = static_cast<int>(a >> 23);
  if (e < 102) return sign;
  const uint64_t mant = (a & 0x7FFFFF) | 0x800000;
  return static_cast<uint16_t>(sign | fp16_detail::round_shift(mant, 126 - e));  // 0x400: 2^-14
}

/// Encodes a double as FP16 with a single rounding (no double rounding through float).
inline uint16_t fp16_from_double(double x) {
  const uint64_t b = std::bit_cast<uint64_t>(x);
  const auto sign = static_cast<uint16_t>((b >> 48) & 0x8000);
  const uint64_t a = b & 0x7FFFFFFFFFFFFFFFull;
  if (a >= 0x7FF0000000000000ull) {  // inf or NaN (NaN: quiet, no payload)
    return static_cast<uint16_t>(sign | (a == 0x7FF0000000000000ull ? 0x7C00 : 0x7E00));
  }
  if (a >= 0x40EFFE0000000000ull) return static_cast<uint16_t>(sign | 0x7C00);  // >= 65520
  if (a >= 0x3F10000000000000ull) {
    // Normal result: rebias (1023 -> 15) and round the 42 dropped fraction bits.
    return static_cast<uint16_t>(sign | fp16_detail::round_shift(a - (uint64_t{1008} << 52), 42));
  }
  // Subnormal result: |x| * 2^24 = M * 2^(e - 1051), M the 53-bit significand; 0 below 2^-25.
  const int e = static_cast<int>(a >> 52);
  if (e < 998) return sign;
  const uint64_t mant = (a & ((uint64_t{1} << 52) - 1)) | (uint64_t{1} << 52);
  return static_cast<uint16_t>(sign | fp16_detail::round_shift(mant, 1051 - e));
}

/// Decodes FP16 to float (exact: every FP16 value is a float).
inline float fp16_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t e = (h >> 10) & 0x1F;
  const uint32_t m = h & 0x3FF;
  if (e == 0x1F) return std::bit_cast<float>(sign | 0x7F800000 | (m << 13));
  if (e != 0) return std::bit_cast<float>(sign | ((e + 112) << 23) | (m << 13));
  // Subnormal or zero: m * 2^-24, exact in float (a 10-bit integer times a power of two).
  return std::bit_cast<float>(sign | std::bit_cast<uint32_t>(static_cast<float>(m) * 0x1p-24f));
}

/// fp16_to_float(fp16_from_float(x)): x rounded to the nearest FP16 value, ties to even, as a
/// float (what a store to an FP16 buffer and a load back give). For a normal FP16 result the
/// float's 13 low fraction bits are rounded away in place; elsewhere the two conversions.
inline float fp16_round_float(float x) {
  const uint32_t b = std::bit_cast<uint32_t>(x);
  if (fp16_detail::rounds_to_normal(b))
    return std::bit_cast<float>(fp16_detail::round_normal_bits(b));
  return fp16_to_float(fp16_from_float(x));
}

}  // namespace lowbit
