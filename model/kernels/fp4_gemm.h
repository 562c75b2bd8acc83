// Golden mpGEMM for FP4 weights (fp4_e2m1, mxfp4; issue 19, docs/fp-weights.md).
//
// The rule (the dequant.h order with the codec's group scale):
//   S_g = sum_{k in g} a_int[i][k] * 2v[j][k]            exact integer, 2v = fp4_e2m1_doubled(code)
//   out = out + float(S_g) * weight_group_scale(codec, scale field)     per group, in K order
//   O   = out * act_scale                                                once at the end
// weight_group_scale is FP16 scale / 2 (fp4_e2m1) or 2^(x - 128) for E8M0 code x (mxfp4), an exact
// FP32 value, so only float(S_g), the product and the sum round (RNE, subnormals kept). A NaN
// result (mxfp4's 2^127 block scales can overflow to inf, and inf - inf is NaN) is the canonical
// quiet NaN 0x7FC00000, as every FP unit of the hardware returns it.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "model/quant/tensors.h"

namespace lowbit {

/// NaN -> 0x7FC00000 (the hardware's canonical NaN); anything else unchanged.
inline float fp4_canonical_nan(float x) {
  return std::isnan(x) ? std::bit_cast<float>(0x7FC00000u) : x;
}

/// Checks activations and FP4 weights (codec kFp4E2M1 / kMxfp4, same K); throws
/// std::invalid_argument.
void check_fp4_operands(const Activations& a, const QuantizedWeights& w);

/// O[M][N] by the rule above; `sums` (optional) receives S_g as [m][n][groups].
std::vector<float> fp4_gemm(const Activations& a, const QuantizedWeights& w,
                            std::vector<int64_t>* sums = nullptr);

/// The affine view the LUT array walks: codes u = 2v + 16 (fp4_plane_code), signed kind, 5 bits,
/// the same scale fields (which only fp4_gemm's dequant interprets). Its group sums equal S_g.
QuantizedWeights fp4_plane_view(const QuantizedWeights& w);

/// S_g through the LUT tables over the 5 bit-planes of fp4_plane_view (lutcore's datapath),
/// [m][n][groups].
std::vector<int64_t> fp4_group_sums_lut(const Activations& a, const QuantizedWeights& w, int g = 4);

/// Reference: weights value * scale in double, activations dequantized, one rounding to float.
std::vector<float> fp4_reference(const Activations& a, const QuantizedWeights& w);

}  // namespace lowbit
