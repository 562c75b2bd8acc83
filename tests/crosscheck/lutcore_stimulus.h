// Transaction streams for the lutcore tile: random and directed segments, the beats that carry
// them on the tile's pins, and the golden result of every output block (plain C++, no SystemC).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "model/arch/lutcore/lutcore_params.h"
#include "model/formats/fp16.h"
#include "model/formats/minifloat.h"
#include "model/kernels/dequant.h"
#include "model/kernels/fp4_gemm.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/tensors.h"
#include "sim/lutcore/lutcore_core.h"

namespace lowbit::lutcore_tb {

/// One input beat as raw pin words (bit l of a pin is bit l % 32 of word l / 32).
struct BeatPins {
  std::vector<uint32_t> act, w, scale, zero, act_scale;
  bool reuse_table = false;
};

/// One output block: M x k_total activations times N x k_total weights, its beats and the
/// golden FP32 result [m][n] computed from the contract (model/kernels/dequant.h).
struct Block {
  Activations a;
  QuantizedWeights w;
  std::vector<BeatPins> beats;
  std::vector<uint32_t> golden;
  /// Lanes where the contract restatement above disagrees with the project's golden LUT kernel
  /// (model/kernels mpgemm_lut, algorithm (c)); must be 0.
  int golden_disagreements = 0;
};

/// Blocks sharing one config, with the handshake pressure the testbench applies to them.
struct Segment {
  std::string name;
  LutcoreCfg cfg;
  int k_total = 0;
  int group_size = 0;
  double p_in = 1.0;      ///< probability that in_valid_i is offered when a beat is pending
  double p_out = 1.0;     ///< probability that out_ready_i is high
  int stall_in_at = -1;   ///< directed: in_valid_i low in this cycle of the segment (-1: none)
  int stall_out_at = -1;  ///< directed: out_ready_i low in this cycle of the segment
  std::vector<Block> blocks;
  int beats() const { return static_cast<int>(blocks.size()) * cfg.group_tiles * cfg.groups; }
};

/// How activations and weights are drawn.
enum class Fill { kRandom, kMax, kMin, kZeroLow, kZeroHigh };

inline int weight_kind_bits(WeightKind kind, int bits) {
  return kind == WeightKind::kBinary ? 1 : (kind == WeightKind::kTernary ? 2 : bits);
}

/// Exact integer of one activation element as the contract defines it (independent of the
/// model's bit-level conversion: FP16 goes through float and ldexp).
inline int64_t contract_act(const Activations& a, size_t idx) {
  if (a.format == ActFormat::kInt8) return a.int8[idx];
  return static_cast<int64_t>(
      std::ldexp(static_cast<double>(fp16_to_float(a.fp16[idx])), kFp16FixedShift));
}

/// FP4 weights, restated from the OCP specs without model/formats/fp_weight.h: twice the E2M1
/// value (minifloat_decode) and the scale of the doubled value, FP16 / 2 or 2^(x - 128).
inline int contract_fp4_value(uint8_t code) {
  return static_cast<int>(2.0 * minifloat_decode(kFp4E2M1, code));
}
inline float contract_fp4_scale(WeightCodec codec, uint16_t field) {
  if (codec == WeightCodec::kFp4E2M1) return fp16_to_float(field) * 0.5f;
  return std::ldexp(1.0f, static_cast<int>(field & 0xFF) - 128);
}

/// The golden result: per group the exact S_g, then dequant_step in K order, then
/// dequant_finish with the row's activation scale (2^-24 for FP16).
inline std::vector<uint32_t> golden_block(const Activations& a, const QuantizedWeights& w) {
  const bool fp4 = weight_codec_is_fp4(w.codec);
  std::vector<uint32_t> out(static_cast<size_t>(a.m) * w.n);
  for (int i = 0; i < a.m; ++i) {
    const float act_scale =
        a.format == ActFormat::kInt8 ? a.row_scales[i] : std::ldexp(1.0f, -kFp16FixedShift);
    for (int j = 0; j < w.n; ++j) {
      float acc = 0.0f;
      for (int g = 0; g < w.groups(); ++g) {
        int64_t s = 0;
        const int k_end = std::min(w.k, (g + 1) * w.group_size);
        for (int k = g * w.group_size; k < k_end; ++k) {
          const int wv =
              fp4 ? contract_fp4_value(w.codes[static_cast<size_t>(j) * w.k + k]) : w.value(j, k);
          s += contract_act(a, static_cast<size_t>(i) * a.k + k) * wv;
        }
        const uint16_t field = w.scales[static_cast<size_t>(j) * w.groups() + g];
        acc = fp4 ? acc + static_cast<float>(s) * contract_fp4_scale(w.codec, field)
                  : dequant_step(acc, s, field);
      }
      uint32_t bits;
      const float o =
          fp4 ? fp4_canonical_nan(dequant_finish(acc, act_scale)) : dequant_finish(acc, act_scale);
      std::memcpy(&bits, &o, 4);
      out[static_cast<size_t>(i) * w.n + j] = bits;
    }
  }
  return out;
}

inline void set_bits(std::vector<uint32_t>& words, int lo, int width, uint32_t value) {
  for (int b = 0; b < width; ++b) {
    const int l = lo + b;
    const uint32_t bit = (value >> b) & 1u;
    words[l / 32] = (words[l / 32] & ~(1u << (l % 32))) | (bit << (l % 32));
  }
}

/// Draws random segments and their blocks for one tile shape.
class Generator {
 public:
  Generator(const LutcoreParams& p, uint64_t seed) : m_p(p), m_rng(seed) {}

