// Transaction streams for the bitmod array: random and directed BitMoD tiles (ArrayTile with the
// group's datatype id in `zeros`, model/kernels/bitmod_tile.h) and their golden results.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/formats/bitmod_types.h"
#include "model/formats/bitmod_unified.h"
#include "model/kernels/bitmod_gemm.h"
#include "model/kernels/bitmod_tile.h"
#include "tests/crosscheck/mixpe_stimulus.h"

namespace lowbit::bitmod_tb {

using mixpe_tb::Pressure;
using mixpe_tb::random_fp16;
using mixpe_tb::random_scale;
using mixpe_tb::transactions_from_env;

/// How activations and codes are drawn: random, or every element at the extreme (activations at
/// +max / -min, every code the one of the group type's largest |value|, positive or negative).
enum class Fill { kRandom, kMaxPos, kMaxNeg };

/// The code of `type` whose value is the largest (positive) or the smallest (negative).
inline uint8_t extreme_code(BitmodType type, bool positive) {
  const uint32_t n = 1u << bitmod_bits(type);
  uint32_t best = 0;
  for (uint32_t c = 1; c < n; ++c) {
    const double v = bitmod_decode(type, c), b = bitmod_decode(type, best);
    if (positive ? v > b : v < b) best = c;
  }
  return static_cast<uint8_t>(best);
}

/// The types of one precision (3: int3 and the fp3 family; 4: int4, flint4, the fp4 family).
inline std::vector<BitmodType> types_of_bits(int bits) {
  std::vector<BitmodType> out;
  for (BitmodType t : bitmod_all_types())
    if (bitmod_bits(t) == bits) out.push_back(t);
  return out;
}

/// A tile whose groups use `main` with probability 1/2 and another type of the same precision
/// otherwise (a per-group mixture, as the quantizer produces). K and G count weights.
inline ArrayTile make_tile(std::mt19937_64& rng, int rows, int cols, int k, int group, bool fp16,
                           BitmodType main, Fill fill = Fill::kRandom) {
  ArrayTile t;
  t.rows = rows;
  t.cols = cols;
  t.k = k;
  t.group = group;
  t.fp16 = fp16;
  t.kind = WeightKind::kSigned;  // unused by the bitmod array
  t.bits = bitmod_bits(main);
  t.allocate();
  const auto family = types_of_bits(t.bits);
  for (auto& z : t.zeros) {
    const BitmodType type = (rng() & 1) ? main : family[rng() % family.size()];
    z = static_cast<uint8_t>(type);
  }
  for (auto& a : t.act) {
    if (fill == Fill::kMaxPos)
      a = fp16 ? 0x7BFF : 0x007F;  // 65504, 127
    else if (fill == Fill::kMaxNeg)
      a = fp16 ? 0xFBFF : 0x0080;  // -65504, -128
    else
      a = fp16 ? random_fp16(rng) : static_cast<uint16_t>(rng() & 0xFF);
  }
  for (int s = 0; s < k; ++s) {
    for (int c = 0; c < cols; ++c) {
      const auto type = static_cast<BitmodType>(t.zeros[static_cast<size_t>(s / group) * cols + c]);
      uint8_t code = static_cast<uint8_t>(rng() % (1u << t.bits));
      if (fill != Fill::kRandom) code = extreme_code(type, fill == Fill::kMaxPos);
      t.codes[static_cast<size_t>(s) * cols + c] = code;
    }
  }
  for (auto& s : t.scales) s = random_scale(rng, false);
  for (auto& s : t.act_scale) {
    s = fp16 ? std::ldexp(1.0f, -kFp16FixedShift)
             : std::ldexp(1.0f + static_cast<float>(rng() % 1024) / 1024.0f,
                          static_cast<int>(rng() % 24) - 20);
  }
  return t;
}

/// A random tile for bulk cross-checks: group lengths around R (drain back-pressure or not), K
/// that often ends mid-group, activation format drawn per tile, 1 in 8 tiles at an extreme.
inline ArrayTile random_tile(std::mt19937_64& rng, int rows, int cols, bool fp16_ok,
                             BitmodType main) {
  static const int kGroups[] = {1, 2, 3, 5, 8, 16, 32, 64, 128};
  int group = kGroups[rng() % std::size(kGroups)];
  if (rng() % 4 == 0) group = std::max(1, rows + static_cast<int>(rng() % 3) - 1);  // R-1, R, R+1
  const int max_k = std::min(3 * group + 2, 260);
  const int k = 1 + static_cast<int>(rng() % max_k);
  const bool fp16 = fp16_ok && (rng() & 1);
  Fill fill = Fill::kRandom;
  if (rng() % 8 == 0) fill = (rng() & 1) ? Fill::kMaxPos : Fill::kMaxNeg;
  return make_tile(rng, rows, cols, k, group, fp16, main, fill);
}

/// Golden result of a tile as FP32 bits [rows][cols].
inline std::vector<uint32_t> golden_bits(const ArrayTile& t) {
  const auto o = bitmod_tile_golden(t);
  std::vector<uint32_t> bits(o.size());
  for (size_t i = 0; i < o.size(); ++i) bits[i] = std::bit_cast<uint32_t>(o[i]);
  return bits;
}

/// Independent check of the tile golden against the GEMM golden bitmod_gemm (tiles whose type ids
/// are all BitMoD types).
inline bool golden_agrees_with_gemm(const ArrayTile& t, const std::vector<uint32_t>& golden) {
  const auto ref = bitmod_gemm(tile_activations(t), bitmod_tile_weights(t));
  for (size_t i = 0; i < ref.size(); ++i) {
    if (std::bit_cast<uint32_t>(ref[i]) != golden[i]) return false;
  }
  return true;
}

}  // namespace lowbit::bitmod_tb
