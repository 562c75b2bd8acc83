// SystemC testbench for bitmod_array: drives the SystemC model and (optionally) the Verilated RTL
// with one beat stream under random valid/ready stalls, compares them cycle by cycle and every
// output tile against the golden result (bitmod_tile_golden). Each K step of a tile is sent as
// kBitmodSlices x beats (t_k and t_group in beats), the pin contract of rtl/bitmod/bitmod_array.sv.
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <systemc>
#include <type_traits>
#include <vector>

#include "sim/common/stats.h"
#include "sim/mixpe/pe_array_sc.h"
#include "tests/crosscheck/bitmod_stimulus.h"

namespace lowbit::bitmod_tb {

/// Placeholder for "no Verilated RTL in this build" (component tests, SystemC-only bench).
struct NoRtl {};

/// What a run counted (the testbench's own view, for checking the model's statistics too).
struct RunResult {
  uint64_t cycles = 0, tiles = 0, steps = 0, groups = 0;  ///< steps: x beats (slices)
  uint64_t pin_mismatches = 0, golden_errors = 0, last_errors = 0;
  bool timed_out = false;
  std::vector<uint64_t> t_fire_cycle, done_cycle;  ///< per tile: t handshake, last o handshake
  std::string first_error;
  bool ok() const {
    return pin_mismatches == 0 && golden_errors == 0 && last_errors == 0 && !timed_out;
  }
};

/// Drives Model (PeArraySc<Core, R, C>) and Rtl (Verilated, or NoRtl) from the same signals.
template <class Core, int R, int C, class Rtl = NoRtl>
class Bench : public sc_core::sc_module {
 public:
  static constexpr bool kHasRtl = !std::is_same_v<Rtl, NoRtl>;
  template <int W>
  using Bv = sc_dt::sc_bv<W>;
  using Model = PeArraySc<Core, R, C>;

  sc_core::sc_clock clk{"clk", 10, sc_core::SC_NS};
  sc_core::sc_signal<bool> rst_n{"rst_n", false};
  sc_core::sc_signal<bool> t_valid{"t_valid"}, t_fp16{"t_fp16"};
  sc_core::sc_signal<Bv<2>> t_kind{"t_kind"};
  sc_core::sc_signal<Bv<4>> t_bits{"t_bits"};
  sc_core::sc_signal<Bv<2>> t_wfp{"t_wfp"};  // the shared pin wrapper's FP4 codec pin: always 0
  sc_core::sc_signal<Bv<16>> t_k{"t_k"}, t_group{"t_group"};
  sc_core::sc_signal<Bv<R * 32>> t_act_scale{"t_act_scale"};
  sc_core::sc_signal<bool> g_valid{"g_valid"};
  sc_core::sc_signal<Bv<C * 16>> g_scale{"g_scale"};
  sc_core::sc_signal<Bv<C * 8>> g_zero{"g_zero"};
  sc_core::sc_signal<bool> x_valid{"x_valid"};
  sc_core::sc_signal<Bv<R * 16>> x_act{"x_act"};
  sc_core::sc_signal<Bv<C * 8>> x_w{"x_w"};
  sc_core::sc_signal<bool> o_ready{"o_ready"};
  struct Outs {
    sc_core::sc_signal<bool> t_ready, g_ready, x_ready, o_valid, o_last;
    sc_core::sc_signal<Bv<C * 32>> o_data;
  };
  Outs m_sig, r_sig;  // model's and RTL's outputs

  SC_HAS_PROCESS(Bench);

  Bench(sc_core::sc_module_name name, const PeArrayParams& params, StatGroup& stats)
      : sc_module(name) {
    m_model = std::make_unique<Model>("model", params, stats);
    bind(*m_model, m_sig);
    if constexpr (kHasRtl) {
      m_rtl = std::make_unique<Rtl>("rtl");
      bind(*m_rtl, r_sig);
    }
    SC_METHOD(on_posedge);
    sensitive << clk.posedge_event();
    dont_initialize();
  }

  Model& model() { return *m_model; }

