// pack_weight_chunk writes a column's lanes (bit-plane layout) or a code (packed layout) at once;
// this test holds it byte for byte to the definition: bit code_bit(p, j, kk) of the beat record
// is bit p of the code of column j, lane kk, and every padding bit is 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "codec_test_util.h"
#include "model/arch/tile_layout.h"
#include "model/quant/tensors.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

// The definition, one bit at a time.
std::vector<uint8_t> pack_by_bits(const TileLayout& L, const QuantizedWeights& w, int n0, int k0,
                                  int kc) {
  std::vector<uint8_t> out(L.chunk_weight_bytes(kc, w.k), 0);
  const int G = L.fmt.group;
  const int gt = L.beats_for_group(std::min(G, w.k));
  uint64_t beat = 0;
  for (int gs = k0; gs < k0 + kc; gs += G) {
    const int glen = std::min(G, k0 + kc - gs);
    const int beats = L.geo.pad_short_group ? gt : L.beats_for_group(glen);
    for (int bt = 0; bt < beats; ++bt, ++beat) {
      for (int t = 0; t < L.tiles; ++t) {
        uint8_t* rec = out.data() + (beat * L.tiles + t) * L.beat_bytes();
        for (int j = 0; j < L.tile_cols; ++j) {
          const int col = n0 + t * L.tile_cols + j;
          for (int kk = 0; kk < L.beat_k; ++kk) {
            const int off = bt * L.beat_k + kk;
            if (off >= glen || col >= w.n || gs + off >= w.k) continue;
            const uint32_t u = w.codes[static_cast<size_t>(col) * w.k + gs + off];
            for (int p = 0; p < L.fmt.bits; ++p) {
              const uint64_t pos = L.code_bit(p, j, kk);
              if ((u >> p) & 1) rec[pos >> 3] |= static_cast<uint8_t>(1u << (pos & 7));
            }
          }
        }
      }
    }
  }
  return out;
}

TEST(TileLayoutPack, WeightChunksEqualTheBitByBitDefinition) {
  const uint64_t seed = test::test_seed("TileLayoutPack");
  std::mt19937_64 rng(seed);
  // Both layouts; lane counts of 4 (nibbles) and 6 (planes straddle bytes); bit-serial BitMoD;
  // and the lutcore layout with 8 lanes (the word path's widest) and 12 and 32 (the per-lane
  // path beyond it; k is a config parameter up to 32).
  struct Case {
    std::string name;
    int beat_k = 0;  // 0: the config's
  };
  for (const Case& c : {Case{"lutcore_m2n8k4"}, Case{"lutcore_m3n5k6g2"}, Case{"mac_8x8"},
                        Case{"mixpe_8x8"}, Case{"bitmod_4x4"}, Case{"lutcore_m2n8k4", 8},
                        Case{"lutcore_m2n8k4", 12}, Case{"lutcore_m2n8k4", 32}}) {
    HwConfig hw = test::config(c.name);
    if (c.beat_k > 0) hw.geometry.beat_k = c.beat_k;
    const std::string name = c.name + " beat_k " + std::to_string(hw.geometry.beat_k);
    for (int trial = 0; trial < 40; ++trial) {
      hw.top.tiles = 1 + static_cast<int>(rng() % 3);
      const int lo = hw.geometry.min_weight_bits, hi = hw.geometry.max_weight_bits;
      QuantizedWeights w;
      w.bits = lo + static_cast<int>(rng() % (hi - lo + 1));
      w.kind = WeightKind::kUnsigned;
      const int groups[] = {8, 16, 32, 64, 128};
      w.group_size = groups[rng() % 5];
      w.n = 1 + static_cast<int>(rng() % 40);
      w.k = 1 + static_cast<int>(rng() % 300);
      w.codes.resize(static_cast<size_t>(w.n) * w.k);
      for (uint8_t& c : w.codes) c = static_cast<uint8_t>(rng() & ((1u << w.bits) - 1));
      const OpFormat f{w.kind, w.bits, false, w.group_size, w.codec};
      const TileLayout L(hw, f);
      // Chunks of whole groups along K (the last ends at K), every column block.
      const int chunk = w.group_size * (1 + static_cast<int>(rng() % 3));
      for (int n0 = 0; n0 < w.n; n0 += L.cols()) {
        for (int k0 = 0; k0 < w.k; k0 += chunk) {
          const int kc = std::min(chunk, w.k - k0);
          const std::vector<uint8_t> want = pack_by_bits(L, w, n0, k0, kc);
          // A destination that held other bytes: the packer must clear what it does not set.
          std::vector<uint8_t> got(want.size(), 0xA5);
          pack_weight_chunk(L, w, n0, k0, kc, got);
          ASSERT_EQ(got, want) << name << " tiles " << hw.top.tiles << " bits " << w.bits << " G "
                               << w.group_size << " n " << w.n << " k " << w.k << " chunk n0 " << n0
                               << " k0 " << k0 << " kc " << kc;
        }
      }
    }
  }
}

}  // namespace
}  // namespace lowbit
