// How a compute tile's operands sit in the on-chip buffers (and so in DRAM): the one contract
// between the compiler that packs them and the core unit that feeds them to the tiles
// (docs/top.md).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "model/arch/hw_config.h"
#include "model/quant/tensors.h"

namespace lowbit {

/// The layer state a `cfg` instruction sets: how weight codes decode, the activation format and the
/// group length along K.
struct OpFormat {
  WeightKind kind = WeightKind::kUnsigned;
  int bits = 4;
  bool fp16 = false;
  int group = 128;
  /// The weights' codec (compiler side, check_codec; the cfg instruction's `wcodec` field carries
  /// it to the unit, which lutcore reads to decode FP4 codes, docs/fp-weights.md).
  WeightCodec codec = WeightCodec::kAffine;
};

/// What it describes: the geometry of one core op for a config and format. An op covers `rows()`
/// activation rows and `cols()` = tiles x tile_cols output columns; a K chunk is a whole number of
/// groups (except the block's last chunk, which ends at K).
///
/// Weight chunk layout: beats in stream order, each beat holding one record per tile of
/// beat_bytes() bytes. lutcore beat: bit ((p * Nt + j) * Kt + kk) is bit p of the code of column j,
/// lane kk (the in_w_i order; planes p < bits only); every group is padded to beats_per_group()
/// beats. mixpe / mac beat (one K step): column c's code in bits [c * bits, (c + 1) * bits).
/// Which of the two a unit uses is its geometry's WeightLayout (the operand codec: code_bit()
/// is the one map from (plane, column, lane) to a bit of the beat record, used by the packer, the
/// core driver and the golden backend).
/// Scale chunk layout: per group, [tile][tile_cols] FP16 scales (little-endian), then
/// [tile][tile_cols] zero points (one byte each). Activation chunk: rows of kc elements (INT8: one
/// byte, FP16: two bytes little-endian). Row scales: FP32 per row. Padding columns (beyond N) carry
/// code 0 and scale 0; padding rows and lanes carry activation 0, so padding adds exactly 0.
struct TileLayout {
  const IUnitSpec* unit = nullptr;
  UnitGeometry geo;
  int rows = 0;       ///< lutcore m, array R
  int tile_cols = 0;  ///< lutcore n, array C
  int tiles = 1;
  int beat_k = 1;               ///< K elements per beat: lutcore k, arrays 1
  bool fp16_supported = false;  ///< the unit was built with FP16 activations (<unit>.fp16)
  OpFormat fmt;

  TileLayout(const HwConfig& hw, const OpFormat& fmt);
  int cols() const { return tiles * tile_cols; }
  int act_bytes() const { return fmt.fp16 ? 2 : 1; }
  /// Beats (lutcore) or K steps (arrays) of a whole group of the given length.
  int beats_for_group(int group_len) const;
  /// Weight bytes per beat per tile.
  uint32_t beat_bytes() const;
  /// Beats of a chunk of kc elements (starting on a group boundary) of a row of length k.
  uint64_t chunk_beats(int kc, int k) const;
  uint64_t chunk_weight_bytes(int kc, int k) const {
    return chunk_beats(kc, k) * static_cast<uint64_t>(tiles) * beat_bytes();
  }
  /// Groups of a chunk of kc elements starting on a group boundary.
  int chunk_groups(int kc) const { return (kc + fmt.group - 1) / fmt.group; }
  uint64_t chunk_scale_bytes(int kc) const {
    return static_cast<uint64_t>(chunk_groups(kc)) * tiles * tile_cols * 3;
  }
  /// Peak multiply-accumulates per cycle of the whole core for this format (lutcore is
  /// bit-serial: one beat of rows x cols x beat_k per `bits` cycles; bitmod: per beat_cycles).
  double peak_macs_per_cycle() const;
  /// Cycles the unit takes per beat at this format (bits when bit-serial, else beat_cycles).
  /// A bit-serial unit walks one plane per cycle: `bits` planes, or for FP4 codes the 5 planes
  /// of the doubled value (kFp4Planes, docs/fp-weights.md).
  int cycles_per_beat() const {
    if (!geo.bit_serial) return geo.beat_cycles;
    return weight_codec_is_fp4(fmt.codec) ? kFp4Planes : fmt.bits;
  }
  /// Checks fmt.codec against the unit's (the compiler's check: the cfg instruction does not carry
  /// the codec); throws ConfigError naming `what`, the format and the units that run it.
  void check_codec(const std::string& what) const;
  /// Checks the format against the unit (bits, FP16 support, the tile descriptor's 16-bit K in
  /// beats for a block of `k`); throws ConfigError naming `what`.
  void check_supported(const std::string& what, int k = 1) const;
  /// Bit of a beat record that holds bit `plane` of the code of tile column `col`, lane `lane`.
  uint64_t code_bit(int plane, int col, int lane) const {
    if (geo.layout == WeightLayout::kBitPlanes) {
      return (static_cast<uint64_t>(plane) * tile_cols + col) * beat_k + lane;
    }
    return (static_cast<uint64_t>(lane) * tile_cols + col) * fmt.bits + plane;
  }
  /// The code of tile column `col`, lane `lane` in the beat record `rec`.
  uint32_t read_code(const uint8_t* rec, int col, int lane) const;
};

/// Packs W's columns [n0, n0 + cols()) x K range [k0, k0 + kc) into `dst` (chunk_weight_bytes).
void pack_weight_chunk(const TileLayout& L, const QuantizedWeights& w, int n0, int k0, int kc,
                       std::span<uint8_t> dst);
/// Packs the chunk's group scales and zero points (chunk_scale_bytes).
void pack_scale_chunk(const TileLayout& L, const QuantizedWeights& w, int n0, int k0, int kc,
                      std::span<uint8_t> dst);

/// Bit field [pos, pos + width) of a little-endian byte string (width <= 32).
inline uint32_t read_bits(const uint8_t* p, uint64_t pos, int width) {
  if ((pos & 7) + width <= 8) {  // inside one byte (every nibble, every bit-plane lane)
    return (p[pos >> 3] >> (pos & 7)) & ((1u << width) - 1);
  }
  uint64_t v = 0;
  const uint64_t byte = pos >> 3;
  const int nbytes = static_cast<int>(((pos & 7) + width + 7) >> 3);
  for (int i = 0; i < nbytes; ++i) v |= static_cast<uint64_t>(p[byte + i]) << (8 * i);
  return static_cast<uint32_t>((v >> (pos & 7)) & ((uint64_t{1} << width) - 1));
}

}  // namespace lowbit
