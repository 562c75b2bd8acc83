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
#include "model/kernels/mac_fp16.h"
#include "model/kernels/mixpe_tile.h"
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

/// One weight format under test.
struct WeightFormat {
  WeightKind kind;
  int bits;
  std::string name() const {
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
    if (fill == Fill::kMax)
      c = static_cast<uint8_t>(code_lim);
    else if (fill == Fill::kMin)
      c = 0;
    else
      c = static_cast<uint8_t>(rng() % (code_lim + 1));
  }
  const bool limit = unit == Unit::kMac && fp16;
  for (auto& s : t.scales) s = random_scale(rng, limit);
  for (auto& z : t.zeros) {
    if (wf.kind != WeightKind::kUnsigned)
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
  if (unit == Unit::kMac && t.fp16) {
    ref = mac_fp16_gemm(w, a);
  } else {
    ref = mpgemm_mixpe(a, w);
  }
  for (size_t i = 0; i < ref.size(); ++i) {
    if (std::bit_cast<uint32_t>(ref[i]) != golden[i]) return false;
  }
  return true;
}

}  // namespace lowbit::mixpe_tb
