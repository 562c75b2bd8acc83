// Activation quantizers: float -> INT8 with a per-row absmax FP32 scale, float -> FP16 (RNE),
// float -> OCP FP8 (E4M3 / E5M2) handed over as FP16.
#pragma once

#include <cstdint>
#include <vector>

#include "model/formats/minifloat.h"
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

/// FP8 activations (OCP OFP8 rev 1.0, spec kFp8E4M3 or kFp8E5M2; docs/fp-weights.md, "FP
/// activations"): each value rounded once to the FP8 format, to nearest with ties to even, with no
/// scale (the FP8 value is the activation itself, as FP16 activations are), saturating: a value
/// beyond the largest finite (E4M3 448, E5M2 57344) becomes +-max finite, never inf or NaN (OCP's
/// saturating conversion; the integer paths take finite values only). Every FP8 value is an FP16
/// value, so the result is FP16 activations (format kFp16) holding exactly the FP8 values: the
/// units' existing FP16 path computes them bit-exactly. Throws std::invalid_argument on a size
/// mismatch, non-finite input (as the FP16 quantizer) or a spec that is not FP8 E4M3 / E5M2.
Activations quantize_activations_fp8(const std::vector<float>& a, int m, int k,
                                     const MinifloatSpec& spec);

/// The FP16 bit pattern of an FP8 code's value (exact: every E4M3 / E5M2 value is an FP16 value;
/// NaN codes give the FP16 quiet NaN with the code's sign, E5M2's infinities FP16's).
uint16_t fp8_to_fp16_bits(const MinifloatSpec& spec, uint32_t code);

/// The FP8 code of an FP16 value that is an FP8 value (the inverse of fp8_to_fp16_bits on the
/// non-NaN codes; -0 keeps its sign). Throws std::invalid_argument when it is not one.
uint32_t fp8_code_of_fp16(const MinifloatSpec& spec, uint16_t h);

/// Real activation values [m][k] in double (exact: INT8 code * FP32 scale fits a double).
std::vector<double> dequantize_activations(const Activations& a);

/// Checks sizes and (FP16) finiteness; throws std::invalid_argument saying what is wrong.
void check_activations(const Activations& a);

}  // namespace lowbit
