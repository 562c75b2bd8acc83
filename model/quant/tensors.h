// Quantized weight and activation tensors: the data every backend (golden, sim, rtl, cpu) consumes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/formats/bitmod_unified.h"
#include "model/formats/fp_weight.h"
#include "model/formats/weight_kind.h"

namespace lowbit {

/// Group-quantized integer weights W[N][K] (out_features x in_features), groups along K.
/// Codes are unsigned in [0, 2^bits); one FP16 scale and one integer zero point per (row, group).
/// The last group of a row is shorter when K is not a multiple of group_size.
/// With codec kBitmod (bitmod_w3 / bitmod_w4) the codes are BitMoD sign-magnitude codes, `zeros`
/// holds each group's datatype id (BitmodType, 0 .. 12) and `kind` is unused (weight_kind.h).
/// With codec kFp4E2M1 / kMxfp4 the codes are OCP E2M1 codes (bits = 4), value() is TWICE the
/// E2M1 value, `scales` holds the FP16 scale (kFp4E2M1) or the E8M0 block scale in the low byte
/// (kMxfp4, group_size 32), and a weight is value() * weight_group_scale(codec, scale) exactly
/// (model/formats/fp_weight.h); `zeros` are 0.
struct QuantizedWeights {
  int n = 0;
  int k = 0;
  int bits = 0;
  int group_size = 0;  ///< 32, 64, 128, or k for one group per row
  WeightKind kind = WeightKind::kSigned;
  WeightCodec codec = WeightCodec::kAffine;
  std::vector<uint8_t> codes;    ///< [n][k], row-major
  std::vector<uint16_t> scales;  ///< [n][groups()] FP16 bit patterns
  std::vector<uint8_t> zeros;    ///< [n][groups()] zero points (kUnsigned), BitMoD type ids

  int groups() const { return (k + group_size - 1) / group_size; }
  /// The FP32 scale of group `group` of row `row` that value() is multiplied by.
  float scale_value(int row, int group) const {
    return weight_group_scale(codec, scales[static_cast<size_t>(row) * groups() + group]);
  }
  int value(int row, int col) const {
    return code_value(codes[static_cast<size_t>(row) * k + col],
                      zeros[static_cast<size_t>(row) * groups() + col / group_size]);
  }
  /// value() of a code in a group whose zero-point (or BitMoD type) byte is `zero`.
  int code_value(uint8_t code, uint8_t zero) const {
    if (codec == WeightCodec::kBitmod) return bitmod_value_int(zero, code);
    if (weight_codec_is_fp4(codec)) return fp4_e2m1_doubled(code);
    return weight_value(kind, bits, code, zero);
  }
};

/// Activation element formats with an exact integer path.
enum class ActFormat : uint8_t {
  kInt8,  ///< signed INT8 codes with one FP32 scale per row (per token)
  kFp16,  ///< IEEE binary16; exact as fixed point a * 2^24 (see kFp16FixedShift)
};

/// FP16 activations enter integer datapaths as exact fixed point: a * 2^24 is an integer of at most
/// 41 bits (sign + 40) for every finite FP16 value (65504 * 2^24 < 2^40, min subnormal = 2^-24).
inline constexpr int kFp16FixedShift = 24;

/// Activations A[M][K], row-major.
struct Activations {
  int m = 0;
  int k = 0;
  ActFormat format = ActFormat::kInt8;
  std::vector<int8_t> int8;       ///< [m][k] when format == kInt8
  std::vector<float> row_scales;  ///< [m] FP32 scale per row when format == kInt8
  std::vector<uint16_t> fp16;     ///< [m][k] FP16 bit patterns when format == kFp16
};

}  // namespace lowbit
