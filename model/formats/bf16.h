// bfloat16 conversions (1 sign, 8 exponent, 7 mantissa bits), round to nearest even.
#pragma once

#include <cstdint>

namespace lowbit {

/// Encodes a float as BF16: round to nearest, ties to even; overflow gives +-inf; NaN stays NaN
/// (quiet bit set, sign and top payload bits kept).
uint16_t bf16_from_float(float x);
/// Encodes a double as BF16 with a single rounding (no double rounding through float).
uint16_t bf16_from_double(double x);
/// Decodes BF16 to float (exact: BF16 is the top half of a float).
float bf16_to_float(uint16_t b);

}  // namespace lowbit
