// The Verilated lutcore_tile behind ILutcoreTile, checked in lockstep against the C++ model.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "host/lib/backends/rtl/lockstep.h"
#include "host/lib/backends/rtl/rtl_port.h"
#include "host/lib/backends/rtl/verilated_top.h"
#include "sim/common/stats.h"
#include "sim/lutcore/i_lutcore_tile.h"

namespace lowbit {

/// What it models: rtl/lutcore/lutcore_tile.sv verilated for one named config (class V, ports as
/// in docs/lutcore.md), driven through ILutcoreTile. The pins it returns are the RTL's. A
/// LutcoreModelTile of the same params gets the same inputs every cycle; every output pin is
/// compared (Lockstep) and the model's counters go to `stats` (the RTL has none), so the stats
/// equal the sim backend's. `params` must be the ones V was verilated with (the plugin's table
/// checks that before constructing).
template <class V>
class LutcoreRtlTile final : public ILutcoreTile {
 public:
  using Interface = ILutcoreTile;  // what the plugin's table hands out (make_rtl_tile)
  using Params = LutcoreParams;

  LutcoreRtlTile(std::string config, const LutcoreParams& params, StatGroup& stats)
      : m_p(params), m_model(params, stats), m_check(std::move(config)) {
    check_port<decltype(m_rtl->in_act_i)>("in_act_i", m_p.m * m_p.k * 16);
    check_port<decltype(m_rtl->in_w_i)>("in_w_i", 4 * m_p.n * m_p.k);
    check_port<decltype(m_rtl->in_act_scale_i)>("in_act_scale_i", m_p.m * 32);
    check_port<decltype(m_rtl->out_data_o)>("out_data_o", m_p.m * m_p.n * 32);
    m_out.assign(static_cast<size_t>(m_p.m) * m_p.n, 0);
    reset();
  }

  void reset() override {
    m_rtl->in_valid_i = 0;
    m_rtl->out_ready_i = 0;
    m_rtl.reset();
    m_model.reset();
    m_check.restart();
    m_out_fresh = m_ready_known = false;
    compare_state();
  }

  bool in_ready(const LutcoreCfg& cfg, bool out_ready) override {
    // The top asks before clock() asks again: evaluate once per cycle and pin values.
    if (m_ready_known && same_cfg(cfg) && out_ready == m_ready_out_ready) return m_ready;
    drive_cfg(cfg, out_ready);
    m_rtl->eval();
    m_ready = m_rtl->in_ready_o != 0;
    m_check.bit("in_ready_o", m_ready, m_model.in_ready(cfg, out_ready));
    m_ready_cfg = cfg;
    m_ready_out_ready = out_ready;
    m_ready_known = true;
    return m_ready;
  }

  bool out_valid() override { return m_rtl->out_valid_o != 0; }

  const std::vector<uint32_t>& out_data() override {
    read_out();
    return m_out;
  }

  void clock(const LutcoreCfg& cfg, bool in_valid, bool out_ready,
             const LutcoreBeat& beat) override {
    const bool ready = in_ready(cfg, out_ready);
    m_rtl->in_valid_i = in_valid;
    if (in_valid && ready) drive_beat(beat);  // the beat is read only when accepted
    m_rtl.edge();
    m_model.clock(cfg, in_valid, out_ready, beat);
    m_check.next_cycle();
    m_out_fresh = m_ready_known = false;
    compare_state();
  }

 private:
  template <class Ref>
  static void check_port(const char* pin, int bits) {
    rtl_port::check_width<Ref>("lutcore rtl tile", pin, bits);
  }

  bool same_cfg(const LutcoreCfg& c) const {
    return c.act_fp16 == m_ready_cfg.act_fp16 && c.kind == m_ready_cfg.kind &&
           c.bits == m_ready_cfg.bits && c.group_tiles == m_ready_cfg.group_tiles &&
           c.groups == m_ready_cfg.groups;
  }

  void drive_cfg(const LutcoreCfg& cfg, bool out_ready) {
    m_rtl->cfg_act_fp16_i = cfg.act_fp16;
    m_rtl->cfg_kind_i = static_cast<uint8_t>(cfg.kind & 0x3);
    m_rtl->cfg_bits_i = static_cast<uint8_t>(cfg.bits & 0x7);
    m_rtl->cfg_group_tiles_i = static_cast<uint16_t>(cfg.group_tiles & 0xFFFF);
    m_rtl->cfg_groups_i = static_cast<uint16_t>(cfg.groups & 0xFFFF);
    m_rtl->cfg_wfp_i = static_cast<uint8_t>(cfg.wfp & 0x3);
    m_rtl->out_ready_i = out_ready;
  }

  // The in_* pins of an accepted beat (bit layout in docs/lutcore.md, "Ports").
  void drive_beat(const LutcoreBeat& b) {
    const int m = m_p.m, n = m_p.n, k = m_p.k, g = m_p.g, t_per_row = m_p.tables_per_row();
    for (int l = 0; l < m * k; ++l) rtl_port::put(m_rtl->in_act_i, l * 16, 16, b.act[l]);
    m_rtl->in_reuse_table_i = b.reuse_table;
    // Index t of (plane p, column j) holds lanes t*g .. t*g+g-1 of that plane's bits.
    for (int pj = 0; pj < 4 * n; ++pj) {
      for (int t = 0; t < t_per_row; ++t) {
        rtl_port::put(m_rtl->in_w_i, pj * k + t * g, g, b.idx[pj * t_per_row + t]);
      }
    }
    for (int j = 0; j < n; ++j) {
      rtl_port::put(m_rtl->in_scale_i, j * 16, 16, b.scale[j]);
      rtl_port::put(m_rtl->in_zero_i, j * 8, 8, b.zero[j]);
    }
    for (int i = 0; i < m; ++i) rtl_port::put(m_rtl->in_act_scale_i, i * 32, 32, b.act_scale[i]);
  }

  void read_out() {
    if (m_out_fresh) return;
    for (size_t l = 0; l < m_out.size(); ++l) {
      m_out[l] = rtl_port::get(m_rtl->out_data_o, static_cast<int>(l) * 32, 32);
    }
    m_out_fresh = true;
  }

  // out_valid_o and out_data_o are register outputs: compared right after every edge.
  void compare_state() {
    const bool valid = m_rtl->out_valid_o != 0;
    m_check.bit("out_valid_o", valid, m_model.out_valid());
    if (valid) {
      read_out();
      m_check.words("out_data_o", m_out, m_model.out_data());
    }
  }

  LutcoreParams m_p;
  VerilatedTop<V> m_rtl;
  LutcoreModelTile m_model;
  Lockstep m_check;
  std::vector<uint32_t> m_out;
  bool m_out_fresh = false;
  // in_ready_o as last evaluated this cycle, for these cfg pins and out_ready_i.
  bool m_ready_known = false, m_ready = false, m_ready_out_ready = false;
  LutcoreCfg m_ready_cfg;
};

}  // namespace lowbit
