// IEEE 754 binary16 conversions written out bit by bit (checked against _Float16 in the unit
// tests).
#include "model/formats/fp16.h"

#include <bit>
#include <cmath>

namespace lowbit {
namespace {

// Rounds |x| (finite, non-negative double) to FP16 magnitude bits, ties to even.
uint16_t fp16_magnitude_from_double(double a) {
  if (a >= 65520.0) return 0x7C00;  // 65520 = max finite + half ulp: rounds to inf
  if (a >= 0x1p-14) {
    // Normal result, from the bits: keep the top 10 of the 52 fraction bits and round the 42
    // dropped ones to nearest, ties to even (a carry runs into the exponent, as it should; below
    // 65520 it never reaches inf). The path below computes the same with libm, for subnormals.
    const uint64_t b = std::bit_cast<uint64_t>(a);
    const uint64_t frac = b & ((uint64_t{1} << 52) - 1);
    const auto biased = static_cast<uint32_t>(static_cast<int>(b >> 52) - 1023 + 15);  // 1..30
    uint32_t h = (biased << 10) | static_cast<uint32_t>(frac >> 42);
    const uint64_t dropped = frac & ((uint64_t{1} << 42) - 1);
    const uint64_t half = uint64_t{1} << 41;
    if (dropped > half || (dropped == half && (h & 1) != 0)) ++h;
    return static_cast<uint16_t>(h);
  }
  int exp = 0;
  std::frexp(a, &exp);  // a = f * 2^exp, f in [0.5, 1)
  // Unit in the last place of the FP16 result: 2^(exp-11) for normals, 2^-24 for subnormals.
  int ulp_exp = exp - 11;
  if (ulp_exp < -24) ulp_exp = -24;
  double scaled = std::ldexp(a, -ulp_exp);  // exact: a power-of-two scaling
  double r = std::nearbyint(scaled);        // default rounding mode: ties to even
  auto mant = static_cast<uint32_t>(r);     // integer significand, may carry to 2^11
  if (mant == 0) return 0;
  // Re-normalize: value = mant * 2^ulp_exp with mant < 2^12.
  int e = ulp_exp;
  while (mant >= (1u << 11)) {  // carry out of rounding, keep 11 significant bits
    mant >>= 1;                 // exact: a carry leaves a zero low bit
    ++e;
  }
  if (mant < (1u << 10)) return static_cast<uint16_t>(mant);  // subnormal (e == -24)
  int biased = e + 10 + 15;                                   // exponent of the leading bit, biased
  if (biased >= 31) return 0x7C00;
  return static_cast<uint16_t>((biased << 10) | (mant & 0x3FF));
}

}  // namespace

uint16_t fp16_from_double(double x) {
  const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  if (std::isnan(x)) return static_cast<uint16_t>(sign | 0x7E00);
  if (std::isinf(x)) return static_cast<uint16_t>(sign | 0x7C00);
  return static_cast<uint16_t>(sign | fp16_magnitude_from_double(std::fabs(x)));
}

uint16_t fp16_from_float(float x) {
  if (std::isnan(x)) {
    const uint32_t b = std::bit_cast<uint32_t>(x);
    return static_cast<uint16_t>(((b >> 16) & 0x8000) | 0x7E00 | ((b >> 13) & 0x1FF));
  }
  return fp16_from_double(static_cast<double>(x));  // float -> double is exact: one rounding
}

float fp16_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t e = (h >> 10) & 0x1F;
  const uint32_t m = h & 0x3FF;
  uint32_t bits;
  if (e == 0x1F) {
    bits = sign | 0x7F800000 | (m << 13);
  } else if (e != 0) {
    bits = sign | ((e - 15 + 127) << 23) | (m << 13);
  } else {
    const float mag = std::ldexp(static_cast<float>(m), -24);  // exact
    return sign ? -mag : mag;
  }
  return std::bit_cast<float>(bits);
}

}  // namespace lowbit
