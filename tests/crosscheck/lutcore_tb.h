// SystemC testbench for lutcore_tile: drives the SystemC model and/or the Verilated RTL with one
// transaction stream under valid/ready stalls, compares them cycle by cycle and against golden.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <systemc>
#include <type_traits>

#include "sim/common/stats.h"
#include "sim/lutcore/lutcore_tile.h"
#include "tests/crosscheck/lutcore_stimulus.h"

namespace lowbit::lutcore_tb {

/// Placeholder for "no Verilated RTL in this build" (component tests, SystemC-only bench).
struct NoRtl {};

/// Totals the testbench counted itself, for checking the model's statistics.
struct Totals {
  uint64_t beats = 0, planes = 0, reuses = 0, groups = 0, blocks = 0, segments = 0;
  uint64_t cycles = 0, mismatches = 0, golden_errors = 0, timing_errors = 0;
};

template <int M, int N, int K, class Rtl = NoRtl>
class Testbench : public sc_core::sc_module {
 public:
  static constexpr bool kHasRtl = !std::is_same_v<Rtl, NoRtl>;
  template <int W>
  using Bv = sc_dt::sc_bv<W>;

  sc_core::sc_clock clk{"clk", 10, sc_core::SC_NS};
  sc_core::sc_signal<bool> rst_n{"rst_n", false};
  sc_core::sc_signal<bool> cfg_act_fp16{"cfg_act_fp16"};
  sc_core::sc_signal<Bv<2>> cfg_kind{"cfg_kind"};
  sc_core::sc_signal<Bv<3>> cfg_bits{"cfg_bits"};
  sc_core::sc_signal<Bv<2>> cfg_wfp{"cfg_wfp"};
  sc_core::sc_signal<Bv<16>> cfg_group_tiles{"cfg_group_tiles"};
  sc_core::sc_signal<Bv<16>> cfg_groups{"cfg_groups"};
  sc_core::sc_signal<bool> in_valid{"in_valid"};
  sc_core::sc_signal<Bv<M * K * 16>> in_act{"in_act"};
  sc_core::sc_signal<bool> in_reuse{"in_reuse"};
  sc_core::sc_signal<Bv<4 * N * K>> in_w{"in_w"};
  sc_core::sc_signal<Bv<N * 16>> in_scale{"in_scale"};
  sc_core::sc_signal<Bv<N * 8>> in_zero{"in_zero"};
  sc_core::sc_signal<Bv<M * 32>> in_act_scale{"in_act_scale"};
  sc_core::sc_signal<bool> out_ready{"out_ready"};
  // One set of outputs per implementation.
  struct Outs {
    sc_core::sc_signal<bool> in_ready, out_valid;
    sc_core::sc_signal<Bv<M * N * 32>> out_data;
  };
  Outs sc_out_sig, rtl_out_sig;

  using NextSegment = std::function<bool(Segment&)>;

  SC_HAS_PROCESS(Testbench);

  /// use_sc: instantiate the SystemC model; the RTL is instantiated when Rtl is a Verilated type.
  /// next: fills the next segment, returns false at the end of the stream.
  Testbench(sc_core::sc_module_name name, const LutcoreParams& params, bool use_sc,
            StatGroup& stats, NextSegment next, uint64_t seed, bool verbose = true)
      : sc_module(name), m_p(params), m_next(std::move(next)), m_rng(seed), m_verbose(verbose) {
    if (use_sc) {
      m_sc = std::make_unique<LutcoreTile<M, N, K>>("lutcore_sc", params, stats);
      bind(*m_sc, sc_out_sig);
    }
    if constexpr (kHasRtl) {
      m_rtl = std::make_unique<Rtl>("lutcore_rtl");
      bind(*m_rtl, rtl_out_sig);
    }
    SC_METHOD(on_posedge);
    sensitive << clk.posedge_event();
    dont_initialize();
  }

  const Totals& totals() const { return m_tot; }
  bool done() const { return m_done; }

