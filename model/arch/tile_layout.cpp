// Operand layout of core ops: geometry and the packers the compiler uses (see tile_layout.h).
#include "model/arch/tile_layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "model/arch/unit_registry.h"
#include "model/quant/bit_planes.h"
#include "model/quant/weight_format.h"

namespace lowbit {

TileLayout::TileLayout(const HwConfig& hw, const OpFormat& f)
    : unit(hw.unit),
      geo(hw.geometry),
      rows(hw.geometry.rows),
      tile_cols(hw.geometry.tile_cols),
      tiles(hw.top.tiles),
      beat_k(hw.geometry.beat_k),
      fp16_supported(hw.geometry.fp16),
      fmt(f) {}

int TileLayout::beats_for_group(int group_len) const { return (group_len + beat_k - 1) / beat_k; }

uint32_t TileLayout::beat_bytes() const {
  const uint64_t bits = static_cast<uint64_t>(fmt.bits) * tile_cols * beat_k;
  return static_cast<uint32_t>((bits + 7) / 8);
}

uint64_t TileLayout::chunk_beats(int kc, int k) const {
  if (!geo.pad_short_group) {
    // Whole groups of beats; only the chunk's last group may be short (it ends at K).
    const int G = fmt.group;
    const int full = chunk_groups(kc) - 1;
    return static_cast<uint64_t>(full) * beats_for_group(G) + beats_for_group(kc - full * G);
  }
  // Every group, the short last one too, is padded to the beats of a whole group.
  const int full = beats_for_group(std::min(fmt.group, k));
  return static_cast<uint64_t>(chunk_groups(kc)) * full;
}

double TileLayout::peak_macs_per_cycle() const {
  const double per_beat = static_cast<double>(rows) * cols() * beat_k;
  return per_beat / cycles_per_beat();
}

void TileLayout::check_codec(const std::string& what) const {
  if (!unit->runs_codec(fmt.codec)) {
    const std::string name = WeightFormat{fmt.kind, fmt.bits, fmt.codec}.name();
    if (unit->weight_codec() == WeightCodec::kAffine) {
      // A format this unit cannot decode: name the units that can.
      std::string units;
      for (const IUnitSpec* u : unit_specs()) {
        if (u->runs_codec(fmt.codec)) units += (units.empty() ? "" : ", ") + std::string(u->name());
      }
      throw ConfigError(fmt::format(
          "{}: weight format {} does not run on the {} unit; allowed: a config of unit {}", what,
          name, unit->name(), units));
    }
    throw ConfigError(fmt::format("{}: weight format {} does not run on the {} unit; allowed: {}",
                                  what, name, unit->name(), unit->weight_formats_allowed(geo)));
  }
  // FP4 codes have an integer-exact rule (fp4_gemm); a unit whose FP16 path is not integer-exact
  // (mac: weights dequantized to FP16, GroupRule::kMacFp16) has no golden for them.
  if (weight_codec_is_fp4(fmt.codec) && fmt.fp16 &&
      unit->group_rule(true) != GroupRule::kExactInteger) {
    const std::string name = WeightFormat{fmt.kind, fmt.bits, fmt.codec}.name();
    throw ConfigError(fmt::format(
        "{}: weight format {} with fp16 activations does not run on the {} unit (its FP16 path "
        "dequantizes weights to FP16); allowed: int8 activations",
        what, name, unit->name()));
  }
}

void TileLayout::check_supported(const std::string& what, int k) const {
  if (fmt.bits < geo.min_weight_bits || fmt.bits > geo.max_weight_bits) {
    throw ConfigError(fmt::format("{}: {}-bit weights do not fit the {} unit; allowed: {}", what,
                                  fmt.bits, unit->name(), unit->weight_formats_allowed(geo)));
  }
  if (fmt.fp16 && !fp16_supported) {
    throw ConfigError(fmt::format(
        "{}: fp16 activations need a core built with FP16 support ({}.fp16 = false); allowed: "
        "int8 activations, or a config with fp16 = true",
        what, unit->name()));
  }
  // The tile descriptor's K (and so its group length) counts beats on a 16-bit field.
  const int per_step = geo.bit_serial ? 1 : geo.beat_cycles;
  if (per_step > 1 && static_cast<int64_t>(k) * per_step > 65535) {
    throw ConfigError(fmt::format(
        "{}: k = {} is {} beats of the {} unit ({} per K step), over its tile descriptor's 16-bit "
        "K; allowed: k <= {}",
        what, k, static_cast<int64_t>(k) * per_step, unit->name(), per_step, 65535 / per_step));
  }
}

namespace {

// ORs the low `width` bits of v (width <= 32) into the little-endian byte string p at bit pos.
inline void or_bits(uint8_t* p, uint64_t pos, uint64_t v, int width) {
  uint8_t* q = p + (pos >> 3);
  v <<= pos & 7;
  const int nbytes = static_cast<int>(((pos & 7) + width + 7) >> 3);
  for (int i = 0; i < nbytes; ++i) q[i] |= static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

void pack_weight_chunk(const TileLayout& L, const QuantizedWeights& w, int n0, int k0, int kc,
                       std::span<uint8_t> dst) {
  const uint64_t need = L.chunk_weight_bytes(kc, w.k);
  if (dst.size() < need) throw std::invalid_argument("pack_weight_chunk: destination too small");
  std::memset(dst.data(), 0, need);
  const int b = L.fmt.bits;
  const uint32_t mask = (1u << b) - 1;
  const uint32_t bb = L.beat_bytes();
  const int G = L.fmt.group;
  const int gt = L.beats_for_group(std::min(G, w.k));
  const int Nt = L.tile_cols, Kt = L.beat_k;
  const bool planes = L.geo.layout == WeightLayout::kBitPlanes;
  // A column's lanes are written together, not bit by bit (the compile's largest cost on a decode
  // token, issue 20): in the bit-plane layout the Kt lanes of one plane of one column are Kt
  // adjacent bits (code_bit(p, j, kk) = code_bit(p, j, 0) + kk), in the packed layout a code is b
  // adjacent bits (code_bit(p, j, kk) = code_bit(0, j, kk) + p). Padding (columns past N, lanes
  // past the group or K) stays 0 from the memset. tests/unit/tile_layout_pack_test.cpp holds this
  // to the bit-by-bit definition.
  uint64_t beat = 0;
  for (int gs = k0; gs < k0 + kc; gs += G) {
    const int glen = std::min({G, k0 + kc - gs, w.k - gs});
    const int beats = L.geo.pad_short_group ? gt : L.beats_for_group(std::min(G, k0 + kc - gs));
    for (int bt = 0; bt < beats; ++bt, ++beat) {
      const int lanes = std::clamp(glen - bt * Kt, 0, Kt);
      if (lanes == 0) continue;
      for (int t = 0; t < L.tiles; ++t) {
        uint8_t* rec = dst.data() + (beat * L.tiles + t) * bb;
        if (planes && Kt == 4 && Nt % 2 == 0) {
          // 4 lanes per column: columns j and j + 1 (j even) fill byte (p Nt + j) / 2 of each
          // plane p, column j in the low nibble: plane_bits8 of their 8 codes is that byte.
          for (int j = 0; j < Nt; j += 2) {
            const int col = n0 + t * Nt + j;
            if (col >= w.n) break;
            const uint8_t* src = w.codes.data() + static_cast<size_t>(col) * w.k + gs + bt * Kt;
            uint64_t x = codes_word(src, lanes);
            if (col + 1 < w.n) x |= codes_word(src + w.k, lanes) << 32;
            for (int p = 0; p < b; ++p) {
              rec[(static_cast<size_t>(p) * Nt + j) / 2] |= static_cast<uint8_t>(plane_bits8(x, p));
            }
          }
          continue;
        }
        for (int j = 0; j < Nt; ++j) {
          const int col = n0 + t * Nt + j;
          if (col >= w.n) break;
          const uint8_t* src = w.codes.data() + static_cast<size_t>(col) * w.k + gs + bt * Kt;
          if (planes && Kt <= 8) {
            const uint64_t x = codes_word(src, lanes);
            for (int p = 0; p < b; ++p) or_bits(rec, L.code_bit(p, j, 0), plane_bits8(x, p), Kt);
          } else if (planes) {
            for (int p = 0; p < b; ++p) {
              uint64_t v = 0;
              for (int kk = 0; kk < lanes; ++kk)
                v |= static_cast<uint64_t>((src[kk] >> p) & 1) << kk;
              or_bits(rec, L.code_bit(p, j, 0), v, Kt);
            }
          } else {
            for (int kk = 0; kk < lanes; ++kk)
              or_bits(rec, L.code_bit(0, j, kk), src[kk] & mask, b);
          }
        }
      }
    }
  }
}

uint32_t TileLayout::read_code(const uint8_t* rec, int col, int lane) const {
  if (geo.layout == WeightLayout::kPackedCodes)
    return read_bits(rec, code_bit(0, col, lane), fmt.bits);
  uint32_t u = 0;
  for (int p = 0; p < fmt.bits; ++p) u |= read_bits(rec, code_bit(p, col, lane), 1) << p;
  return u;
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
