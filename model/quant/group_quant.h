// Group-wise weight quantization along K: symmetric intb, asymmetric uintb, ternary absmean,
// binary.
#pragma once

#include <vector>

#include "model/quant/tensors.h"
#include "model/quant/weight_format.h"

namespace lowbit {

/// Pass as group_size to quantize one group per row (QuantizedWeights::group_size becomes k).
inline constexpr int kWholeRow = 0;

/// Quantizes W[n][k] (row-major, finite) group-wise along K. Rules (docs/kernels.md):
///  - every scale is computed in double, rounded once to FP16 (RNE; a scale above the FP16 range
///    saturates to 65504), and the codes are chosen against the ROUNDED scale, so the stored
///    (scale, code) pair is the best the format can do with that stored scale;
///  - int b (symmetric): scale = max|w| / qmax, qmax = 2^(b-1)-1, w = clamp(rne(w/s), -qmax, qmax):
///    the code -2^(b-1) is never produced (symmetric grid) but every kernel accepts it;
///  - uint b (asymmetric): lo = min(min w, 0), hi = max(max w, 0) so that 0 is representable and
///    z lands in [0, 2^b-1]; scale = (hi - lo) / (2^b - 1), z = clamp(rne(-lo/s), 0, 2^b-1),
///    u = clamp(rne(w/s) + z, 0, 2^b-1);
///  - ternary (BitNet b1.58 absmean): scale = mean|w| of the group, w = clamp(rne(w/s), -1, 1);
///    with group_size = kWholeRow (or >= k) the mean is over the WHOLE TENSOR (BitNet's per-tensor
///    scale), stored in every row;
///  - binary: w = sign(w) (sign(0) = +1), scale = mean|w| of the group;
///  - a group whose scale rounds to 0 gets codes of value 0 (binary: +1 with scale 0).
/// Throws std::invalid_argument on a size mismatch, non-finite input or group_size < 0.
QuantizedWeights quantize_weights(const std::vector<float>& w, int n, int k, WeightFormat format,
                                  int group_size);

/// Real weights scale * value, [n][k] row-major. Exact in float: |value| <= 255 and FP16 scales
/// have 11 significant bits.
std::vector<float> dequantize_weights(const QuantizedWeights& q);

/// Checks the invariants every kernel relies on (sizes, code range, format, group size); throws
/// std::invalid_argument with a message saying what is wrong.
void check_quantized_weights(const QuantizedWeights& q);

}  // namespace lowbit