  std::mt19937_64& rng() { return m_rng; }

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }
  bool chance(double p) { return std::bernoulli_distribution(p)(m_rng); }

  /// A random finite FP16 pattern (every exponent 0..30, both signs).
  uint16_t random_fp16() {
    for (;;) {
      const auto h = static_cast<uint16_t>(uniform(0, 0xFFFF));
      if (((h >> 10) & 0x1F) != 0x1F) return h;
    }
  }

  /// A segment of `blocks` blocks with the given formats; group size and K drawn at random.
  /// wfp != 0: FP4 codes (cfg_wfp_i; kind and bits then carry noise the tile must ignore), mxfp4
  /// (wfp 2) with its fixed group of 32.
  Segment random_segment(WeightKind kind, int bits, bool fp16, int blocks,
                         Fill fill = Fill::kRandom, int wfp = 0) {
    Segment s;
    s.cfg.act_fp16 = fp16;
    s.cfg.kind = static_cast<int>(weight_kind_field(kind));
    s.cfg.bits = weight_kind_bits(kind, bits);
    s.cfg.wfp = wfp;
    // Group sizes: multiples of K, sizes that end mid-tile, and the typical 32/64/128.
    static constexpr int kSizes[] = {1, 2, 3, 5, 7, 32, 64, 128};
    const int pick = uniform(0, 10);
    s.group_size = pick < 8 ? kSizes[pick] : m_p.k * uniform(1, 4);
    if (wfp == 2) s.group_size = 32;
    s.cfg.group_tiles = (s.group_size + m_p.k - 1) / m_p.k;
    // Keep blocks small so many configs and stall patterns fit in the run.
    const int max_groups = std::max(1, 24 / s.cfg.group_tiles);
    s.cfg.groups = uniform(1, std::min(4, max_groups));
    const int lo = (s.cfg.groups - 1) * s.group_size + 1;
    s.k_total = uniform(lo, s.cfg.groups * s.group_size);
    static constexpr double kP[] = {1.0, 1.0, 0.9, 0.6, 0.3};
    s.p_in = kP[uniform(0, 4)];
    s.p_out = kP[uniform(0, 4)];
    s.name = "random";
    for (int b = 0; b < blocks; ++b) s.blocks.push_back(make_block(s, fill));
    return s;
  }

