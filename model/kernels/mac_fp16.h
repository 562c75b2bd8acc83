// Golden of the dequantize-then-MAC baseline with FP16 activations (a conventional tensor core).
//
// Defined order, shared bit for bit by the golden, sim/mac and rtl/mac:
//   w16[j][k]  = fp16(float(w[j][k]) * float(scale_g))     one RNE rounding (the binary32
//                                                           product of 11 x 9 bits is exact)
//   p          = float(a16[i][k]) * float(w16[j][k])        exact in binary32 (22-bit product)
//   acc_g      = +0;  acc_g = acc_g + p  for k in group g    binary32 RNE, in K order
//   out        = +0;  out = out + acc_g  for g = 0, 1, ...   binary32 RNE, in group order
//   O[i][j]    = out * act_scale_i                          (1.0 for a plain FP16 GEMM)
// With INT8 activations the baseline is integer-exact: it equals mixpe_tile_golden.
#pragma once

#include <vector>

#include "model/kernels/mixpe_tile.h"
#include "model/quant/tensors.h"

namespace lowbit {

/// The dequantized FP16 weight of the baseline: fp16(float(w) * scale32), RNE, where scale32 is the
/// FP32 group scale (the FP16 scale, or an FP4 codec's weight_group_scale; both exact in FP32, so
/// the binary32 product is exact and this is the one rounding of the true product).
uint16_t mac_weight_fp16_scale32(int w, float scale32);
/// mac_weight_fp16_scale32 with an FP16 scale.
uint16_t mac_weight_fp16(int w, uint16_t scale_fp16);

/// Baseline golden of one tile: FP16 tiles in the order above, INT8 tiles integer-exact.
std::vector<float> mac_tile_golden(const ArrayTile& tile);

/// Baseline GEMM O[M][N] for FP16 activations (order above, act_scale 1). A must be kFp16.
std::vector<float> mac_fp16_gemm(const QuantizedWeights& w, const Activations& a);

/// Exact real result sum_k a * scale * w of element (i, j), in double (every term and partial sum
/// is exact: FP16 a times FP16 scale times |w| < 2^9 needs at most 31 significant bits, and the
/// sums stay far below 2^53 ulps for K <= 65535).
double mac_exact_element(const QuantizedWeights& w, const Activations& a, int i, int j);

/// Error bound of mac_fp16_gemm element (i, j) against the exact result:
///   sum_k |a_k| * |w16_k - scale*w_k|                     (weight rounding to FP16, measured)
/// + gamma(d) * sum_k |a_k * w16_k|,  gamma(d) = d u / (1 - d u), u = 2^-24,
/// with d = (longest group) + (groups) the deepest chain of FP32 additions any product goes
/// through.
double mac_fp16_error_bound(const QuantizedWeights& w, const Activations& a, int i, int j);

}  // namespace lowbit