 private:
  template <class D>
  void bind(D& d, Outs& o) {
    d.clk_i(clk);
    d.rst_ni(rst_n);
    d.cfg_act_fp16_i(cfg_act_fp16);
    d.cfg_kind_i(cfg_kind);
    d.cfg_bits_i(cfg_bits);
    d.cfg_group_tiles_i(cfg_group_tiles);
    d.cfg_groups_i(cfg_groups);
    d.cfg_wfp_i(cfg_wfp);
    d.in_valid_i(in_valid);
    d.in_ready_o(o.in_ready);
    d.in_act_i(in_act);
    d.in_reuse_table_i(in_reuse);
    d.in_w_i(in_w);
    d.in_scale_i(in_scale);
    d.in_zero_i(in_zero);
    d.in_act_scale_i(in_act_scale);
    d.out_valid_o(o.out_valid);
    d.out_ready_i(out_ready);
    d.out_data_o(o.out_data);
  }

  template <int W>
  static void drive(sc_core::sc_signal<Bv<W>>& s, const std::vector<uint32_t>& words) {
    Bv<W> v;
    for (int i = 0; i < static_cast<int>(words.size()); ++i) v.set_word(i, words[i]);
    s.write(v);
  }

  bool start_segment() {
    m_seg = Segment{};
    if (!m_next(m_seg)) return false;
    ++m_tot.segments;
    m_block_in = m_beat_in = 0;
    m_block_out = 0;
    m_seg_cycle = 0;
    m_first_accept = m_last_out = -1;
    m_stall_free =
        m_seg.p_in == 1.0 && m_seg.p_out == 1.0 && m_seg.stall_in_at < 0 && m_seg.stall_out_at < 0;
    cfg_act_fp16.write(m_seg.cfg.act_fp16);
    cfg_kind.write(m_seg.cfg.kind);
    cfg_bits.write(m_seg.cfg.bits);
    cfg_group_tiles.write(m_seg.cfg.group_tiles);
    cfg_groups.write(m_seg.cfg.groups);
    cfg_wfp.write(m_seg.cfg.wfp);
    m_beat_driven = false;
    return true;
  }

  void report(const char* what, const std::string& detail) {
    if (m_verbose && m_reported < 10) {
      std::printf("MISMATCH %s at cycle %llu (segment %llu '%s', block %d): %s\n", what,
                  static_cast<unsigned long long>(m_tot.cycles),
                  static_cast<unsigned long long>(m_tot.segments), m_seg.name.c_str(), m_block_out,
                  detail.c_str());
    }
    ++m_reported;
  }

  void on_posedge() {
    ++m_tot.cycles;
    if (m_tot.cycles < 3) return;  // reset held for two edges
    if (m_tot.cycles == 3) {
      rst_n.write(true);
      if (!start_segment()) finish();
      return;
    }
    const Outs& ref = m_sc ? sc_out_sig : rtl_out_sig;
    const bool ready = ref.in_ready.read();
    const bool valid = ref.out_valid.read();
    if (m_sc && kHasRtl) {
      // Cycle-exact: the same pins on the same cycle.
      if (ready != rtl_out_sig.in_ready.read() || valid != rtl_out_sig.out_valid.read() ||
          (valid && sc_out_sig.out_data.read() != rtl_out_sig.out_data.read())) {
        ++m_tot.mismatches;
        report("sc/rtl", "in_ready " + std::to_string(ready) + "/" +
                             std::to_string(rtl_out_sig.in_ready.read()) + " out_valid " +
                             std::to_string(valid) + "/" +
                             std::to_string(rtl_out_sig.out_valid.read()));
      }
    }
    ++m_seg_cycle;
    if (in_valid.read() && ready) {  // beat accepted on this edge
      const auto& blk = m_seg.blocks[m_block_in];
      ++m_tot.beats;
      m_tot.planes += m_seg.cfg.planes();
      if (blk.beats[m_beat_in].reuse_table) ++m_tot.reuses;
      if ((m_beat_in + 1) % m_seg.cfg.group_tiles == 0) ++m_tot.groups;
      if (m_first_accept < 0) m_first_accept = static_cast<int64_t>(m_tot.cycles);
      m_beat_driven = false;
      if (++m_beat_in == static_cast<int>(blk.beats.size())) {
        m_beat_in = 0;
        ++m_block_in;
      }
    }
    if (valid && out_ready.read()) {  // output block delivered on this edge
      check_output(ref);
      ++m_tot.blocks;
      ++m_block_out;
    }
    if (m_block_out == static_cast<int>(m_seg.blocks.size())) {
      if (!start_segment()) {
        finish();
        return;
      }
    }
    // Drive the next cycle's inputs.
    const bool pending = m_block_in < static_cast<int>(m_seg.blocks.size());
    bool offer = pending && (m_seg.p_in >= 1.0 || m_dist(m_rng) < m_seg.p_in);
    if (m_seg_cycle == m_seg.stall_in_at) offer = false;
    if (pending && !m_beat_driven) {
      const auto& b = m_seg.blocks[m_block_in].beats[m_beat_in];
      drive(in_act, b.act);
      drive(in_w, b.w);
      drive(in_scale, b.scale);
      drive(in_zero, b.zero);
      drive(in_act_scale, b.act_scale);
      in_reuse.write(b.reuse_table);
      m_beat_driven = true;
    }
    in_valid.write(offer);
    bool take = m_seg.p_out >= 1.0 || m_dist(m_rng) < m_seg.p_out;
    if (m_seg_cycle == m_seg.stall_out_at) take = false;
    out_ready.write(take);
  }

