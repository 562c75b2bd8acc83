// The segment plan shared by the lutcore cross-check and component tests: directed edge cases
// first, then random segments until every weight format has its quota of transactions (beats).
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/crosscheck/lutcore_stimulus.h"
#include "tests/lib/test_seed.h"

namespace lowbit::lutcore_tb {

/// Transactions (input beats) per weight format: LOWBIT_TRANSACTIONS, LOWBIT_CAMPAIGN=1 (the
/// long campaign: 2.5e6 per format, 1e7 in all), else the build's default.
inline uint64_t transactions_from_env(uint64_t fallback) {
  if (const char* s = std::getenv("LOWBIT_TRANSACTIONS")) return std::strtoull(s, nullptr, 0);
  if (const char* c = std::getenv("LOWBIT_CAMPAIGN"); c && std::string(c) == "1") return 2500000;
  return fallback;
}

/// Produces segments on demand (nothing is kept after it has run).
class Plan {
 public:
  /// wfp = 0: the integer formats (binary, ternary, signed, unsigned); 1: fp4_e2m1 only; 2: mxfp4
  /// only (cfg_wfp_i; docs/fp-weights.md). The integer plan does not depend on this option.
  Plan(const LutcoreParams& p, uint64_t seed, uint64_t per_format, bool directed = true,
       int wfp = 0)
      : m_p(p), m_gen(p, seed ^ 0x9E3779B97F4A7C15ull), m_per_format(per_format), m_wfp(wfp) {
    if (directed) {
      if (wfp == 0)
        build_directed();
      else
        build_directed_fp();
    }
  }

  /// Formats this plan counts in beats_per_format() (4 integer kinds, or the one FP4 format).
  int formats() const { return m_wfp == 0 ? 4 : 1; }

  /// Next segment; false when the directed list is done and every format has its quota.
  bool next(Segment& s) {
    if (m_directed_pos < m_directed.size()) {
      s = make(m_directed[m_directed_pos++]);
      return true;
    }
    if (m_wfp != 0) {
      if (m_beats[0] >= m_per_format) return false;
      // The kind and bits pins carry noise: an FP4 tile must ignore them.
      const auto wk = weight_kind_from_field(static_cast<uint32_t>(m_gen.uniform(0, 3)));
      const int bits = m_gen.uniform(2, 4);
      const bool fp16 = m_p.fp16 && m_gen.chance(0.5);
      s = m_gen.random_segment(wk, bits, fp16, m_gen.uniform(1, 4), Fill::kRandom, m_wfp);
      m_beats[0] += s.beats();
      return true;
    }
    int kind = -1;
    for (int t = 0; t < 4; ++t) {
      const int c = (m_rr + t) % 4;
      if (m_beats[c] < m_per_format) {
        kind = c;
        break;
      }
    }
    if (kind < 0) return false;
    m_rr = (kind + 1) % 4;
    const auto wk = weight_kind_from_field(static_cast<uint32_t>(kind));
    // int/uint are 2..4 bits (the kit's weight formats; model/quant/weight_format.h).
    const int bits = m_gen.uniform(2, 4);
    const bool fp16 = m_p.fp16 && m_gen.chance(0.5);
    s = m_gen.random_segment(wk, bits, fp16, m_gen.uniform(1, 4));
    m_beats[kind] += s.beats();
    return true;
  }

  const std::array<uint64_t, 4>& beats_per_format() const { return m_beats; }

 private:
  struct Directed {
    std::string name;
    WeightKind kind;
    int bits;
    bool fp16;
    int group_size, groups, k_total, blocks;
    Fill fill;
    double p_in = 1.0, p_out = 1.0;
    int stall_in_at = -1, stall_out_at = -1;
    int wfp = 0;
  };

  Segment make(const Directed& d) {
    Segment s;
    s.name = d.name;
    s.cfg.act_fp16 = d.fp16;
    s.cfg.kind = static_cast<int>(weight_kind_field(d.kind));
    s.cfg.bits = weight_kind_bits(d.kind, d.bits);
    s.cfg.wfp = d.wfp;
    s.group_size = d.group_size;
    s.cfg.group_tiles = (d.group_size + m_p.k - 1) / m_p.k;
    s.cfg.groups = d.groups;
    s.k_total = d.k_total;
    s.p_in = d.p_in;
    s.p_out = d.p_out;
    s.stall_in_at = d.stall_in_at;
    s.stall_out_at = d.stall_out_at;
    for (int b = 0; b < d.blocks; ++b) s.blocks.push_back(m_gen.make_block(s, d.fill));
    m_beats[d.wfp != 0 ? 0 : static_cast<int>(d.kind)] += s.beats();
    return s;
  }

