// SystemC wrapper of a Verilated lutcore_tile in C++ mode (class V, from lowbit_rtl_model_library):
// the pins of Verilator's SystemC mode, so the cross-check testbench and bench bind it like the
// SystemC model, while the Verilated library is the one the rtl backend uses.
#pragma once

#include <memory>
#include <systemc>

#include "tests/crosscheck/verilated_sc.h"

namespace lowbit::lutcore_tb {

/// What it models: rtl/lutcore/lutcore_tile.sv of an M x N x K config (docs/lutcore.md, "Ports"),
/// evaluated whenever an input changes, as Verilator's SystemC mode does.
template <class V, int M, int N, int K>
class LutcoreRtlSc : public sc_core::sc_module {
 public:
  template <int W>
  using Bv = sc_dt::sc_bv<W>;
  sc_core::sc_in<bool> clk_i{"clk_i"}, rst_ni{"rst_ni"}, cfg_act_fp16_i{"cfg_act_fp16_i"};
  sc_core::sc_in<Bv<2>> cfg_kind_i{"cfg_kind_i"};
  sc_core::sc_in<Bv<3>> cfg_bits_i{"cfg_bits_i"};
  sc_core::sc_in<Bv<16>> cfg_group_tiles_i{"cfg_group_tiles_i"}, cfg_groups_i{"cfg_groups_i"};
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

  SC_HAS_PROCESS(LutcoreRtlSc);

  explicit LutcoreRtlSc(sc_core::sc_module_name name)
      : sc_module(name), m_v(std::make_unique<V>("tile")) {
    SC_METHOD(eval);
    sensitive << clk_i << rst_ni << cfg_act_fp16_i << cfg_kind_i << cfg_bits_i << cfg_group_tiles_i
              << cfg_groups_i << cfg_wfp_i << in_valid_i << in_act_i << in_reuse_table_i << in_w_i
              << in_scale_i << in_zero_i << in_act_scale_i << out_ready_i;
  }
  ~LutcoreRtlSc() override { m_v->final(); }

 private:
  void eval() {
    namespace vs = verilated_sc;
    V& v = *m_v;
    v.clk_i = clk_i.read();
    v.rst_ni = rst_ni.read();
    v.cfg_act_fp16_i = cfg_act_fp16_i.read();
    vs::put(v.cfg_kind_i, cfg_kind_i.read());
    vs::put(v.cfg_bits_i, cfg_bits_i.read());
    vs::put(v.cfg_group_tiles_i, cfg_group_tiles_i.read());
    vs::put(v.cfg_groups_i, cfg_groups_i.read());
    vs::put(v.cfg_wfp_i, cfg_wfp_i.read());
    v.in_valid_i = in_valid_i.read();
    vs::put(v.in_act_i, in_act_i.read());
    v.in_reuse_table_i = in_reuse_table_i.read();
    vs::put(v.in_w_i, in_w_i.read());
    vs::put(v.in_scale_i, in_scale_i.read());
    vs::put(v.in_zero_i, in_zero_i.read());
    vs::put(v.in_act_scale_i, in_act_scale_i.read());
    v.out_ready_i = out_ready_i.read();
    v.eval();
    in_ready_o.write(v.in_ready_o != 0);
    out_valid_o.write(v.out_valid_o != 0);
    if (vs::changed(v.out_data_o, m_out)) {
      m_out = vs::get<M * N * 32>(v.out_data_o);
      out_data_o.write(m_out);
    }
  }

  std::unique_ptr<V> m_v;
  Bv<M * N * 32> m_out;
};

}  // namespace lowbit::lutcore_tb