  /// Runs the tiles through the array under `pressure` until every output is back (or a cycle
  /// limit derived from the stream is hit). Elaborates on first use; later runs continue in time.
  RunResult run(const std::vector<ArrayTile>& tiles, const Pressure& pressure, uint64_t seed,
                bool check_gemm_golden = false) {
    m_res = RunResult{};
    m_rng.seed(seed);
    m_pressure = pressure;
    m_t.clear();
    m_g.clear();
    m_x.clear();
    m_expect.clear();
    uint64_t budget = 200;
    for (size_t i = 0; i < tiles.size(); ++i) {
      const auto& tile = tiles[i];
      push_beats(tile);
      m_expect.push_back(golden_bits(tile));
      if (check_gemm_golden && !golden_agrees_with_gemm(tile, m_expect.back())) {
        error("tile golden disagrees with the GEMM golden bitmod_gemm (tile " + std::to_string(i) +
              ")");
        ++m_res.golden_errors;
      }
      budget += static_cast<uint64_t>(kBitmodSlices * tile.k + tile.groups() * (R + 2) + 2 * R + 4);
    }
    m_res.t_fire_cycle.assign(tiles.size(), 0);
    m_res.done_cycle.assign(tiles.size(), 0);
    const double p_min = std::min({pressure.p_t, pressure.p_g, pressure.p_x, pressure.p_o});
    m_limit =
        static_cast<uint64_t>(static_cast<double>(budget) * 4.0 / std::max(p_min, 0.05)) + 100;
    m_rows = 0;
    m_tile_out = 0;
    m_t_fired = 0;
    m_cycle = 0;
    m_row_buf.assign(static_cast<size_t>(R) * C, 0);
    if (!m_started) {
      m_started = true;
      sc_core::sc_start(sc_core::sc_time(35, sc_core::SC_NS));  // reset over 4 edges
      rst_n.write(true);
    }
    m_active = true;
    // Chunks of 64 cycles (sc_stop would end the simulation for good).
    while (m_active) sc_core::sc_start(sc_core::sc_time(10 * 64, sc_core::SC_NS));
    m_res.cycles = m_cycle;
    return m_res;
  }

 private:
  struct TBeat {
    bool fp16;
    int kind, bits, k, group;
    Bv<R * 32> act_scale;
  };
  struct GBeat {
    Bv<C * 16> scale;
    Bv<C * 8> zero;
  };
  struct XBeat {
    Bv<R * 16> act;
    Bv<C * 8> w;
  };

  template <class M>
  void bind(M& m, Outs& o) {
    m.clk_i(clk);
    m.rst_ni(rst_n);
    m.t_valid_i(t_valid);
    m.t_ready_o(o.t_ready);
    m.t_fp16_i(t_fp16);
    m.t_kind_i(t_kind);
    m.t_bits_i(t_bits);
    m.t_wfp_i(t_wfp);
    m.t_k_i(t_k);
    m.t_group_i(t_group);
    m.t_act_scale_i(t_act_scale);
    m.g_valid_i(g_valid);
    m.g_ready_o(o.g_ready);
    m.g_scale_i(g_scale);
    m.g_zero_i(g_zero);
    m.x_valid_i(x_valid);
    m.x_ready_o(o.x_ready);
    m.x_act_i(x_act);
    m.x_w_i(x_w);
    m.o_valid_o(o.o_valid);
    m.o_ready_i(o_ready);
    m.o_last_o(o.o_last);
    m.o_data_o(o.o_data);
  }

  template <int W>
  static void set_lane(Bv<W>& v, int i, int w, uint32_t value) {
    const int lo = i * w;
    const uint32_t mask = w == 32 ? 0xFFFFFFFFu : ((1u << w) - 1u) << (lo % 32);
    uint32_t word = v.get_word(lo / 32);
    word = (word & ~mask) | ((value << (lo % 32)) & mask);
    v.set_word(lo / 32, word);
  }

  void push_beats(const ArrayTile& t) {
    TBeat tb{t.fp16, 0, t.bits, kBitmodSlices * t.k, kBitmodSlices * t.group, {}};
    for (int r = 0; r < R; ++r)
      set_lane(tb.act_scale, r, 32, std::bit_cast<uint32_t>(t.act_scale[r]));
    m_t.push_back(tb);
    for (int g = 0; g < t.groups(); ++g) {
      GBeat gb;
      for (int c = 0; c < C; ++c) {
        set_lane(gb.scale, c, 16, t.scales[static_cast<size_t>(g) * C + c]);
        set_lane(gb.zero, c, 8, t.zeros[static_cast<size_t>(g) * C + c]);
      }
      m_g.push_back(gb);
    }
    for (int s = 0; s < t.k; ++s) {
      XBeat xb;
      for (int r = 0; r < R; ++r) set_lane(xb.act, r, 16, t.act[static_cast<size_t>(s) * R + r]);
      for (int c = 0; c < C; ++c) set_lane(xb.w, c, 8, t.codes[static_cast<size_t>(s) * C + c]);
      for (int slice = 0; slice < kBitmodSlices; ++slice) m_x.push_back(xb);
    }
  }

  void error(const std::string& what) {
    if (m_res.first_error.empty()) m_res.first_error = what;
  }

  bool offer(int channel, double p) {
    if (m_pressure.stall_channel == channel && m_pressure.stall_at == static_cast<int>(m_cycle)) {
      return false;
    }
    return p >= 1.0 || std::uniform_real_distribution<double>(0.0, 1.0)(m_rng) < p;
  }

