// Bit-plane packer for the LUT core (chunked per weight group, nibble indices).
#include "model/quant/bit_planes.h"

#include <algorithm>
#include <bit>
#include <cstring>
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

namespace {

// A little-endian word as the host reads it (code i in byte i on any host).
uint64_t le64(uint64_t x) {
  if constexpr (std::endian::native == std::endian::big) return __builtin_bswap64(x);
  return x;
}

}  // namespace

BitPlanes pack_bit_planes(const QuantizedWeights& q, int g) {
  check_quantized_weights(q);
  BitPlanes p;
  p.n = q.n;
  p.bits = q.bits;
  p.chunking = LutChunking(q.k, q.group_size, g);
  const int chunks = p.chunking.chunks();
  p.row_bytes = (chunks + 1) / 2;
  p.data.assign(static_cast<size_t>(q.bits) * q.n * p.row_bytes, 0);
  // A byte holds chunks 2i and 2i + 1. When both have 4 codes and the second starts where the
  // first ends (g = 4, no group boundary between them), the byte of each plane is plane_bits8 of
  // the 8 codes at once: code j's bit lands at bit j, chunk 2i's in the low nibble.
  std::vector<uint8_t> whole_pair(static_cast<size_t>(p.row_bytes), 0);
  for (int c = 0; c + 1 < chunks; c += 2) {
    whole_pair[static_cast<size_t>(c / 2)] = g == 4 && p.chunking.len[c] == 4 &&
                                             p.chunking.len[c + 1] == 4 &&
                                             p.chunking.start[c + 1] == p.chunking.start[c] + 4;
  }
  const size_t plane_stride = static_cast<size_t>(q.n) * p.row_bytes;
  for (int row = 0; row < q.n; ++row) {
    const uint8_t* codes = q.codes.data() + static_cast<size_t>(row) * q.k;
    uint8_t* out = p.data.data() + static_cast<size_t>(row) * p.row_bytes;
    for (int c = 0; c < chunks; ++c) {
      if ((c & 1) == 0 && whole_pair[static_cast<size_t>(c / 2)]) {
        uint64_t x;
        std::memcpy(&x, codes + p.chunking.start[c], 8);
        x = le64(x);
        for (int plane = 0; plane < q.bits; ++plane) {
          out[plane * plane_stride + c / 2] = static_cast<uint8_t>(plane_bits8(x, plane));
        }
        ++c;
        continue;
      }
      // The chunk's codes in one word, then each plane's index bits at once (plane_bits8).
      const uint64_t x = codes_word(codes + p.chunking.start[c], p.chunking.len[c]);
      for (int plane = 0; plane < q.bits; ++plane) {
        const unsigned idx = plane_bits8(x, plane);
        out[plane * plane_stride + c / 2] |= static_cast<uint8_t>(idx << ((c & 1) * 4));
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
