// One bitmod array tile (an ArrayTile whose per-group byte is the BitMoD type id) and its
// integer-exact golden result (docs/bitmod.md).
#pragma once

#include <cstdint>
#include <vector>

#include "model/kernels/mixpe_tile.h"
#include "model/quant/bitmod_quant.h"

namespace lowbit {

/// Golden of a bitmod tile. The ArrayTile fields mean: `codes` [k][cols] BitMoD codes
/// (sign-magnitude, bitmod_types.h), `zeros` [groups][cols] the group's type id in the low 4 bits
/// (BitmodType's enum value; 13 .. 15 decode every code to 0; the high bits are ignored, as by
/// the RTL), `scales` [groups][cols] FP16 group scales, `bits` the tile's weight precision (3 or 4;
/// it does not change the arithmetic), `kind` unused. K and the group length count weights (K
/// steps); the array consumes each step as kBitmodSlices beats.
///   S_g = sum_{k in g} a_int[r][k] * value(type_g, code[k][c])    exact integer (int64)
///   out = out + float(S_g) * float(scale_g); O = out * act_scale[r] (model/kernels/dequant.h).
/// If `group_sums` is given it receives S_g, [rows][cols][groups].
std::vector<float> bitmod_tile_golden(const ArrayTile& tile,
                                      std::vector<int64_t>* group_sums = nullptr);

/// The tile's weights as BitmodWeights (cols x k, the tile's group length, types from `zeros`), for
/// the GEMM golden bitmod_gemm (with tile_activations() of mixpe_tile.h). Type ids >= 13 are not
/// BitmodTypes: throws std::invalid_argument.
BitmodWeights bitmod_tile_weights(const ArrayTile& tile);

}  // namespace lowbit
