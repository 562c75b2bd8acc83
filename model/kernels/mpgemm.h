// Golden mpGEMM O[M][N] = A[M][K] x W[N][K]^T with per-group dequantization: four algorithms.
//
// (a) mpgemm_reference: A and W dequantized to double, double dot products, one rounding to float.
// (b) mpgemm_integer: exact per-group integer sums S_g, then the dequant.h order.
// (c) mpgemm_lut: LUT Tensor Core / T-MAC: symmetric tables over g activations, bit-serial over
//     weight bit-planes, shift-accumulate, per-group dequant (dequant.h order); optionally INT8
//     table quantization for FP16 activations.
// (d) mpgemm_mixpe: MixPE: shift&add products, integer group accumulation, one dequant per group.
// (b), (c) without table quantization and (d) produce identical S_g, hence bit-identical outputs,
// for INT8 and FP16 activations (FP16 enters as the exact integer a * 2^24). Error bounds against
// (a) are in docs/kernels.md. Shape or format mismatches throw std::invalid_argument.
#pragma once

#include <cstdint>
#include <vector>

#include "model/quant/bit_planes.h"
#include "model/quant/tensors.h"

namespace lowbit {

/// Options of the LUT algorithm (c).
struct LutOptions {
  int g = 4;  ///< activations per table, 1..4 (2^(g-1) stored entries per table)
  /// FP16 activations only (INT8 tables are exact integers and ignore this): quantize every table
  /// entry to INT8 with one scale per (activation row, weight group): T_q = rne(T * 127 / maxT),
  /// maxT = the largest |T| over the group's tables (= max over its chunks of sum |a_j|).
  bool quantize_table = false;
};

std::vector<float> mpgemm_reference(const Activations& a, const QuantizedWeights& w);
std::vector<float> mpgemm_integer(const Activations& a, const QuantizedWeights& w);
std::vector<float> mpgemm_lut(const Activations& a, const QuantizedWeights& w,
                              const LutOptions& opt = {});
/// (b) for a caller that runs many GEMMs on the same weights: the weights are not checked again
/// (the caller has passed them through check_mpgemm_operands once; the activations and shapes
/// are checked), and the weight rows are split over `threads` threads. Bit-identical to
/// mpgemm_integer: every output is computed by the same sums and dequant order.
std::vector<float> mpgemm_integer_prechecked(const Activations& a, const QuantizedWeights& w,
                                             int threads);
/// Same, with the bit-planes packed beforehand (pack_bit_planes(w, opt.g)); throws if they do not
/// belong to w (shape, bits, group size, g).
std::vector<float> mpgemm_lut(const Activations& a, const QuantizedWeights& w,
                              const BitPlanes& planes, const LutOptions& opt);
std::vector<float> mpgemm_mixpe(const Activations& a, const QuantizedWeights& w);

/// Per-group integer sums S_g = sum_{k in g} a_int[i][k] * w[j][k], laid out [m][n][groups], as
/// each algorithm computes them (hardware testbenches compare against these). All three are equal.
std::vector<int64_t> group_sums_integer(const Activations& a, const QuantizedWeights& w);
std::vector<int64_t> group_sums_lut(const Activations& a, const QuantizedWeights& w, int g = 4);
std::vector<int64_t> group_sums_mixpe(const Activations& a, const QuantizedWeights& w);

/// Applies the dequant.h order to sums laid out [m][n][groups].
std::vector<float> dequantize_group_sums(const Activations& a, const QuantizedWeights& w,
                                         const std::vector<int64_t>& sums);

/// The integer an activation enters datapaths as: the INT8 code, or an FP16 value times 2^24.
int64_t fp16_to_fixed(uint16_t h);
/// The scale applied once at the end of a row: the INT8 row scale, or 2^-24 for FP16.
float activation_scale(const Activations& a, int row);

/// Checks a GEMM's operands (shapes, formats, and for FP16 a group length <= kMaxFp16GroupLength so
/// that every S_g fits int64); throws std::invalid_argument.
void check_mpgemm_operands(const Activations& a, const QuantizedWeights& w);
/// |a * 2^24| < 2^40 and |w| <= 255, so a group of up to 2^14 elements keeps |2 * S_g| < 2^63.
inline constexpr int kMaxFp16GroupLength = 1 << 14;

/// docs/kernels.md: the exact integer paths (b), (c) without table quantization and (d) round only
/// in the FP32 dequant, so for an output with G groups |O - O_ref| <= (G + 4) * 2^-24 *
/// sum_k |a_k w_k| (dequantized operands) + 2^-140 (underflow slack).
inline double exact_path_error_bound(int groups, double abs_sum) {
  return (groups + 4) * 0x1p-24 * abs_sum + 0x1p-140;
}

}  // namespace lowbit
