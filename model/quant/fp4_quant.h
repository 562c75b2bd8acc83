// Round-to-nearest quantizers of the FP4 weight formats (issue 19, docs/fp-weights.md):
// fp4_e2m1 (OCP E2M1 codes, one FP16 scale per group) and mxfp4 (OCP MX v1.0 blocks of 32 with a
// shared E8M0 scale).
#pragma once

#include <vector>

#include "model/quant/tensors.h"

namespace lowbit {

/// The only group size of mxfp4 (an OCP MX block).
inline constexpr int kMxfp4GroupSize = 32;

/// Quantizes W[n][k] (finite) to `codec` (kFp4E2M1 or kMxfp4) in groups of `group_size` along K
/// (fp4_e2m1: group_size as for the integer formats, already clamped to <= k; mxfp4: 32).
///  - fp4_e2m1: scale = fp16(amax / 6) (RNE, saturating to 65504), code = E2M1 RNE of w / scale
///    (saturating to +-6); a group whose scale is 0 gets code +0 for every weight;
///  - mxfp4: mx_encode_block (model/formats/mx.h): E8M0 = clamp(floor(log2(amax)) - 2, -127, 127)
///    + 127 in the low byte of the scale field, codes E2M1 RNE of w / 2^exp, saturating; an
///    all-zero block gets code 0x00 (2^-127).
/// QuantizedWeights::value() is then twice the E2M1 value, and weight_group_scale() the FP32 scale
/// of that doubled value, so value * scale is the dequantized weight exactly.
QuantizedWeights fp4_quantize(const std::vector<float>& w, int n, int k, WeightCodec codec,
                              int group_size);

}  // namespace lowbit