  /// Builds one block of segment `s` (shape and formats from s) and its beats.
  Block make_block(const Segment& s, Fill fill) {
    Block blk;
    const int m = m_p.m, n = m_p.n, kt = s.k_total;
    const bool fp4 = s.cfg.wfp != 0;
    const auto kind =
        fp4 ? WeightKind::kSigned : weight_kind_from_field(static_cast<uint32_t>(s.cfg.kind));
    const int bits = fp4 ? 4 : s.cfg.bits;
    auto& a = blk.a;
    a.m = m;
    a.k = kt;
    a.format = s.cfg.act_fp16 ? ActFormat::kFp16 : ActFormat::kInt8;
    const size_t mk = static_cast<size_t>(m) * kt;
    if (s.cfg.act_fp16) {
      a.fp16.resize(mk);
      for (auto& v : a.fp16) {
        v = fill == Fill::kMax ? 0x7BFF : fill == Fill::kMin ? 0xFBFF : random_fp16();
      }
    } else {
      a.int8.resize(mk);
      for (auto& v : a.int8) {
        v = static_cast<int8_t>(fill == Fill::kMax   ? 127
                                : fill == Fill::kMin ? -128
                                                     : uniform(-128, 127));
      }
      a.row_scales.resize(m);
      for (auto& r : a.row_scales) {
        r = std::ldexp(static_cast<float>(uniform(1, (1 << 24) - 1)), uniform(-44, -14)) *
            (chance(0.5) ? 1.0f : -1.0f);
      }
    }
    auto& w = blk.w;
    w.n = n;
    w.k = kt;
    w.bits = bits;
    w.group_size = s.group_size;
    w.kind = kind;
    w.codec = !fp4 ? WeightCodec::kAffine
                   : (s.cfg.wfp == 1 ? WeightCodec::kFp4E2M1 : WeightCodec::kMxfp4);
    const int max_code = kind == WeightKind::kBinary    ? 1
                         : kind == WeightKind::kTernary ? 2
                                                        : (1 << bits) - 1;
    w.codes.resize(static_cast<size_t>(n) * kt);
    for (auto& c : w.codes) {
      // FP4: max = +6 (0x7), min = -6 (0xF), zero-low = +0, zero-high = -0 (0x8).
      if (fp4) {
        c = static_cast<uint8_t>(fill == Fill::kMax        ? 0x7
                                 : fill == Fill::kMin      ? 0xF
                                 : fill == Fill::kZeroLow  ? 0x0
                                 : fill == Fill::kZeroHigh ? 0x8
                                                           : uniform(0, 15));
        continue;
      }
      c = static_cast<uint8_t>(fill == Fill::kMax   ? max_code
                               : fill == Fill::kMin ? 0
                                                    : uniform(0, max_code));
    }
    const size_t ng = static_cast<size_t>(n) * w.groups();
    w.scales.resize(ng);
    w.zeros.resize(ng);
    for (size_t x = 0; x < ng; ++x) {
      // mxfp4: a finite E8M0 code (0xFF, the NaN block, is outside the contract), the extremes
      // 0x00 (2^-127, subnormal result scale) and 0xFE often.
      const int e8 = fill == Fill::kMax ? 0xFE : fill == Fill::kMin ? 0x00 : uniform(-8, 262);
      w.scales[x] = s.cfg.wfp == 2 ? static_cast<uint16_t>(std::clamp(e8, 0, 0xFE)) : random_fp16();
      if (fp4) {
        w.zeros[x] = 0;
        continue;
      }
      const int z = fill == Fill::kZeroLow    ? 0
                    : fill == Fill::kZeroHigh ? (1 << bits) - 1
                                              : uniform(0, (1 << bits) - 1);
      w.zeros[x] = static_cast<uint8_t>(kind == WeightKind::kUnsigned  ? z
                                        : kind == WeightKind::kTernary ? 1
                                        : kind == WeightKind::kSigned  ? (1 << (bits - 1))
                                                                       : 0);
    }
    make_beats(s, blk);
    // The golden is h2's LUT kernel (c) with this tile's g (FP4: fp4_gemm, the issue-19 rule);
    // the contract restatement golden_block() must agree with it bit for bit (a second,
    // independent path).
    LutOptions opt;
    opt.g = m_p.g;
    const auto lut = fp4 ? fp4_gemm(blk.a, blk.w) : mpgemm_lut(blk.a, blk.w, opt);
    blk.golden.resize(lut.size());
    std::memcpy(blk.golden.data(), lut.data(), lut.size() * 4);
    const auto contract = golden_block(blk.a, blk.w);
    for (size_t l = 0; l < contract.size(); ++l) {
      blk.golden_disagreements += contract[l] != blk.golden[l] ? 1 : 0;
    }
    return blk;
  }

