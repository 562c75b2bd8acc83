// SystemC pin wrapper of the mixpe / mac array cores: the RTL's ports and handshake, one process.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <systemc>

#include "model/arch/pe_array_params.h"
#include "sim/common/stats.h"

namespace lowbit {

/// What it models: rtl/mixpe/mixpe_array.sv (Core = MixpeCore) or rtl/mac/mac_array.sv
/// (Core = MacCore) cycle for cycle, pin for pin. Multi-bit pins are sc_bv, as Verilator's
/// --pins-bv 2 makes them, so the Verilated RTL replaces this module port for port. R and C fix
/// the pin widths; `params` must match them. Outputs depend on state only; one SC_METHOD per array.
template <class Core, int R, int C>
class PeArraySc : public sc_core::sc_module {
 public:
  template <int W>
  using Bv = sc_dt::sc_bv<W>;

  sc_core::sc_in<bool> clk_i{"clk_i"};
  sc_core::sc_in<bool> rst_ni{"rst_ni"};
  sc_core::sc_in<bool> t_valid_i{"t_valid_i"};
  sc_core::sc_out<bool> t_ready_o{"t_ready_o"};
  sc_core::sc_in<bool> t_fp16_i{"t_fp16_i"};
  sc_core::sc_in<Bv<2>> t_kind_i{"t_kind_i"};
  sc_core::sc_in<Bv<4>> t_bits_i{"t_bits_i"};
  sc_core::sc_in<Bv<2>> t_wfp_i{"t_wfp_i"};
  sc_core::sc_in<Bv<16>> t_k_i{"t_k_i"};
  sc_core::sc_in<Bv<16>> t_group_i{"t_group_i"};
  sc_core::sc_in<Bv<R * 32>> t_act_scale_i{"t_act_scale_i"};
  sc_core::sc_in<bool> g_valid_i{"g_valid_i"};
  sc_core::sc_out<bool> g_ready_o{"g_ready_o"};
  sc_core::sc_in<Bv<C * 16>> g_scale_i{"g_scale_i"};
  sc_core::sc_in<Bv<C * 8>> g_zero_i{"g_zero_i"};
  sc_core::sc_in<bool> x_valid_i{"x_valid_i"};
  sc_core::sc_out<bool> x_ready_o{"x_ready_o"};
  sc_core::sc_in<Bv<R * 16>> x_act_i{"x_act_i"};
  sc_core::sc_in<Bv<C * 8>> x_w_i{"x_w_i"};
  sc_core::sc_out<bool> o_valid_o{"o_valid_o"};
  sc_core::sc_in<bool> o_ready_i{"o_ready_i"};
  sc_core::sc_out<bool> o_last_o{"o_last_o"};
  sc_core::sc_out<Bv<C * 32>> o_data_o{"o_data_o"};

  SC_HAS_PROCESS(PeArraySc);

  /// `stats` receives the array's counters (the caller names the group after the component path).
  PeArraySc(sc_core::sc_module_name name, const PeArrayParams& params, StatGroup& stats)
      : sc_module(name), m_core(check(params), stats) {
    SC_METHOD(tick);
    sensitive << clk_i.pos() << rst_ni.neg();
    dont_initialize();
  }

  Core& core() { return m_core; }

 private:
  static const PeArrayParams& check(const PeArrayParams& p) {
    if (p.rows != R || p.cols != C) {
      throw std::invalid_argument("PeArraySc<" + std::to_string(R) + "," + std::to_string(C) +
                                  "> built for params rows=" + std::to_string(p.rows) +
                                  " cols=" + std::to_string(p.cols));
    }
    return p;
  }

  // Lane i of width w (8, 16 or 32, aligned) of a bit vector.
  template <int W>
  static uint32_t lane(const Bv<W>& v, int i, int w) {
    const int lo = i * w;
    return (v.get_word(lo / 32) >> (lo % 32)) & (w == 32 ? 0xFFFFFFFFu : (1u << w) - 1u);
  }

  void tick() {
    if (!rst_ni.read()) {
      m_core.reset();
    } else if (clk_i.posedge()) {
      const bool t_valid = t_valid_i.read();
      const bool g_valid = g_valid_i.read();
      const bool x_valid = x_valid_i.read();
      if (t_valid && m_core.t_ready()) {
        auto& t = m_core.t_in;
        t.fp16 = t_fp16_i.read();
        t.kind = static_cast<int>(t_kind_i.read().to_uint());
        t.bits = static_cast<int>(t_bits_i.read().to_uint());
        t.wfp = static_cast<int>(t_wfp_i.read().to_uint());
        t.k = static_cast<int>(t_k_i.read().to_uint());
        t.group = static_cast<int>(t_group_i.read().to_uint());
        const auto& as = t_act_scale_i.read();
        for (int r = 0; r < R; ++r) t.act_scale[r] = lane(as, r, 32);
      }
      if (g_valid && m_core.g_ready()) {
        const auto& s = g_scale_i.read();
        const auto& z = g_zero_i.read();
        for (int c = 0; c < C; ++c) {
          m_core.g_scale_in[c] = static_cast<uint16_t>(lane(s, c, 16));
          m_core.g_zero_in[c] = static_cast<uint8_t>(lane(z, c, 8));
        }
      }
      if (x_valid && m_core.x_ready()) {
        const auto& a = x_act_i.read();
        const auto& w = x_w_i.read();
        for (int r = 0; r < R; ++r) m_core.x_act_in[r] = static_cast<uint16_t>(lane(a, r, 16));
        for (int c = 0; c < C; ++c) m_core.x_w_in[c] = static_cast<uint8_t>(lane(w, c, 8));
      }
      m_core.clock(t_valid, g_valid, x_valid, o_ready_i.read());
    }
    t_ready_o.write(m_core.t_ready());
    g_ready_o.write(m_core.g_ready());
    x_ready_o.write(m_core.x_ready());
    o_valid_o.write(m_core.o_valid());
    o_last_o.write(m_core.o_last());
    if (m_core.out_generation() != m_out_generation) {
      m_out_generation = m_core.out_generation();
      const auto& d = m_core.o_data();
      for (int c = 0; c < C; ++c) m_out.set_word(c, d[c]);
      o_data_o.write(m_out);
    }
  }

  Core m_core;
  Bv<C * 32> m_out;
  uint64_t m_out_generation = ~uint64_t{0};
};

}  // namespace lowbit
