// Bit-plane packer for the LUT core (chunked per weight group, nibble indices).
#include "model/quant/bit_planes.h"

#include <algorithm>
#include <stdexcept>

#include "fmt/format.h"
#include "model/quant/group_quant.h"

namespace lowbit {

LutChunking::LutChunking(int k_, int group_size_, int g_) : k(k_), group_size(group_size_), g(g_) {
  if (k <= 0 || group_size <= 0 || g < 1 || g > 4) {
    throw std::invalid_argument(fmt::format(
        "LUT chunking: need k > 0, group_size > 0, 1 <= g <= 4 (got k={} group={} g={})", k,
        group_size, g));
  }
  for (int gs = 0; gs < k; gs += group_size) {
    group_begin.push_back(static_cast<int>(start.size()));
    const int ge = std::min(k, gs + group_size);
    for (int c = gs; c < ge; c += g) {
      start.push_back(c);
      len.push_back(std::min(g, ge - c));
    }
  }
  group_begin.push_back(static_cast<int>(start.size()));
}

BitPlanes pack_bit_planes(const QuantizedWeights& q, int g) {
  check_quantized_weights(q);
  BitPlanes p;
  p.n = q.n;
  p.bits = q.bits;
  p.chunking = LutChunking(q.k, q.group_size, g);
  const int chunks = p.chunking.chunks();
  p.row_bytes = (chunks + 1) / 2;
  p.data.assign(static_cast<size_t>(q.bits) * q.n * p.row_bytes, 0);
  for (int row = 0; row < q.n; ++row) {
    const uint8_t* codes = q.codes.data() + static_cast<size_t>(row) * q.k;
    for (int c = 0; c < chunks; ++c) {
      // The chunk's codes in one word, then each plane's index bits at once (plane_bits8).
      const uint64_t x = codes_word(codes + p.chunking.start[c], p.chunking.len[c]);
      for (int plane = 0; plane < q.bits; ++plane) {
        const unsigned idx = plane_bits8(x, plane);
        uint8_t& byte = p.data[(static_cast<size_t>(plane) * q.n + row) * p.row_bytes + c / 2];
        byte |= static_cast<uint8_t>(idx << ((c & 1) * 4));
      }
    }
  }
  return p;
}

std::vector<uint8_t> unpack_bit_planes(const BitPlanes& p) {
  const int k = p.chunking.k;
  std::vector<uint8_t> codes(static_cast<size_t>(p.n) * k, 0);
  for (int row = 0; row < p.n; ++row) {
    for (int c = 0; c < p.chunking.chunks(); ++c) {
      for (int plane = 0; plane < p.bits; ++plane) {
        const unsigned idx = p.index(plane, row, c);
        for (int j = 0; j < p.chunking.len[c]; ++j) {
          codes[static_cast<size_t>(row) * k + p.chunking.start[c] + j] |=
              static_cast<uint8_t>(((idx >> j) & 1u) << plane);
        }
      }
    }
  }
  return codes;
}

}  // namespace lowbit
