// The one FP32 dequantization order shared by the golden kernels, the SystemC models and the RTL.
//
// For output element (i, j) with weight groups g = 0 .. G-1 along K:
//   S_g   = sum_{k in g} a_int[i][k] * w[j][k]          exact integer (int64)
//   out   = 0.0f
//   out   = out + (float(S_g) * float(scale_g))          per group, in order g = 0, 1, ...; every
//                                                         step is one IEEE binary32 operation with
//                                                         round-to-nearest-even and subnormals kept
//   O[i][j] = out * act_scale_i                           once at the end
// where a_int is the INT8 code (act_scale_i = the row's FP32 scale) or the FP16 value as fixed
// point a * 2^24 (act_scale_i = 2^-24). float(S_g) is the RNE conversion of the exact integer.
// Hardware units (lut_dequant, mixpe, mac) implement exactly these three operations.
#pragma once

#include <cstdint>

#include "model/formats/fp16.h"

namespace lowbit {

/// int64 -> binary32, round to nearest even (the C++ conversion does this under the default
/// rounding mode, which the kit never changes).
inline float int_to_fp32(int64_t s) { return static_cast<float>(s); }

/// One per-group dequantization step: out + float(S_g) * scale_g, two RNE roundings (no FMA).
inline float dequant_step(float out, int64_t group_sum, uint16_t scale_fp16) {
  const float prod = int_to_fp32(group_sum) * fp16_to_float(scale_fp16);
  return out + prod;
}

/// Dequantization step of the LUT path with INT8-quantized tables (LutOptions::quantize_table):
/// the group sum is in table units, so it is first scaled by the group's table scale:
/// out + (float(S_g) * table_scale) * scale_g, three RNE binary32 operations in this order.
/// The final dequant_finish is unchanged.
inline float dequant_step_scaled(float out, int64_t group_sum, float table_scale,
                                 uint16_t scale_fp16) {
  const float t = int_to_fp32(group_sum) * table_scale;
  const float prod = t * fp16_to_float(scale_fp16);
  return out + prod;
}

/// Final activation-scale multiply (one RNE rounding).
inline float dequant_finish(float out, float act_scale) { return out * act_scale; }

}  // namespace lowbit
