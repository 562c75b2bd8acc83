// FP4 E2M1 weight codes on the integer datapaths (issue 19, docs/fp-weights.md): the doubled
// integer value of a code, its 5-bit offset-binary plane code, and the FP32 group scale of the
// fp4_e2m1 (FP16 scale) and mxfp4 (E8M0 block scale) weight codecs.
//
// Twice every E2M1 value is an integer: 2 * (-1)^s * 2^(e-1) * (1 + m/2) = (-1)^s (2 + m) << (e-1)
// for e > 0 and (-1)^s m for e = 0 (subnormal), so |2v| is in {0, 1, 2, 3, 4, 6, 8, 12}. A group
// sum of activation times doubled weight is an exact integer; the factor 1/2 goes into the group
// scale, which stays an exact FP32 value (FP16 scale / 2, or 2^(x - 127 - 1) for E8M0 code x).
#pragma once

#include <cstdint>

#include "model/formats/weight_kind.h"

namespace lowbit {

/// Twice the OCP E2M1 value of a 4-bit code (sign bit 3, exponent bits 2..1, mantissa bit 0):
/// (-1)^s * (e == 0 ? m : (2 + m) << (e - 1)), in -12 .. 12 (both zeros give 0).
constexpr int fp4_e2m1_doubled(uint32_t code) {
  const uint32_t e = (code >> 1) & 3u, m = code & 1u;
  const int mag = static_cast<int>(e == 0 ? m : (2u + m) << (e - 1));
  return (code & 8u) ? -mag : mag;
}

/// Number of bit-planes the LUT array walks for an FP4 code: the doubled value as 5-bit offset
/// binary u = 2v + 16 (4 .. 28).
inline constexpr int kFp4Planes = 5;
/// The offset of that offset-binary code (the signed kind's 2^(b-1) for b = 5).
inline constexpr int kFp4PlaneOffset = 16;

/// The 5-bit offset-binary plane code of an FP4 code: 2v + 16.
constexpr uint32_t fp4_plane_code(uint32_t code) {
  return static_cast<uint32_t>(fp4_e2m1_doubled(code) + kFp4PlaneOffset);
}

/// FP32 bit pattern of the scale a group sum of doubled values is multiplied by:
///  kFp4E2M1: the FP16 scale field / 2 (always a normal FP32 value or +-0, inf, NaN kept);
///  kMxfp4: 2^(x - 128) for the E8M0 code x in the field's low byte (x = 0: 2^-128 and x = 1:
///          2^-127 are FP32 subnormals, exact); x = 0xFF (NaN block) gives 0x7FC00000;
///  other codecs: the FP16 scale field converted to FP32 (the affine and BitMoD rule).
uint32_t weight_group_scale_bits(WeightCodec codec, uint16_t field);

/// The 2-bit codec pin of the units that run FP4 codes (lutcore's cfg_wfp_i, the PE arrays'
/// t_wfp_i): 0 integer codes (affine), 1 fp4_e2m1, 2 mxfp4 (3 is mxfp4 too).
constexpr uint32_t weight_codec_pin(WeightCodec codec) {
  return codec == WeightCodec::kFp4E2M1 ? 1u : codec == WeightCodec::kMxfp4 ? 2u : 0u;
}
/// The codec a pin value selects (its low 2 bits).
constexpr WeightCodec weight_codec_from_pin(uint32_t pin) {
  switch (pin & 3u) {
    case 0:
      return WeightCodec::kAffine;
    case 1:
      return WeightCodec::kFp4E2M1;
    default:
      return WeightCodec::kMxfp4;
  }
}

/// weight_group_scale_bits as a float.
float weight_group_scale(WeightCodec codec, uint16_t field);

}  // namespace lowbit
