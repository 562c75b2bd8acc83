// Bit-plane packing of weight codes in the layout the LUT core reads: for each weight bit, one
// g-bit table index (a nibble) per chunk of g K-elements.
#pragma once

#include <cstdint>
#include <vector>

#include "model/quant/tensors.h"

namespace lowbit {

/// How K is cut into chunks of g elements for table lookup. Chunks never straddle a weight group:
/// each group [g*G, min(k, (g+1)*G)) is cut into ceil(len/g) chunks and the last chunk of a group
/// is padded (pad weights have code 0, pad activations are 0). With G a multiple of g this is
/// simply ceil(k/g) chunks with padding only at the end of K.
struct LutChunking {
  int k = 0;
  int group_size = 0;
  int g = 4;
  std::vector<int> start;        ///< [chunks] first K index of each chunk
  std::vector<int> len;          ///< [chunks] real (unpadded) elements, 1..g
  std::vector<int> group_begin;  ///< [groups + 1] first chunk of each group

  LutChunking() = default;
  /// Throws std::invalid_argument unless k > 0, group_size > 0 and 1 <= g <= 4.
  LutChunking(int k, int group_size, int g);
  int chunks() const { return static_cast<int>(start.size()); }
  int groups() const { return static_cast<int>(group_begin.size()) - 1; }
};

/// Bit `plane` of each of up to 8 codes held one per byte in `codes8` (code i in byte i, higher
/// bytes 0), as an 8-bit value whose bit i is code i's: every bit p of the masked word lands in
/// the top byte of the product at 56 + i, each at its own position, so nothing carries.
inline uint32_t plane_bits8(uint64_t codes8, int plane) {
  const uint64_t m = (codes8 >> plane) & 0x0101010101010101ull;
  return static_cast<uint32_t>((m * 0x0102040810204080ull) >> 56);
}

/// Up to 8 codes (n <= 8) one per byte of a word, code i in byte i.
inline uint64_t codes_word(const uint8_t* codes, int n) {
  uint64_t x = 0;
  for (int i = 0; i < n; ++i) x |= static_cast<uint64_t>(codes[i]) << (8 * i);
  return x;
}

/// Bit-planes of W[n][k] codes. Layout (plane-major, row, then chunk):
///   byte data[(plane * n + row) * row_bytes + chunk / 2], low nibble = even chunk,
///   high nibble = odd chunk; index bit j = bit `plane` of the code at K = start[chunk] + j.
/// Bits of a padded position are 0; the unused high nibble of an odd chunk count is 0.
/// Reading plane i of a code q gives s_i = 2*bit - 1, so sum_i 2^i s_i = 2q - (2^b - 1)
/// (symmetric_code in packing.h): the planes ARE the symmetrized weights.
struct BitPlanes {
  int n = 0;
  int bits = 0;
  LutChunking chunking;
  int row_bytes = 0;  ///< ceil(chunks / 2)
  std::vector<uint8_t> data;

  uint8_t index(int plane, int row, int chunk) const {
    const uint8_t b = data[(static_cast<size_t>(plane) * n + row) * row_bytes + chunk / 2];
    return static_cast<uint8_t>((chunk & 1) ? b >> 4 : b & 0x0F);
  }
};

/// Packs the codes of q (b planes, b = q.bits) with chunks of g = 1..4 elements.
BitPlanes pack_bit_planes(const QuantizedWeights& q, int g = 4);
/// Recovers the [n][k] codes (drops the padding). Inverse of pack_bit_planes on the codes.
std::vector<uint8_t> unpack_bit_planes(const BitPlanes& p);

}  // namespace lowbit