  // FP4 (m_wfp): code extremes (+6, -6, +0, -0) with the scale extremes, groups ending mid-tile
  // (fp4_e2m1; mxfp4's group is 32, which ends mid-tile for K that do not divide it), back-to-back
  // groups, and a stall at every position of a short stream. kind / bits pins carry signed 2.
  void build_directed_fp() {
    const int k = m_p.k;
    const WeightKind sk = WeightKind::kSigned;
    const int gs_fp = m_wfp == 2 ? 32 : 2 * k;
    const std::vector<bool> fmts =
        m_p.fp16 ? std::vector<bool>{false, true} : std::vector<bool>{false};
    for (bool fp16 : fmts) {
      for (Fill f : {Fill::kMax, Fill::kMin, Fill::kZeroLow, Fill::kZeroHigh}) {
        m_directed.push_back(
            {"fp-fill", sk, 2, fp16, gs_fp, 2, 2 * gs_fp, 2, f, 1.0, 1.0, -1, -1, m_wfp});
      }
      if (m_wfp == 1) {
        for (int gs : {1, k - 1, k + 1, 2 * k + 1}) {
          if (gs < 1) continue;
          m_directed.push_back({"fp-mid-tile-end", sk, 2, fp16, gs, 3, 3 * gs - 1, 2, Fill::kRandom,
                                1.0, 1.0, -1, -1, m_wfp});
        }
        m_directed.push_back({"fp-back-to-back", sk, 2, fp16, k, 4, 4 * k, 4, Fill::kRandom, 1.0,
                              1.0, -1, -1, m_wfp});
        m_directed.push_back({"fp-back-to-back-outstall", sk, 2, fp16, k, 1, k, 6, Fill::kRandom,
                              1.0, 0.5, -1, -1, m_wfp});
      } else {
        m_directed.push_back(
            {"mx-short-last", sk, 2, fp16, 32, 3, 65, 2, Fill::kRandom, 1.0, 1.0, -1, -1, m_wfp});
      }
    }
    const int gs = m_wfp == 2 ? 32 : k;
    const int span = 2 * (2 * 2 * 5) + 8;
    for (int d = 1; d <= span; ++d) {
      m_directed.push_back({"fp-stall-in@" + std::to_string(d), sk, 2, false, gs, 2, 2 * gs, 2,
                            Fill::kRandom, 1.0, 1.0, d, -1, m_wfp});
      m_directed.push_back({"fp-stall-out@" + std::to_string(d), sk, 2, false, gs, 2, 2 * gs, 2,
                            Fill::kRandom, 1.0, 1.0, -1, d, m_wfp});
    }
  }

  void build_directed() {
    const int k = m_p.k;
    const std::vector<bool> fmts =
        m_p.fp16 ? std::vector<bool>{false, true} : std::vector<bool>{false};
    const WeightKind kinds[] = {WeightKind::kBinary, WeightKind::kTernary, WeightKind::kSigned,
                                WeightKind::kUnsigned};
    for (bool fp16 : fmts) {
      for (auto kind : kinds) {
        for (int bits = 1; bits <= 4; ++bits) {
          if ((kind == WeightKind::kBinary && bits != 1) ||
              (kind == WeightKind::kTernary && bits != 2) ||
              (kind != WeightKind::kBinary && bits == 1)) {
            continue;
          }
          // All-max and all-min activations and codes.
          m_directed.push_back({"all-max", kind, bits, fp16, 2 * k, 2, 4 * k, 2, Fill::kMax});
          m_directed.push_back({"all-min", kind, bits, fp16, 2 * k, 2, 4 * k, 2, Fill::kMin});
          if (kind == WeightKind::kUnsigned) {
            m_directed.push_back({"zero-low", kind, bits, fp16, 32, 2, 64, 2, Fill::kZeroLow});
            m_directed.push_back({"zero-high", kind, bits, fp16, 32, 2, 64, 2, Fill::kZeroHigh});
          }
        }
      }
      // Groups that end mid-tile (group sizes not a multiple of K, short last group).
      for (int gs : {1, k - 1, k + 1, 2 * k + 1}) {
        if (gs < 1) continue;
        m_directed.push_back(
            {"mid-tile-end", WeightKind::kUnsigned, 3, fp16, gs, 3, 3 * gs - 1, 2, Fill::kRandom});
      }
      // Back-to-back groups: one beat per group, one plane per beat: a group ends every cycle.
      m_directed.push_back(
          {"back-to-back", WeightKind::kBinary, 1, fp16, k, 4, 4 * k, 4, Fill::kRandom});
      m_directed.push_back({"back-to-back-outstall", WeightKind::kBinary, 1, fp16, k, 1, k, 6,
                            Fill::kRandom, 1.0, 0.5});
    }
    // A stall at every position of a short stream, on the input and on the output side.
    const int span = 2 * (2 * 2 * 2) + 8;
    for (int d = 1; d <= span; ++d) {
      m_directed.push_back({"stall-in@" + std::to_string(d), WeightKind::kUnsigned, 2, false, k, 2,
                            2 * k, 2, Fill::kRandom, 1.0, 1.0, d, -1});
      m_directed.push_back({"stall-out@" + std::to_string(d), WeightKind::kUnsigned, 2, false, k, 2,
                            2 * k, 2, Fill::kRandom, 1.0, 1.0, -1, d});
    }
  }

  LutcoreParams m_p;
  Generator m_gen;
  uint64_t m_per_format;
  int m_wfp = 0;
  std::vector<Directed> m_directed;
  size_t m_directed_pos = 0;
  std::array<uint64_t, 4> m_beats{};
  int m_rr = 0;
};

}  // namespace lowbit::lutcore_tb
