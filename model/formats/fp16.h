// IEEE 754 binary16 (FP16) conversions, round to nearest even, with subnormals, inf and NaN.
#pragma once

#include <cstdint>

namespace lowbit {

/// Encodes a float as FP16: round to nearest, ties to even; overflow gives +-inf; NaN stays NaN
/// (quiet, payload top bits kept).
uint16_t fp16_from_float(float x);
/// Encodes a double as FP16 with a single rounding (no double rounding through float).
uint16_t fp16_from_double(double x);
/// Decodes FP16 to float (exact: every FP16 value is a float).
float fp16_to_float(uint16_t h);

}  // namespace lowbit
