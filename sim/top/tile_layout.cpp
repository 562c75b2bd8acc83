// Operand layout of core ops: geometry and the packers the compiler uses (see tile_layout.h).
#include "sim/top/tile_layout.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace lowbit {

TileLayout::TileLayout(const HwConfig& hw, const OpFormat& f) : core(hw.core), fmt(f) {
  tiles = hw.top.tiles;
  if (core == CoreKind::kLutcore) {
    rows = hw.lutcore.m;
    tile_cols = hw.lutcore.n;
    beat_k = hw.lutcore.k;
    fp16_supported = hw.lutcore.fp16;
  } else {
    fp16_supported = hw.array.fp16;
    rows = hw.array.rows;
    tile_cols = hw.array.cols;
    beat_k = 1;
  }
}

int TileLayout::beats_for_group(int group_len) const {
  return (group_len + beat_k - 1) / beat_k;
}

uint32_t TileLayout::beat_bytes() const {
  const uint64_t bits = core == CoreKind::kLutcore
                            ? static_cast<uint64_t>(fmt.bits) * tile_cols * beat_k
                            : static_cast<uint64_t>(fmt.bits) * tile_cols;
  return static_cast<uint32_t>((bits + 7) / 8);
}

uint64_t TileLayout::chunk_beats(int kc, int k) const {
  if (core != CoreKind::kLutcore) return static_cast<uint64_t>(kc);
  // lutcore: every group, the short last one too, is padded to the beats of a whole group.
  const int full = beats_for_group(std::min(fmt.group, k));
  return static_cast<uint64_t>(chunk_groups(kc)) * full;
}

double TileLayout::peak_macs_per_cycle() const {
  const double per_beat = static_cast<double>(rows) * cols() * beat_k;
  return core == CoreKind::kLutcore ? per_beat / fmt.bits : per_beat;
}

void TileLayout::check_supported(const std::string& what) const {
  if (core == CoreKind::kLutcore && fmt.bits > 4) {
    throw ConfigError(fmt::format(
        "{}: {}-bit weights do not fit the lutcore tile; allowed: 1..4 bits (binary, ternary, "
        "int2..int4, uint2..uint4)",
        what, fmt.bits));
  }
  if (fmt.fp16 && !fp16_supported) {
    throw ConfigError(fmt::format(
        "{}: fp16 activations need a core built with FP16 support ({}.fp16 = false); allowed: "
        "int8 activations, or a config with fp16 = true",
        what, core_kind_name(core)));
  }
}

void pack_weight_chunk(const TileLayout& L, const QuantizedWeights& w, int n0, int k0, int kc,
                       std::span<uint8_t> dst) {
  const uint64_t need = L.chunk_weight_bytes(kc, w.k);
  if (dst.size() < need) throw std::invalid_argument("pack_weight_chunk: destination too small");
  std::memset(dst.data(), 0, need);
  const int b = L.fmt.bits;
  const uint32_t bb = L.beat_bytes();
  auto code = [&](int col, int kk) -> uint32_t {
    if (col >= w.n || kk >= w.k) return 0;
    return w.codes[static_cast<size_t>(col) * w.k + kk];
  };
  auto set_bit = [&](uint8_t* rec, uint64_t pos) { rec[pos >> 3] |= uint8_t(1u << (pos & 7)); };
  if (L.core == CoreKind::kLutcore) {
    const int G = L.fmt.group;
    const int gt = L.beats_for_group(std::min(G, w.k));
    const int Nt = L.tile_cols, Kt = L.beat_k;
    uint64_t beat = 0;
    for (int gs = k0; gs < k0 + kc; gs += G) {
      const int glen = std::min(G, w.k - gs);
      for (int bt = 0; bt < gt; ++bt, ++beat) {
        for (int t = 0; t < L.tiles; ++t) {
          uint8_t* rec = dst.data() + (beat * L.tiles + t) * bb;
          for (int j = 0; j < Nt; ++j) {
            const int col = n0 + t * Nt + j;
            for (int kk = 0; kk < Kt; ++kk) {
              const int off = bt * Kt + kk;
              if (off >= glen) continue;
              const uint32_t u = code(col, gs + off);
              for (int p = 0; p < b; ++p) {
                if ((u >> p) & 1) set_bit(rec, (static_cast<uint64_t>(p) * Nt + j) * Kt + kk);
              }
            }
          }
        }
      }
    }
  } else {
    const int C = L.tile_cols;
    for (int s = 0; s < kc; ++s) {
      for (int t = 0; t < L.tiles; ++t) {
        uint8_t* rec = dst.data() + (static_cast<uint64_t>(s) * L.tiles + t) * bb;
        for (int c = 0; c < C; ++c) {
          const uint32_t u = code(n0 + t * C + c, k0 + s);
          for (int p = 0; p < b; ++p) {
            if ((u >> p) & 1) set_bit(rec, static_cast<uint64_t>(c) * b + p);
          }
        }
      }
    }
  }
}

void pack_scale_chunk(const TileLayout& L, const QuantizedWeights& w, int n0, int k0, int kc,
                      std::span<uint8_t> dst) {
  const int groups = L.chunk_groups(kc);
  const int cols = L.cols();
  if (dst.size() < L.chunk_scale_bytes(kc)) {
    throw std::invalid_argument("pack_scale_chunk: destination too small");
  }
  const int g0 = k0 / w.group_size;
  for (int g = 0; g < groups; ++g) {
    uint8_t* rec = dst.data() + static_cast<size_t>(g) * cols * 3;
    for (int c = 0; c < cols; ++c) {
      const int col = n0 + c;
      uint16_t s = 0;
      uint8_t z = 0;
      if (col < w.n) {
        const size_t i = static_cast<size_t>(col) * w.groups() + g0 + g;
        s = w.scales[i];
        z = w.zeros[i];
      }
      rec[2 * c] = static_cast<uint8_t>(s & 0xFF);
      rec[2 * c + 1] = static_cast<uint8_t>(s >> 8);
      rec[2 * cols + c] = z;
    }
  }
}

}  // namespace lowbit
