// BitMoD weight quantization: per group of 128 weights, the datatype with the lowest MSE.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "model/formats/bitmod_types.h"
#include "model/quant/tensors.h"

namespace lowbit {

inline constexpr int kBitmodGroupSize = 128;

/// Weights W[n][k] quantized group-wise along k. Group (row, g) has one BitmodType, one FP16
/// scale and k codes of that type; value = bitmod_decode(type, code) * fp16(scale).
struct BitmodWeights {
  int n = 0;
  int k = 0;
  int bits = 0;
  int group_size = kBitmodGroupSize;
  std::vector<uint8_t> codes;     ///< [n][k] sign-magnitude codes of the group's type
  std::vector<uint16_t> scales;   ///< [n][groups()] FP16 bit patterns
  std::vector<BitmodType> types;  ///< [n][groups()] the chosen datatype (2 selector bits)

  int groups() const { return (k + group_size - 1) / group_size; }
};

/// Quantizes one group with one type: scale = fp16(max|w| / max|value|), codes = nearest value of
/// w / scale (bitmod_encode). An all-zero group gets scale 0 and code 0. Returns the sum of
/// squared errors against the dequantized values (computed in double).
double bitmod_quantize_group(std::span<const float> w, BitmodType type, uint16_t* scale_out,
                             uint8_t* codes_out);

/// Quantizes W[n][k] (row-major). Each group tries every type in `candidates` (default: the four
/// BitMoD types of `bits`, bitmod_candidates(bits)) and keeps the one with the lowest sum of
/// squared errors (MSE); an exact tie keeps the earlier candidate. Throws std::invalid_argument
/// for sizes that do not match or an empty candidate list.
BitmodWeights bitmod_quantize(const std::vector<float>& w, int n, int k, int bits,
                              std::span<const BitmodType> candidates = {},
                              int group_size = kBitmodGroupSize);

/// Dequantized weights [n][k]: float(value * scale), value and scale exact, one rounding.
std::vector<float> bitmod_dequantize(const BitmodWeights& q);

/// How many groups chose each type (the report of the per-group choice).
std::map<BitmodType, int> bitmod_type_histogram(const BitmodWeights& q);

/// The same weights in the kit's container (what the compiler, the backends and the workloads
/// carry): codec kBitmod, the type ids in `zeros` (the group byte beside each FP16 scale), kind
/// kSigned (unused).
QuantizedWeights bitmod_to_quantized(const BitmodWeights& q);
/// The inverse; throws std::invalid_argument if `q` is not codec kBitmod or a type id is not a
/// BitmodType.
BitmodWeights bitmod_from_quantized(const QuantizedWeights& q);

}  // namespace lowbit