  void check_output(const Outs& ref) {
    const auto& blk = m_seg.blocks[m_block_out];
    if (blk.golden_disagreements) {
      m_tot.golden_errors += blk.golden_disagreements;
      report("golden", "model/kernels mpgemm_lut disagrees with the dequant.h contract");
    }
    const auto data = ref.out_data.read();
    for (int l = 0; l < M * N; ++l) {
      const uint32_t got = data.get_word(l);
      if (got != blk.golden[l]) {
        ++m_tot.golden_errors;
        char buf[192];
        std::snprintf(buf, sizeof buf,
                      "lane %d got 0x%08x golden 0x%08x (wfp %d kind %d b %d fp16 %d gs %d k %d)",
                      l, got, blk.golden[l], m_seg.cfg.wfp, m_seg.cfg.kind, m_seg.cfg.bits,
                      m_seg.cfg.act_fp16, m_seg.group_size, m_seg.k_total);
        report("golden", buf);
        break;
      }
    }
    // Cycle count of a tile (docs/lutcore.md): without handshake stalls, a block of Gn groups of
    // gt beats with b planes leaves gt*b + (Gn-1)*P + Q + Ldq + 1 cycles after its first beat was
    // accepted, with P = max(gt*b, Q, spacing) cycles per group (Q = dequant chunks per group,
    // spacing = dequant_group_spacing(), Ldq = dequant_latency()), and the next block Gn*P later.
    // When Gn*P < Q + Ldq the output register (reserved by a block from its last group's first
    // chunk until it is taken) sets the pace instead; those blocks are checked cycle by cycle
    // against the RTL only.
    if (m_stall_free) {
      const int64_t gtb = static_cast<int64_t>(m_seg.cfg.group_tiles) * m_seg.cfg.planes();
      const int64_t q = m_p.dequant_chunks();
      const int64_t ldq = m_p.dequant_latency();
      const int64_t arr = m_p.array_stages;
      const int64_t per_group =
          std::max({gtb, q + arr, static_cast<int64_t>(m_p.dequant_group_spacing())});
      const int64_t gn = m_seg.cfg.groups;
      const auto now = static_cast<int64_t>(m_tot.cycles);
      const bool paced_by_groups = gn * per_group >= q + ldq + arr;
      const int64_t want = m_last_out < 0
                               ? m_first_accept + gtb + arr + (gn - 1) * per_group + q + ldq + 1
                               : m_last_out + gn * per_group;
      if ((m_last_out < 0 || paced_by_groups) && now != want) {
        ++m_tot.timing_errors;
        report("timing",
               "output at cycle " + std::to_string(now) + ", formula says " + std::to_string(want));
      }
      m_last_out = now;
    }
  }

  void finish() {
    m_done = true;
    sc_core::sc_stop();
  }

  LutcoreParams m_p;
  NextSegment m_next;
  std::mt19937_64 m_rng;
  std::uniform_real_distribution<double> m_dist{0.0, 1.0};
  bool m_verbose;
  std::unique_ptr<LutcoreTile<M, N, K>> m_sc;
  std::unique_ptr<std::conditional_t<kHasRtl, Rtl, NoRtl>> m_rtl;
  Segment m_seg;
  int m_block_in = 0, m_beat_in = 0, m_block_out = 0;
  int64_t m_seg_cycle = 0, m_first_accept = -1, m_last_out = -1;
  bool m_stall_free = false, m_beat_driven = false, m_done = false;
  uint64_t m_reported = 0;
  Totals m_tot;
};

}  // namespace lowbit::lutcore_tb
