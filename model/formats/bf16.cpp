// bfloat16 conversions on top of the generic minifloat codec.
#include "model/formats/bf16.h"

#include <bit>
#include <cmath>

#include "model/formats/minifloat.h"

namespace lowbit {

uint16_t bf16_from_double(double x) {
  return static_cast<uint16_t>(minifloat_encode(kBf16Spec, x, Overflow::kSpecial));
}

uint16_t bf16_from_float(float x) {
  if (std::isnan(x)) {  // keep the payload's top bits, as float -> float conversions do
    const uint32_t b = std::bit_cast<uint32_t>(x);
    return static_cast<uint16_t>((b >> 16) | 0x0040);
  }
  return bf16_from_double(static_cast<double>(x));  // float -> double is exact: one rounding
}

float bf16_to_float(uint16_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b) << 16); }

}  // namespace lowbit
