// Quantized weight and activation tensors: the data every backend (golden, sim, rtl, cpu) consumes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lowbit {

/// How an integer weight code u (b bits, unsigned storage) maps to its integer value w.
/// The group scale s (FP16) and zero point z (integer) then give the real weight s * w.
enum class WeightKind : uint8_t {
  kBinary,    ///< b = 1, w = 2u - 1 in {-1, +1} (zero point unused)
  kTernary,   ///< b = 2, u in {0, 1, 2}, w = u - 1 in {-1, 0, +1} (BitNet b1.58)
  kSigned,    ///< two's complement intb stored offset-binary: w = u - 2^(b-1), symmetric, z unused
  kUnsigned,  ///< asymmetric uintb with a per-group zero point: w = u - z
};

/// Integer value of a weight code. Every golden and hardware path computes exactly this.
constexpr int weight_value(WeightKind kind, int bits, uint32_t u, uint32_t z) {
  switch (kind) {
    case WeightKind::kBinary:
      return 2 * static_cast<int>(u) - 1;
    case WeightKind::kTernary:
      return static_cast<int>(u) - 1;
    case WeightKind::kSigned:
      return static_cast<int>(u) - (1 << (bits - 1));
    case WeightKind::kUnsigned:
      return static_cast<int>(u) - static_cast<int>(z);
  }
  return 0;
}

/// Group-quantized integer weights W[N][K] (out_features x in_features), groups along K.
/// Codes are unsigned in [0, 2^bits); one FP16 scale and one integer zero point per (row, group).
/// The last group of a row is shorter when K is not a multiple of group_size.
struct QuantizedWeights {
  int n = 0;
  int k = 0;
  int bits = 0;
  int group_size = 0;  ///< 32, 64, 128, or k for one group per row
  WeightKind kind = WeightKind::kSigned;
  std::vector<uint8_t> codes;    ///< [n][k], row-major
  std::vector<uint16_t> scales;  ///< [n][groups()] FP16 bit patterns
  std::vector<uint8_t> zeros;    ///< [n][groups()] zero points (only kUnsigned reads them)

  int groups() const { return (k + group_size - 1) / group_size; }
  int value(int row, int col) const {
    return weight_value(kind, bits, codes[static_cast<size_t>(row) * k + col],
                        zeros[static_cast<size_t>(row) * groups() + col / group_size]);
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
