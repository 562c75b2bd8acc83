// The Verilated mixpe_array / mac_array behind IPeArray, checked in lockstep against the C++ model.
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
#include "sim/mixpe/i_pe_array.h"

namespace lowbit {

/// What it models: rtl/mixpe/mixpe_array.sv (Core = MixpeCore) or rtl/mac/mac_array.sv
/// (Core = MacCore) verilated for one named config (class V; ports in docs/mixpe.md), driven
/// through IPeArray. The pins it returns are the RTL's. A PeArrayModel<Core> of the same params
/// gets the same inputs every cycle; every output pin is compared after every edge (Lockstep) and
/// the model's counters go to `stats`, so the stats equal the sim backend's. `params` must be the
/// ones V was verilated with (the plugin's table checks that before constructing).
template <class V, class Core>
class PeArrayRtl final : public IPeArray {
 public:
  using Interface = IPeArray;  // what the plugin's table hands out (make_rtl_tile)
  using Params = PeArrayParams;

  PeArrayRtl(std::string config, const PeArrayParams& params, StatGroup& stats)
      : m_p(params), m_model(params, stats), m_check(std::move(config)) {
    check_port<decltype(m_rtl->t_act_scale_i)>("t_act_scale_i", m_p.rows * 32);
    check_port<decltype(m_rtl->g_scale_i)>("g_scale_i", m_p.cols * 16);
    check_port<decltype(m_rtl->x_act_i)>("x_act_i", m_p.rows * 16);
    check_port<decltype(m_rtl->o_data_o)>("o_data_o", m_p.cols * 32);
    m_odata.assign(m_p.cols, 0);
    reset();
  }

  void reset() override {
    m_rtl->t_valid_i = 0;
    m_rtl->g_valid_i = 0;
    m_rtl->x_valid_i = 0;
    m_rtl->o_ready_i = 0;
    m_rtl.reset();
    m_model.reset();
    m_check.restart();
    m_odata_fresh = false;
    compare_state();
  }

  // Every ready and valid output depends on registers only.
  bool t_ready() override { return m_rtl->t_ready_o != 0; }
  bool g_ready() override { return m_rtl->g_ready_o != 0; }
  bool x_ready() override { return m_rtl->x_ready_o != 0; }
  bool o_valid() override { return m_rtl->o_valid_o != 0; }
  bool o_last() override { return m_rtl->o_last_o != 0; }
  const std::vector<uint32_t>& o_data() override {
    read_odata();
    return m_odata;
  }

  void clock(bool t_valid, bool g_valid, bool x_valid, bool o_ready,
             const PeArrayInputs& in) override {
    // A channel's payload is read only when it fires at this edge.
    if (t_valid && t_ready()) drive_t(in.t);
    if (g_valid && g_ready()) drive_g(in);
    if (x_valid && x_ready()) drive_x(in);
    m_rtl->t_valid_i = t_valid;
    m_rtl->g_valid_i = g_valid;
    m_rtl->x_valid_i = x_valid;
    m_rtl->o_ready_i = o_ready;
    m_rtl.edge();
    m_model.clock(t_valid, g_valid, x_valid, o_ready, in);
    m_check.next_cycle();
    m_odata_fresh = false;
    compare_state();
  }

 private:
  template <class Ref>
  static void check_port(const char* pin, int bits) {
    rtl_port::check_width<Ref>("pe array rtl", pin, bits);
  }

  void drive_t(const PeArrayTileDesc& t) {
    m_rtl->t_fp16_i = t.fp16;
    m_rtl->t_kind_i = static_cast<uint8_t>(t.kind & 0x3);
    m_rtl->t_bits_i = static_cast<uint8_t>(t.bits & 0xF);
    // The weight codec pin of mixpe / mac (FP4 codes); bitmod has none (it runs no FP4 codec, so
    // its descriptors carry wfp 0).
    if constexpr (requires(V & v) { v.t_wfp_i; }) {
      m_rtl->t_wfp_i = static_cast<uint8_t>(t.wfp & 0x3);
    } else if (t.wfp != 0) {
      throw std::logic_error("pe array rtl: this array has no t_wfp_i pin (FP4 codes)");
    }
    m_rtl->t_k_i = static_cast<uint16_t>(t.k & 0xFFFF);
    m_rtl->t_group_i = static_cast<uint16_t>(t.group & 0xFFFF);
    for (int r = 0; r < m_p.rows; ++r) {
      rtl_port::put(m_rtl->t_act_scale_i, r * 32, 32, t.act_scale[r]);
    }
  }

  void drive_g(const PeArrayInputs& in) {
    for (int c = 0; c < m_p.cols; ++c) {
      rtl_port::put(m_rtl->g_scale_i, c * 16, 16, in.g_scale[c]);
      rtl_port::put(m_rtl->g_zero_i, c * 8, 8, in.g_zero[c]);
    }
  }

  void drive_x(const PeArrayInputs& in) {
    for (int r = 0; r < m_p.rows; ++r) rtl_port::put(m_rtl->x_act_i, r * 16, 16, in.x_act[r]);
    for (int c = 0; c < m_p.cols; ++c) rtl_port::put(m_rtl->x_w_i, c * 8, 8, in.x_w[c]);
  }

  void read_odata() {
    if (m_odata_fresh) return;
    for (int c = 0; c < m_p.cols; ++c) m_odata[c] = rtl_port::get(m_rtl->o_data_o, c * 32, 32);
    m_odata_fresh = true;
  }

  void compare_state() {
    m_check.bit("t_ready_o", t_ready(), m_model.t_ready());
    m_check.bit("g_ready_o", g_ready(), m_model.g_ready());
    m_check.bit("x_ready_o", x_ready(), m_model.x_ready());
    const bool valid = o_valid();
    m_check.bit("o_valid_o", valid, m_model.o_valid());
    if (valid) {
      m_check.bit("o_last_o", o_last(), m_model.o_last());
      read_odata();
      m_check.words("o_data_o", m_odata, m_model.o_data());
    }
  }

  PeArrayParams m_p;
  VerilatedTop<V> m_rtl;
  PeArrayModel<Core> m_model;
  Lockstep m_check;
  std::vector<uint32_t> m_odata;
  bool m_odata_fresh = false;
};

}  // namespace lowbit
