// The BitMoD GEMM golden: activations (INT8 or FP16) x weights quantized by bitmod_quantize (one
// datatype and FP16 scale per group), integer-exact group sums, dequant.h order (docs/bitmod.md).
#pragma once

#include <cstdint>
#include <vector>

#include "model/quant/bitmod_quant.h"
#include "model/quant/tensors.h"

namespace lowbit {

/// O[m][n] = A[m][k] x W[n][k]^T with, per output and weight group g along K,
///   S_g = sum_{k in g} a_int[i][k] * value(type_g, code[j][k])   exact integer
///   out = out + float(S_g) * float(scale_g) (groups in order); O = out * activation_scale(a, i)
/// where a_int is the INT8 code or the FP16 value times 2^24 (fp16_to_fixed). Throws
/// std::invalid_argument for operands that do not fit together (K, sizes, FP16 group length).
/// If `group_sums` is given it receives S_g, [m][n][groups].
std::vector<float> bitmod_gemm(const Activations& a, const BitmodWeights& w,
                               std::vector<int64_t>* group_sums = nullptr);

/// The same S_g, [m][n][groups], formed as the bitmod array forms them: per weight the two
/// 2-bit digits of its unified mantissa, each product shifted by the digit's weight
/// (sum_s (a * digit_s) << (exp + 2 s), bitmod_unified.h). A second, independent integer path for
/// the golden backend to compare bitmod_gemm's sums with. Same operand checks as bitmod_gemm.
std::vector<int64_t> bitmod_group_sums_bit_serial(const Activations& a, const BitmodWeights& w);

/// The reference of mpgemm.h (a) for BitMoD weights: activations and weights dequantized to double
/// (value(type_g, code) * scale_g), double dot products, one rounding to float.
std::vector<float> bitmod_reference(const Activations& a, const BitmodWeights& w);

}  // namespace lowbit
