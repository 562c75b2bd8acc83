// BitMoD unified representation: value -> (mantissa, exponent) and the per-cycle mantissa digits.
#include "model/formats/bitmod_unified.h"

#include <cmath>

namespace lowbit {

int bitmod_value_int(uint32_t type_id, uint32_t code) {
  if (type_id >= static_cast<uint32_t>(kBitmodTypeCount)) return 0;
  const auto type = static_cast<BitmodType>(type_id);
  const uint32_t mask = (1u << bitmod_bits(type)) - 1u;
  return static_cast<int>(std::lround(bitmod_decode(type, code & mask)));
}

BitmodTerm bitmod_unified(uint32_t type_id, uint32_t code) {
  const int v = bitmod_value_int(type_id, code);
  for (int e = 0; e <= 2; ++e) {
    const int step = 1 << e;
    if (v % step != 0) break;  // not a multiple of 2^e, nor of any larger power
    const int m = v / step;
    if (m >= -8 && m <= 7) return {m, e};
  }
  return {0, 0};  // unreachable for BitMoD types (|v| <= 16); tests/unit/bitmod_tile_test.cpp
}

int bitmod_slice_digit(int mant, int slice) {
  if (slice == 0) return mant & 3;
  return mant >> 2;  // arithmetic shift of the 4-bit two's complement value: -2 .. 1
}

}  // namespace lowbit
