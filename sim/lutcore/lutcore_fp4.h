// The lutcore tile's FP4 weight decode (cfg_wfp_i != 0, docs/fp-weights.md), as lut_fp4_decode.sv
// and lb_wscale.sv compute it: the 4 code planes of an accepted beat become the 5 planes of the
// offset-binary doubled value 2v + 16, and the group scale field becomes an exact FP32 scale.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "model/formats/fp_weight.h"

namespace lowbit {

/// idx4: [plane 0..3][n][t] g-bit indices holding the E2M1 code bits (in_w_i); idx5: [plane
/// 0..4][n][t] g-bit indices of fp4_plane_code of each lane's code.
inline void lutcore_fp4_planes(const std::vector<uint8_t>& idx4, std::vector<uint8_t>& idx5, int n,
                               int t, int g) {
  const size_t plane = static_cast<size_t>(n) * t;
  for (size_t jt = 0; jt < plane; ++jt) {
    uint32_t out[kFp4Planes] = {};
    for (int kk = 0; kk < g; ++kk) {
      uint32_t code = 0;
      for (int p = 0; p < 4; ++p) code |= ((idx4[p * plane + jt] >> kk) & 1u) << p;
      const uint32_t u = fp4_plane_code(code);
      for (int p = 0; p < kFp4Planes; ++p) out[p] |= ((u >> p) & 1u) << kk;
    }
    for (int p = 0; p < kFp4Planes; ++p) idx5[p * plane + jt] = static_cast<uint8_t>(out[p]);
  }
}

/// The FP32 group scale of cfg_wfp_i = wfp (1: FP16 / 2; 2, 3: E8M0 in the low byte).
inline float lutcore_fp4_scale(int wfp, uint16_t field) {
  const WeightCodec codec = wfp == 1 ? WeightCodec::kFp4E2M1 : WeightCodec::kMxfp4;
  return std::bit_cast<float>(weight_group_scale_bits(codec, field));
}

}  // namespace lowbit
