// Activation quantizers: float -> INT8 with a per-row absmax FP32 scale, float -> FP16 (RNE).
#pragma once

#include <vector>

#include "model/quant/tensors.h"

namespace lowbit {

/// INT8 per-row (per-token) absmax: scale = max|a| / 127 (one FP32 division),
/// code = clamp(rne(a / scale), -127, 127) with the quotient in FP32; -128 is never produced.
/// An all-zero row gets scale 1 and zero codes. Throws std::invalid_argument on a size mismatch
/// or non-finite input.
Activations quantize_activations_int8(const std::vector<float>& a, int m, int k);

/// FP16 activations: each value rounded to nearest even (fp16_from_float). Values beyond the FP16
/// range would become inf, which no integer path accepts: throws std::invalid_argument instead.
Activations quantize_activations_fp16(const std::vector<float>& a, int m, int k);

/// Real activation values [m][k] in double (exact: INT8 code * FP32 scale fits a double).
std::vector<double> dequantize_activations(const Activations& a);

/// Checks sizes and (FP16) finiteness; throws std::invalid_argument saying what is wrong.
void check_activations(const Activations& a);

}  // namespace lowbit
