// SystemC cycle model of lutcore_tile: the RTL's ports and handshake, one process, tight loops.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <systemc>

#include "model/arch/lutcore/lutcore_params.h"
#include "sim/common/stats.h"
#include "sim/lutcore/lutcore_core.h"

namespace lowbit {

/// What it models: rtl/lutcore/lutcore_tile.sv cycle for cycle, pin for pin. Multi-bit pins are
/// sc_bv (as Verilator's --pins-bv 2 makes them), so the Verilated RTL replaces this module port
/// for port. M, N and K fix the pin widths; the other parameters come from `params` at run time.
template <int M, int N, int K>
class LutcoreTile : public sc_core::sc_module {
 public:
  template <int W>
  using Bv = sc_dt::sc_bv<W>;

  sc_core::sc_in<bool> clk_i{"clk_i"};
  sc_core::sc_in<bool> rst_ni{"rst_ni"};
  sc_core::sc_in<bool> cfg_act_fp16_i{"cfg_act_fp16_i"};
  sc_core::sc_in<Bv<2>> cfg_kind_i{"cfg_kind_i"};
  sc_core::sc_in<Bv<3>> cfg_bits_i{"cfg_bits_i"};
  sc_core::sc_in<Bv<16>> cfg_group_tiles_i{"cfg_group_tiles_i"};
  sc_core::sc_in<Bv<16>> cfg_groups_i{"cfg_groups_i"};
  sc_core::sc_in<Bv<2>> cfg_wfp_i{"cfg_wfp_i"};
  sc_core::sc_in<bool> in_valid_i{"in_valid_i"};
  sc_core::sc_out<bool> in_ready_o{"in_ready_o"};
  sc_core::sc_in<Bv<M * K * 16>> in_act_i{"in_act_i"};
  sc_core::sc_in<bool> in_reuse_table_i{"in_reuse_table_i"};
  sc_core::sc_in<Bv<4 * N * K>> in_w_i{"in_w_i"};
  sc_core::sc_in<Bv<N * 16>> in_scale_i{"in_scale_i"};
  sc_core::sc_in<Bv<N * 8>> in_zero_i{"in_zero_i"};
  sc_core::sc_in<Bv<M * 32>> in_act_scale_i{"in_act_scale_i"};
  sc_core::sc_out<bool> out_valid_o{"out_valid_o"};
  sc_core::sc_in<bool> out_ready_i{"out_ready_i"};
  sc_core::sc_out<Bv<M * N * 32>> out_data_o{"out_data_o"};

  SC_HAS_PROCESS(LutcoreTile);

  /// `stats` receives this tile's counters (the caller names the group after the component path).
  LutcoreTile(sc_core::sc_module_name name, const LutcoreParams& params, StatGroup& stats)
      : sc_module(name), m_core(check(params), stats), m_beat(params) {
    SC_METHOD(tick);
    sensitive << clk_i.pos() << rst_ni << out_ready_i;
    dont_initialize();
  }

  const LutcoreCore& core() const { return m_core; }

 private:
  static const LutcoreParams& check(const LutcoreParams& p) {
    if (p.m != M || p.n != N || p.k != K) {
      throw std::invalid_argument("LutcoreTile<" + std::to_string(M) + "," + std::to_string(N) +
                                  "," + std::to_string(K) +
                                  "> built for params m=" + std::to_string(p.m) +
                                  " n=" + std::to_string(p.n) + " k=" + std::to_string(p.k));
    }
    return p;
  }

  // Bits [lo, lo + w) of a bit vector (w <= 32).
  template <int W>
  static uint32_t field(const Bv<W>& v, int lo, int w) {
    const int word = lo / 32;
    const int off = lo % 32;
    uint64_t x = v.get_word(word);
    if (off + w > 32 && word + 1 < (W + 31) / 32) {
      x |= static_cast<uint64_t>(v.get_word(word + 1)) << 32;
    }
    return static_cast<uint32_t>((x >> off) & ((uint64_t{1} << w) - 1));
  }

  void read_cfg() {
    m_cfg.act_fp16 = cfg_act_fp16_i.read();
    m_cfg.kind = static_cast<int>(cfg_kind_i.read().to_uint());
    m_cfg.bits = static_cast<int>(cfg_bits_i.read().to_uint());
    m_cfg.group_tiles = static_cast<int>(cfg_group_tiles_i.read().to_uint());
    m_cfg.groups = static_cast<int>(cfg_groups_i.read().to_uint());
    m_cfg.wfp = static_cast<int>(cfg_wfp_i.read().to_uint());
  }

  // Decodes the in_* pins into m_beat (only for an accepted beat).
  void read_beat() {
    const auto& params = m_core.params();
    const int g = params.g;
    const int t_per_row = params.tables_per_row();
    const auto& act = in_act_i.read();
    for (int l = 0; l < M * K; ++l) m_beat.act[l] = static_cast<uint16_t>(field(act, l * 16, 16));
    m_beat.reuse_table = in_reuse_table_i.read();
    const auto& w = in_w_i.read();
    for (int p = 0; p < 4; ++p) {
      for (int j = 0; j < N; ++j) {
        for (int t = 0; t < t_per_row; ++t) {
          m_beat.idx[(p * N + j) * t_per_row + t] =
              static_cast<uint8_t>(field(w, (p * N + j) * K + t * g, g));
        }
      }
    }
    const auto& sc = in_scale_i.read();
    const auto& z = in_zero_i.read();
    for (int j = 0; j < N; ++j) {
      m_beat.scale[j] = static_cast<uint16_t>(field(sc, j * 16, 16));
      m_beat.zero[j] = static_cast<uint8_t>(field(z, j * 8, 8));
    }
    const auto& as = in_act_scale_i.read();
    for (int i = 0; i < M; ++i) m_beat.act_scale[i] = field(as, i * 32, 32);
  }

  void tick() {
    read_cfg();
    if (!rst_ni.read()) {
      m_core.reset();
    } else if (clk_i.posedge()) {
      const bool in_valid = in_valid_i.read();
      const bool out_ready = out_ready_i.read();
      if (in_valid && m_core.in_ready(m_cfg, out_ready)) read_beat();
      m_core.clock(m_cfg, in_valid, out_ready, m_beat);
    }
    in_ready_o.write(m_core.in_ready(m_cfg, out_ready_i.read()));
    out_valid_o.write(m_core.out_valid());
    if (m_core.out_generation() != m_out_generation) {
      m_out_generation = m_core.out_generation();
      const auto& d = m_core.out_data();
      for (int l = 0; l < M * N; ++l) m_out.set_word(l, d[l]);
      out_data_o.write(m_out);
    }
  }

  LutcoreCore m_core;
  LutcoreBeat m_beat;
  LutcoreCfg m_cfg;
  Bv<M * N * 32> m_out;
  uint64_t m_out_generation = ~uint64_t{0};
};

}  // namespace lowbit