  void compare_pins() {
    bool same = m_sig.t_ready.read() == r_sig.t_ready.read() &&
                m_sig.g_ready.read() == r_sig.g_ready.read() &&
                m_sig.x_ready.read() == r_sig.x_ready.read() &&
                m_sig.o_valid.read() == r_sig.o_valid.read();
    if (same && m_sig.o_valid.read()) {
      same =
          m_sig.o_last.read() == r_sig.o_last.read() && m_sig.o_data.read() == r_sig.o_data.read();
    }
    if (!same) {
      ++m_res.pin_mismatches;
      error("cycle " + std::to_string(m_cycle) +
            ": SystemC model and RTL pins differ (ready t/g/x " +
            std::to_string(m_sig.t_ready.read()) + std::to_string(m_sig.g_ready.read()) +
            std::to_string(m_sig.x_ready.read()) + " vs " + std::to_string(r_sig.t_ready.read()) +
            std::to_string(r_sig.g_ready.read()) + std::to_string(r_sig.x_ready.read()) +
            ", o_valid " + std::to_string(m_sig.o_valid.read()) + " vs " +
            std::to_string(r_sig.o_valid.read()) + ")");
    }
  }

  void on_posedge() {
    if (!m_active) return;
    if constexpr (kHasRtl) compare_pins();
    // Handshakes at this edge: what we drove during the last cycle against the ready seen now.
    if (t_valid.read() && m_sig.t_ready.read()) {
      m_res.t_fire_cycle[m_t_fired++] = m_cycle;
      ++m_res.tiles;
      m_t.pop_front();
    }
    if (g_valid.read() && m_sig.g_ready.read()) {
      ++m_res.groups;
      m_g.pop_front();
    }
    if (x_valid.read() && m_sig.x_ready.read()) {
      ++m_res.steps;
      m_x.pop_front();
    }
    if (o_ready.read() && m_sig.o_valid.read()) {
      const auto& d = m_sig.o_data.read();
      for (int c = 0; c < C; ++c) m_row_buf[static_cast<size_t>(m_rows) * C + c] = d.get_word(c);
      if (m_sig.o_last.read() != (m_rows == R - 1)) {
        ++m_res.last_errors;
        error("cycle " + std::to_string(m_cycle) + ": o_last wrong on row " +
              std::to_string(m_rows));
      }
      if (++m_rows == R) {
        m_rows = 0;
        if (m_expect.empty()) {
          ++m_res.golden_errors;
          error("an output tile nobody asked for");
        } else {
          const auto& want = m_expect.front();
          for (size_t i = 0; i < want.size(); ++i) {
            if (want[i] != m_row_buf[i]) {
              ++m_res.golden_errors;
              char buf[160];
              std::snprintf(buf, sizeof buf, "tile %llu element (%zu, %zu): got 0x%08x want 0x%08x",
                            static_cast<unsigned long long>(m_tile_out), i / C, i % C, m_row_buf[i],
                            want[i]);
              error(buf);
              break;
            }
          }
          m_expect.pop_front();
          m_res.done_cycle[m_tile_out++] = m_cycle;
        }
      }
    }
    if (m_expect.empty() && m_t.empty()) {
      m_active = false;
      t_valid.write(false);
      g_valid.write(false);
      x_valid.write(false);
      o_ready.write(false);
      return;
    }
    if (++m_cycle > m_limit) {
      m_res.timed_out = true;
      error("timeout after " + std::to_string(m_limit) + " cycles");
      m_active = false;
      return;
    }
    // Drive the next cycle.
    const bool tv = !m_t.empty() && offer(0, m_pressure.p_t);
    t_valid.write(tv);
    if (!m_t.empty()) {
      const auto& b = m_t.front();
      t_fp16.write(b.fp16);
      t_kind.write(b.kind);
      t_bits.write(b.bits);
      t_k.write(b.k);
      t_group.write(b.group);
      t_act_scale.write(b.act_scale);
    }
    const bool gv = !m_g.empty() && offer(1, m_pressure.p_g);
    g_valid.write(gv);
    if (!m_g.empty()) {
      g_scale.write(m_g.front().scale);
      g_zero.write(m_g.front().zero);
    }
    const bool xv = !m_x.empty() && offer(2, m_pressure.p_x);
    x_valid.write(xv);
    if (!m_x.empty()) {
      x_act.write(m_x.front().act);
      x_w.write(m_x.front().w);
    }
    o_ready.write(offer(3, m_pressure.p_o));
  }

  std::unique_ptr<Model> m_model;
  std::unique_ptr<std::conditional_t<kHasRtl, Rtl, int>> m_rtl;
  std::mt19937_64 m_rng;
  Pressure m_pressure;
  std::deque<TBeat> m_t;
  std::deque<GBeat> m_g;
  std::deque<XBeat> m_x;
  std::deque<std::vector<uint32_t>> m_expect;
  std::vector<uint32_t> m_row_buf;
  RunResult m_res;
  uint64_t m_limit = 0, m_cycle = 0, m_tile_out = 0;
  size_t m_t_fired = 0;
  int m_rows = 0;
  bool m_active = false, m_started = false;
};

}  // namespace lowbit::bitmod_tb