 private:
  // Cuts the block into beats: each group is padded to group_tiles beats of K lanes (pad
  // activations are zero, pad weight codes random). A beat whose real lanes sit where the
  // previous beat's do may reuse its table: its activations are then copied from that beat.
  void make_beats(const Segment& s, Block& blk) {
    const int m = m_p.m, n = m_p.n, k = m_p.k;
    const int gs = s.group_size;
    auto& a = blk.a;
    const auto& w = blk.w;
    std::vector<int> prev_map;
    for (int g = 0; g < s.cfg.groups; ++g) {
      const int glen = std::max(0, std::min(gs, a.k - g * gs));
      for (int bt = 0; bt < s.cfg.group_tiles; ++bt) {
        std::vector<int> map(k, -1);  // lane -> global k or -1 (pad)
        for (int l = 0; l < k; ++l) {
          const int off = bt * k + l;
          if (off < glen) map[l] = g * gs + off;
        }
        BeatPins b;
        b.act.assign((m * k * 16 + 31) / 32, 0);
        b.w.assign((4 * n * k + 31) / 32, 0);
        b.scale.assign((n * 16 + 31) / 32, 0);
        b.zero.assign((n * 8 + 31) / 32, 0);
        b.act_scale.assign((m * 32 + 31) / 32, 0);
        bool same_lanes = !prev_map.empty();
        for (int l = 0; l < k && same_lanes; ++l) same_lanes = (map[l] < 0) == (prev_map[l] < 0);
        b.reuse_table = same_lanes && chance(0.25);
        for (int i = 0; i < m; ++i) {
          for (int l = 0; l < k; ++l) {
            uint16_t v = 0;
            if (map[l] >= 0) {
              const size_t idx = static_cast<size_t>(i) * a.k + map[l];
              if (b.reuse_table) {
                const size_t src = static_cast<size_t>(i) * a.k + prev_map[l];
                if (a.format == ActFormat::kFp16)
                  a.fp16[idx] = a.fp16[src];
                else
                  a.int8[idx] = a.int8[src];
              }
              v = a.format == ActFormat::kFp16 ? a.fp16[idx] : static_cast<uint8_t>(a.int8[idx]);
            } else if (a.format == ActFormat::kFp16 && chance(0.5)) {
              v = 0x8000;  // -0 pads are zero too
            }
            // A reused table ignores in_act_i: drive noise to prove it.
            if (b.reuse_table) v = static_cast<uint16_t>(uniform(0, 0xFFFF));
            set_bits(b.act, (i * k + l) * 16, 16, v);
          }
        }
        for (int j = 0; j < n; ++j) {
          for (int l = 0; l < k; ++l) {
            const uint32_t code = map[l] >= 0
                                      ? w.codes[static_cast<size_t>(j) * w.k + map[l]]
                                      : static_cast<uint32_t>(uniform(0, (1 << s.cfg.bits) - 1));
            const int real_planes = s.cfg.wfp != 0 ? 4 : s.cfg.bits;
            for (int p = 0; p < 4; ++p) {
              // Planes beyond b carry noise: the tile must not read them.
              const uint32_t bit =
                  p < real_planes ? (code >> p) & 1u : static_cast<uint32_t>(uniform(0, 1));
              set_bits(b.w, (p * n + j) * k + l, 1, bit);
            }
          }
        }
        const bool group_end = bt == s.cfg.group_tiles - 1;
        const bool last = group_end && g == s.cfg.groups - 1;
        for (int j = 0; j < n; ++j) {
          // Scales and zeros are read on a group's last beat only: other beats carry noise.
          const size_t gi = static_cast<size_t>(j) * w.groups() + g;
          const bool real = group_end && g < w.groups();
          set_bits(b.scale, j * 16, 16, real ? w.scales[gi] : random_fp16());
          set_bits(b.zero, j * 8, 8, real ? w.zeros[gi] : static_cast<uint32_t>(uniform(0, 255)));
        }
        for (int i = 0; i < m; ++i) {
          uint32_t as = static_cast<uint32_t>(m_rng());
          if (last && a.format == ActFormat::kInt8) std::memcpy(&as, &a.row_scales[i], 4);
          set_bits(b.act_scale, i * 32, 32, as);
        }
        blk.beats.push_back(std::move(b));
        prev_map = map;
      }
    }
  }

  LutcoreParams m_p;
  std::mt19937_64 m_rng;
};

}  // namespace lowbit::lutcore_tb
