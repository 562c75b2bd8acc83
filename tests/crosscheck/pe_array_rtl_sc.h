// SystemC wrapper of a Verilated mixpe_array / mac_array in C++ mode (class V, from
// lowbit_rtl_model_library): the pins of Verilator's SystemC mode, so the cross-check testbench and
// the bench bind it like the SystemC model, while the Verilated library is the rtl backend's.
#pragma once

#include <memory>
#include <systemc>

#include "tests/crosscheck/verilated_sc.h"

namespace lowbit::mixpe_tb {

/// What it models: rtl/<unit>/<unit>_array.sv of an R x C config (docs/mixpe.md, "Ports"),
/// evaluated whenever an input changes, as Verilator's SystemC mode does.
template <class V, int R, int C>
class PeArrayRtlSc : public sc_core::sc_module {
 public:
  template <int W>
  using Bv = sc_dt::sc_bv<W>;
  sc_core::sc_in<bool> clk_i{"clk_i"}, rst_ni{"rst_ni"};
  sc_core::sc_in<bool> t_valid_i{"t_valid_i"}, t_fp16_i{"t_fp16_i"};
  sc_core::sc_out<bool> t_ready_o{"t_ready_o"};
  sc_core::sc_in<Bv<2>> t_kind_i{"t_kind_i"};
  sc_core::sc_in<Bv<4>> t_bits_i{"t_bits_i"};
  sc_core::sc_in<Bv<2>> t_wfp_i{"t_wfp_i"};
  sc_core::sc_in<Bv<16>> t_k_i{"t_k_i"}, t_group_i{"t_group_i"};
  sc_core::sc_in<Bv<R * 32>> t_act_scale_i{"t_act_scale_i"};
  sc_core::sc_in<bool> g_valid_i{"g_valid_i"};
  sc_core::sc_out<bool> g_ready_o{"g_ready_o"};
  sc_core::sc_in<Bv<C * 16>> g_scale_i{"g_scale_i"};
  sc_core::sc_in<Bv<C * 8>> g_zero_i{"g_zero_i"};
  sc_core::sc_in<bool> x_valid_i{"x_valid_i"};
  sc_core::sc_out<bool> x_ready_o{"x_ready_o"};
  sc_core::sc_in<Bv<R * 16>> x_act_i{"x_act_i"};
  sc_core::sc_in<Bv<C * 8>> x_w_i{"x_w_i"};
  sc_core::sc_out<bool> o_valid_o{"o_valid_o"}, o_last_o{"o_last_o"};
  sc_core::sc_in<bool> o_ready_i{"o_ready_i"};
  sc_core::sc_out<Bv<C * 32>> o_data_o{"o_data_o"};

  SC_HAS_PROCESS(PeArrayRtlSc);

  explicit PeArrayRtlSc(sc_core::sc_module_name name)
      : sc_module(name), m_v(std::make_unique<V>("array")) {
    SC_METHOD(eval);
    sensitive << clk_i << rst_ni << t_valid_i << t_fp16_i << t_kind_i << t_bits_i << t_wfp_i
              << t_k_i << t_group_i << t_act_scale_i << g_valid_i << g_scale_i << g_zero_i
              << x_valid_i << x_act_i << x_w_i << o_ready_i;
  }
  ~PeArrayRtlSc() override { m_v->final(); }

 private:
  void eval() {
    namespace vs = verilated_sc;
    V& v = *m_v;
    v.clk_i = clk_i.read();
    v.rst_ni = rst_ni.read();
    v.t_valid_i = t_valid_i.read();
    v.t_fp16_i = t_fp16_i.read();
    vs::put(v.t_kind_i, t_kind_i.read());
    vs::put(v.t_bits_i, t_bits_i.read());
    if constexpr (requires { v.t_wfp_i; }) {
      vs::put(v.t_wfp_i, t_wfp_i.read());  // mixpe, mac (FP4 codes); bitmod has no such pin
    }
    vs::put(v.t_k_i, t_k_i.read());
    vs::put(v.t_group_i, t_group_i.read());
    vs::put(v.t_act_scale_i, t_act_scale_i.read());
    v.g_valid_i = g_valid_i.read();
    vs::put(v.g_scale_i, g_scale_i.read());
    vs::put(v.g_zero_i, g_zero_i.read());
    v.x_valid_i = x_valid_i.read();
    vs::put(v.x_act_i, x_act_i.read());
    vs::put(v.x_w_i, x_w_i.read());
    v.o_ready_i = o_ready_i.read();
    v.eval();
    t_ready_o.write(v.t_ready_o != 0);
    g_ready_o.write(v.g_ready_o != 0);
    x_ready_o.write(v.x_ready_o != 0);
    o_valid_o.write(v.o_valid_o != 0);
    o_last_o.write(v.o_last_o != 0);
    if (vs::changed(v.o_data_o, m_out)) {
      m_out = vs::get<C * 32>(v.o_data_o);
      o_data_o.write(m_out);
    }
  }

  std::unique_ptr<V> m_v;
  Bv<C * 32> m_out;
};

}  // namespace lowbit::mixpe_tb
