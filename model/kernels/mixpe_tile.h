// One mixpe / mac array transaction stream as data (a tile), and its integer-exact golden result.
#pragma once

#include <cstdint>
#include <vector>

#include "model/kernels/mpgemm.h"
#include "model/quant/tensors.h"

namespace lowbit {

/// One output-stationary array tile: O[rows][cols] = A[rows][k] x W[cols][k]^T, weights grouped
/// along K in groups of `group` (the last group may be shorter). Laid out step-major, exactly as
/// the hardware beats carry it: step s has `rows` activation lanes and `cols` weight codes.
struct ArrayTile {
  int rows = 0;
  int cols = 0;
  int k = 0;      ///< K steps, 1 .. 65535
  int group = 0;  ///< group length along K, 1 .. 4096 (bounds the integer accumulators)
  bool fp16 = false;
  WeightKind kind = WeightKind::kSigned;
  int bits = 4;  ///< 1 .. 8
  /// kAffine: codes through (kind, bits); kFp4E2M1 / kMxfp4: E2M1 codes (low 4 bits), the
  /// array sums twice their value and the scales are the codec's fields (weight_group_scale;
  /// docs/fp-weights.md), kind and bits unused. kBitmod does not run on these arrays.
  WeightCodec codec = WeightCodec::kAffine;
  std::vector<uint16_t> act;     ///< [k][rows]: INT8 code in the low byte, or FP16 bits
  std::vector<uint8_t> codes;    ///< [k][cols] unsigned weight codes (< 2^bits)
  std::vector<uint16_t> scales;  ///< [groups][cols] FP16 group scales
  std::vector<uint8_t> zeros;    ///< [groups][cols] zero points (kind kUnsigned)
  std::vector<float> act_scale;  ///< [rows] FP32 per-row scale applied once at the end

  int groups() const { return (k + group - 1) / group; }
  /// Resizes the vectors for the shape fields (contents zero).
  void allocate();
};

/// Activation lane as the integer the datapath uses (INT8 code sign-extended, or FP16 as
/// fp16_to_fixed() of mpgemm.h: a * 2^24; Inf/NaN are not values and must not be sent).
inline int64_t tile_act_int(uint16_t lane, bool fp16) {
  return fp16 ? fp16_to_fixed(lane) : static_cast<int8_t>(lane & 0xFF);
}
/// Integer weight of a code: the code's low `bits` bits through weight_value().
int tile_weight_int(WeightKind kind, int bits, uint8_t code, uint8_t zero);
/// Integer weight of a code of the tile's codec: tile_weight_int, or for FP4 codes twice the E2M1
/// value of the low 4 bits (fp4_e2m1_doubled, -12 .. 12).
int tile_weight_int(const ArrayTile& tile, uint8_t code, uint8_t zero);
/// FP32 scale the group sums of integer weights are multiplied by: the FP16 scale, or for FP4 codes
/// weight_group_scale (FP16 / 2, or 2^(x - 128) for E8M0 code x).
float tile_group_scale(const ArrayTile& tile, uint16_t field);

/// Integer-exact golden (model/kernels/dequant.h order) of a tile: [rows][cols] FP32 results
/// (FP4 codes: fp4_gemm's rule, model/kernels/fp4_gemm.h, NaN canonical).
/// If `group_sums` is given it receives S_g for every (row, col, group), [rows][cols][groups].
std::vector<float> mixpe_tile_golden(const ArrayTile& tile,
                                     std::vector<int64_t>* group_sums = nullptr);

/// The tile's weights and activations as the kit's tensors (for the GEMM-level golden kernels):
/// W is cols x k, A is rows x k (INT8 row scales = act_scale; FP16 tiles ignore act_scale).
QuantizedWeights tile_weights(const ArrayTile& tile);
Activations tile_activations(const ArrayTile& tile);

}  // namespace lowbit
