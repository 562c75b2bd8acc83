// Transaction streams for the mixpe and mac arrays: random and directed tiles with their golden
// results and handshake pressure (plain C++, no SystemC).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "model/formats/fp16.h"
#include "model/formats/fp_weight.h"
#include "model/kernels/fp4_gemm.h"
#include "model/kernels/mac_fp16.h"
#include "model/kernels/mixpe_tile.h"
#include "model/quant/fp4_quant.h"
#include "tests/lib/test_seed.h"

namespace lowbit::mixpe_tb {

enum class Unit { kMixpe, kMac };

/// Transactions (x beats = K steps) per weight format: LOWBIT_TRANSACTIONS overrides the CI
/// default; LOWBIT_CAMPAIGN=1 multiplies it by 20 (the on-demand campaign).
inline uint64_t transactions_from_env(uint64_t ci_default) {
  if (const char* env = std::getenv("LOWBIT_TRANSACTIONS"); env != nullptr && *env != '\0') {
    return std::stoull(env);
  }
  if (const char* env = std::getenv("LOWBIT_CAMPAIGN"); env != nullptr && std::string(env) == "1") {
    return ci_default * 20;
  }
  return ci_default;
}

/// Handshake pressure: probability that a pending beat is offered (t, g, x) / o_ready is high,
/// plus optional directed single-cycle stalls (cycle index counted from the start of the run).
struct Pressure {
  double p_t = 1.0, p_g = 1.0, p_x = 1.0, p_o = 1.0;
  int stall_channel = -1;  ///< 0 t, 1 g, 2 x, 3 o; -1 none
  int stall_at = -1;
};

/// How activation and weight values are drawn.
enum class Fill { kRandom, kMax, kMin, kZeroLow, kZeroHigh };

/// One weight format under test: an integer kind and width, or an FP4 codec (fp4_e2m1, mxfp4:
/// then kind and bits are noise on pins the array ignores, drawn per tile).
struct WeightFormat {
  WeightKind kind;
  int bits;
  WeightCodec codec = WeightCodec::kAffine;
  std::string name() const {
    if (weight_codec_is_fp4(codec)) return weight_codec_names()[static_cast<size_t>(codec)];
    switch (kind) {
      case WeightKind::kBinary:
        return "binary";
      case WeightKind::kTernary:
        return "ternary";
      case WeightKind::kSigned:
        return "int" + std::to_string(bits);
      case WeightKind::kUnsigned:
        return "uint" + std::to_string(bits);
    }
    return "?";
  }
};

/// The formats of the issue (b = 2, 3, 4, 8; signed and unsigned with zero point) plus the kit's
/// binary and ternary kinds.
inline std::vector<WeightFormat> all_weight_formats() {
  std::vector<WeightFormat> f;
  for (int b : {2, 3, 4, 8}) f.push_back({WeightKind::kSigned, b});
  for (int b : {2, 3, 4, 8}) f.push_back({WeightKind::kUnsigned, b});
  f.push_back({WeightKind::kTernary, 2});
  f.push_back({WeightKind::kBinary, 1});
  return f;
}

inline uint16_t random_fp16(std::mt19937_64& rng) {
  // Every finite FP16 (exponent 0..30), sign and mantissa uniform.
  const auto e = static_cast<uint16_t>(rng() % 31);
  const auto m = static_cast<uint16_t>(rng() & 0x3FF);
  const auto s = static_cast<uint16_t>((rng() & 1) << 15);
  return static_cast<uint16_t>(s | (e << 10) | m);
}

/// A positive FP16 group scale. The mac baseline's FP16 path keeps fp16(scale * w) finite
/// (scale <= 2^8 since |w| <= 255), where w16 would otherwise overflow to infinity.
inline uint16_t random_scale(std::mt19937_64& rng, bool limit_for_fp16_weights) {
  const int max_e = limit_for_fp16_weights ? 22 : 30;  // biased: 2^(22-15) * 1.99 < 2^8
  const auto e = static_cast<uint16_t>(rng() % (max_e + 1));
  return static_cast<uint16_t>((e << 10) | (rng() & 0x3FF));
}

/// The FP4 formats (docs/fp-weights.md).
inline std::vector<WeightFormat> fp4_weight_formats() {
  return {{WeightKind::kSigned, 4, WeightCodec::kFp4E2M1},
          {WeightKind::kSigned, 4, WeightCodec::kMxfp4}};
}

/// An FP4 group scale field. fp4_e2m1: a positive FP16 scale (mac FP16 tiles: at most 2^13, so
/// fp16(2v * s / 2) stays finite, |2v| <= 12). mxfp4: an E8M0 code 0x00 .. 0xFE, the extremes
/// weighted (mac FP16 tiles: <= 140, 12 * 2^12 < 65504); `noise` also draws the NaN block 0xFF
/// and a high byte the array ignores.
inline uint16_t random_fp4_scale(std::mt19937_64& rng, WeightCodec codec, bool mac_fp16,
                                 bool noise) {
  if (codec == WeightCodec::kFp4E2M1) {
    const int max_e = mac_fp16 ? 27 : 30;
    const auto e = static_cast<uint16_t>(rng() % (max_e + 1));
    return static_cast<uint16_t>((e << 10) | (rng() & 0x3FF));
  }
  const int max_x = mac_fp16 ? 140 : (noise ? 0xFF : 0xFE);
  uint32_t x = 0;
  switch (rng() % 8) {
    case 0:
      x = rng() % 3;  // 2^-128, 2^-127 (FP32 subnormals), 2^-126
      break;
    case 1:
      x = static_cast<uint32_t>(max_x) - rng() % 3;
      break;
    case 2:
      x = 127;  // 1.0
      break;
    default:
      x = static_cast<uint32_t>(rng() % (max_x + 1));
  }
  const uint32_t hi = noise ? static_cast<uint32_t>(rng() & 0xFF) : 0u;
  return static_cast<uint16_t>((hi << 8) | x);
}

/// Fills a tile of the given shape and format. The activation scale is the one the GEMM goldens
/// apply: INT8 a random positive FP32 per row; FP16 2^-24 (mixpe, the fixed-point shift) or 1
/// (mac).
inline ArrayTile make_tile(std::mt19937_64& rng, Unit unit, int rows, int cols, int k, int group,
                           bool fp16, WeightFormat wf, Fill fill = Fill::kRandom) {
  ArrayTile t;
  t.rows = rows;
  t.cols = cols;
  t.k = k;
  t.group = group;
  t.fp16 = fp16;
  t.kind = wf.kind;
  t.bits = wf.bits;
  t.codec = wf.codec;
  const bool fp4 = weight_codec_is_fp4(wf.codec);
  // Noise tiles break the tensor rules the array does not need (mxfp4: any group but the OCP block
  // of 32, NaN blocks, high-byte noise; both: code bits above the 4 of E2M1), checked against the
  // tile golden only: mxfp4 tiles whose group is not 32, 1 fp4_e2m1 tile in 4.
  const bool fp4_noise =
      fp4 && (wf.codec == WeightCodec::kMxfp4 ? group != kMxfp4GroupSize : rng() % 4 == 0);
  if (fp4) {
    t.kind = weight_kind_from_field(rng());  // ignored by the array with FP4 codes
    t.bits = 1 + static_cast<int>(rng() % 8);
  }
  t.allocate();
  const uint32_t code_max = (1u << wf.bits) - 1u;
  const uint32_t code_lim = wf.kind == WeightKind::kTernary ? 2u : code_max;
  for (auto& a : t.act) {
    if (fill == Fill::kMax) {
      a = fp16 ? 0x7BFF : 0x007F;  // 65504, 127
    } else if (fill == Fill::kMin) {
      a = fp16 ? 0xFBFF : 0x0080;  // -65504, -128
    } else {
      a = fp16 ? random_fp16(rng) : static_cast<uint16_t>(rng() & 0xFF);
    }
  }
  for (auto& c : t.codes) {
    if (fp4) {
      // +6, -6, +0, -0 for the directed fills; else any byte (the array reads the low 4 bits).
      static const uint8_t kFill[] = {0x07, 0x0F, 0x00, 0x08};
      c = fill == Fill::kRandom ? static_cast<uint8_t>(fp4_noise ? rng() & 0xFF : rng() & 0xF)
                                : kFill[static_cast<int>(fill) - 1];
    } else if (fill == Fill::kMax)
      c = static_cast<uint8_t>(code_lim);
    else if (fill == Fill::kMin)
      c = 0;
    else
      c = static_cast<uint8_t>(rng() % (code_lim + 1));
  }
  const bool limit = unit == Unit::kMac && fp16;
  for (auto& s : t.scales) {
    s = fp4 ? random_fp4_scale(rng, wf.codec, limit, fp4_noise) : random_scale(rng, limit);
  }
  for (auto& z : t.zeros) {
    if (fp4)
      z = static_cast<uint8_t>(rng());  // ignored with FP4 codes
    else if (wf.kind != WeightKind::kUnsigned)
      z = 0;
    else if (fill == Fill::kZeroLow)
      z = 0;
    else if (fill == Fill::kZeroHigh)
      z = static_cast<uint8_t>(code_max);
    else
      z = static_cast<uint8_t>(rng() % (code_max + 1));
  }
  for (auto& s : t.act_scale) {
    if (fp16) {
      s = unit == Unit::kMixpe ? std::ldexp(1.0f, -kFp16FixedShift) : 1.0f;
    } else {
      s = std::ldexp(1.0f + static_cast<float>(rng() % 1024) / 1024.0f,
                     static_cast<int>(rng() % 24) - 20);
    }
  }
  return t;
}

/// A random tile for bulk cross-checks: group lengths around R (drain back-pressure or not),
/// K that often ends mid-group, activation format drawn per tile.
inline ArrayTile random_tile(std::mt19937_64& rng, Unit unit, int rows, int cols, bool fp16_ok,
                             WeightFormat wf) {
  static const int kGroups[] = {1, 2, 3, 5, 8, 16, 32, 64, 128};
  int group = kGroups[rng() % std::size(kGroups)];
  if (rng() % 4 == 0) group = std::max(1, rows + static_cast<int>(rng() % 3) - 1);  // R-1, R, R+1
  if (wf.codec == WeightCodec::kMxfp4 && rng() % 4 != 0) group = kMxfp4GroupSize;
  const int max_k = std::min(3 * group + 2, 260);
  const int k = 1 + static_cast<int>(rng() % max_k);
  const bool fp16 = fp16_ok && (rng() & 1);
  Fill fill = Fill::kRandom;
  switch (rng() % 16) {
    case 0:
      fill = Fill::kMax;
      break;
    case 1:
      fill = Fill::kMin;
      break;
    case 2:
      fill = Fill::kZeroLow;
      break;
    case 3:
      fill = Fill::kZeroHigh;
      break;
    default:
      break;
  }
  return make_tile(rng, unit, rows, cols, k, group, fp16, wf, fill);
}

/// Golden result of a tile for the unit, as FP32 bits [rows][cols].
inline std::vector<uint32_t> golden_bits(Unit unit, const ArrayTile& t) {
  const auto o = unit == Unit::kMixpe ? mixpe_tile_golden(t) : mac_tile_golden(t);
  std::vector<uint32_t> bits(o.size());
  for (size_t i = 0; i < o.size(); ++i) bits[i] = std::bit_cast<uint32_t>(o[i]);
  return bits;
}

/// Independent check of the tile golden against the GEMM-level golden kernels of model/kernels
/// (mpgemm_mixpe / mpgemm_integer for integer paths, mac_fp16_gemm for the mac FP16 path).
inline bool golden_agrees_with_gemm(Unit unit, const ArrayTile& t,
                                    const std::vector<uint32_t>& golden) {
  const QuantizedWeights w = tile_weights(t);
  const Activations a = tile_activations(t);
  std::vector<float> ref;
  if (weight_codec_is_fp4(t.codec)) {
    // Tiles outside the tensor rules (mxfp4 noise tiles, FP4 codes with high bits) have no GEMM
    // golden; the tile golden alone is their reference.
    bool tensor = true;
    for (uint8_t c : t.codes) tensor = tensor && c < 16;
    if (t.codec == WeightCodec::kMxfp4) {
      tensor = tensor && t.group == kMxfp4GroupSize;
      for (uint16_t s : t.scales) tensor = tensor && s <= 0xFE;
    }
    if (!tensor) return true;
  }
  if (unit == Unit::kMac && t.fp16) {
    ref = mac_fp16_gemm(w, a);
  } else if (weight_codec_is_fp4(t.codec)) {
    ref = fp4_gemm(a, w);
  } else {
    ref = mpgemm_mixpe(a, w);
  }
  for (size_t i = 0; i < ref.size(); ++i) {
    if (std::bit_cast<uint32_t>(ref[i]) != golden[i]) return false;
  }
  return true;
}

}  // namespace lowbit::mixpe_tb
