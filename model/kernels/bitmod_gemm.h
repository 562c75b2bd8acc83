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

}  // namespace lowbit
