// Simulation speed of the mixpe / mac SystemC cycle model vs its Verilated RTL on the same stream:
// simulated MACs per second (R x C per K step) and cycles per second, Google Benchmark.
// The Verilated model (C++ mode) first: verilated.h picks its SystemC time hooks when <systemc> was
// included before it, which a C++-mode model must not.
#include XC_VTOP_HEADER

#include <benchmark/benchmark.h>
#include <verilated.h>

#include <deque>
#include <memory>
#include <random>
#include <string>
#include <systemc>
#include <vector>

#include "model/arch/pe_array_params.h"
#include "sim/common/stats.h"
#include "sim/mixpe/pe_array_sc.h"
#include "tests/crosscheck/mixpe_stimulus.h"
#include "tests/crosscheck/pe_array_rtl_sc.h"
#include "tests/crosscheck/pe_array_unit.h"

namespace lowbit::mixpe_tb {
namespace {

constexpr int kR = XC_R;
constexpr int kC = XC_C;
template <int W>
using Bv = sc_dt::sc_bv<W>;

/// Drives one DUT with its own clock signal (toggled from outside, so an idle DUT costs nothing)
/// from a fixed W4A8 stream with fixed-seed random stalls: both DUTs see the same cycles.
template <class Dut>
class Driver : public sc_core::sc_module {
 public:
  sc_core::sc_signal<bool> clk{"clk"}, rst_n{"rst_n"};
  sc_core::sc_signal<bool> t_valid{"t_valid"}, t_fp16{"t_fp16"}, t_ready{"t_ready"};
  sc_core::sc_signal<Bv<2>> t_kind{"t_kind"};
  sc_core::sc_signal<Bv<4>> t_bits{"t_bits"};
  sc_core::sc_signal<Bv<2>> t_wfp{"t_wfp"};  // integer codes (0)
  sc_core::sc_signal<Bv<16>> t_k{"t_k"}, t_group{"t_group"};
  sc_core::sc_signal<Bv<kR * 32>> t_act_scale{"t_act_scale"};
  sc_core::sc_signal<bool> g_valid{"g_valid"}, g_ready{"g_ready"};
  sc_core::sc_signal<Bv<kC * 16>> g_scale{"g_scale"};
  sc_core::sc_signal<Bv<kC * 8>> g_zero{"g_zero"};
  sc_core::sc_signal<bool> x_valid{"x_valid"}, x_ready{"x_ready"};
  sc_core::sc_signal<Bv<kR * 16>> x_act{"x_act"};
  sc_core::sc_signal<Bv<kC * 8>> x_w{"x_w"};
  sc_core::sc_signal<bool> o_valid{"o_valid"}, o_ready{"o_ready"}, o_last{"o_last"};
  sc_core::sc_signal<Bv<kC * 32>> o_data{"o_data"};

  SC_HAS_PROCESS(Driver);
  Driver(sc_core::sc_module_name name, std::unique_ptr<Dut> dut)
      : sc_module(name), m_dut(std::move(dut)) {
    auto& m = *m_dut;
    m.clk_i(clk);
    m.rst_ni(rst_n);
    m.t_valid_i(t_valid);
    m.t_ready_o(t_ready);
    m.t_fp16_i(t_fp16);
    m.t_kind_i(t_kind);
    m.t_bits_i(t_bits);
    m.t_wfp_i(t_wfp);
    m.t_k_i(t_k);
    m.t_group_i(t_group);
    m.t_act_scale_i(t_act_scale);
    m.g_valid_i(g_valid);
    m.g_ready_o(g_ready);
    m.g_scale_i(g_scale);
    m.g_zero_i(g_zero);
    m.x_valid_i(x_valid);
    m.x_ready_o(x_ready);
    m.x_act_i(x_act);
    m.x_w_i(x_w);
    m.o_valid_o(o_valid);
    m.o_ready_i(o_ready);
    m.o_last_o(o_last);
    m.o_data_o(o_data);
    // One fixed W4A8 stream: uint4 weights with zero points, INT8 activations, G = 32 / 128.
    std::mt19937_64 rng(12345);
    for (int i = 0; i < 8; ++i) {
      const ArrayTile t = make_tile(rng, kUnit, kR, kC, 256, i % 2 ? 128 : 32, false,
                                    WeightFormat{WeightKind::kUnsigned, 4});
      m_t.push_back(t);
    }
    SC_METHOD(on_posedge);
    sensitive << clk.posedge_event();
    dont_initialize();
  }

  /// Runs n clock cycles; returns the K steps consumed.
  uint64_t run(uint64_t n) {
    const uint64_t before = m_steps;
    for (uint64_t i = 0; i < n; ++i) {
      clk.write(true);
      sc_core::sc_start(sc_core::sc_time(5, sc_core::SC_NS));
      clk.write(false);
      sc_core::sc_start(sc_core::sc_time(5, sc_core::SC_NS));
    }
    return m_steps - before;
  }
  void reset() {
    rst_n.write(false);
    run(3);
    rst_n.write(true);
    run(1);
  }

 private:
  template <int W>
  static void set_lane(Bv<W>& v, int i, int w, uint32_t value) {
    const int lo = i * w;
    const uint32_t mask = w == 32 ? 0xFFFFFFFFu : ((1u << w) - 1u) << (lo % 32);
    v.set_word(lo / 32, (v.get_word(lo / 32) & ~mask) | ((value << (lo % 32)) & mask));
  }

  void refill() {
    const ArrayTile& t = m_t[m_next_tile++ % m_t.size()];
    TBeat tb{t.k, t.group, {}};
    for (int r = 0; r < kR; ++r) set_lane(tb.scale, r, 32, std::bit_cast<uint32_t>(t.act_scale[r]));
    m_tq.push_back(tb);
    for (int g = 0; g < t.groups(); ++g) {
      std::pair<Bv<kC * 16>, Bv<kC * 8>> gb;
      for (int c = 0; c < kC; ++c) {
        set_lane(gb.first, c, 16, t.scales[static_cast<size_t>(g) * kC + c]);
        set_lane(gb.second, c, 8, t.zeros[static_cast<size_t>(g) * kC + c]);
      }
      m_gq.push_back(gb);
    }
    for (int s = 0; s < t.k; ++s) {
      std::pair<Bv<kR * 16>, Bv<kC * 8>> xb;
      for (int r = 0; r < kR; ++r)
        set_lane(xb.first, r, 16, t.act[static_cast<size_t>(s) * kR + r]);
      for (int c = 0; c < kC; ++c)
        set_lane(xb.second, c, 8, t.codes[static_cast<size_t>(s) * kC + c]);
      m_xq.push_back(xb);
    }
  }

  void on_posedge() {
    if (!rst_n.read()) return;
    if (t_valid.read() && t_ready.read()) m_tq.pop_front();
    if (g_valid.read() && g_ready.read()) m_gq.pop_front();
    if (x_valid.read() && x_ready.read()) {
      m_xq.pop_front();
      ++m_steps;
    }
    if (m_tq.size() < 2) refill();
    // Light random stalls (90% offered), the same sequence for every DUT.
    t_valid.write(m_rng() % 10 != 0);
    t_kind.write(3);
    t_bits.write(4);
    t_k.write(m_tq.front().k);
    t_group.write(m_tq.front().group);
    t_act_scale.write(m_tq.front().scale);
    g_valid.write(m_rng() % 10 != 0);
    g_scale.write(m_gq.front().first);
    g_zero.write(m_gq.front().second);
    x_valid.write(m_rng() % 10 != 0);
    x_act.write(m_xq.front().first);
    x_w.write(m_xq.front().second);
    o_ready.write(m_rng() % 10 != 0);
  }

  struct TBeat {
    int k, group;
    Bv<kR * 32> scale;
  };
  std::unique_ptr<Dut> m_dut;
  std::vector<ArrayTile> m_t;
  size_t m_next_tile = 0;
  std::deque<TBeat> m_tq;
  std::deque<std::pair<Bv<kC * 16>, Bv<kC * 8>>> m_gq;
  std::deque<std::pair<Bv<kR * 16>, Bv<kC * 8>>> m_xq;
  std::mt19937_64 m_rng{777};
  uint64_t m_steps = 0;
};

using ModelDriver = Driver<PeArraySc<Core, kR, kC>>;
using Rtl = PeArrayRtlSc<XC_VCLASS, kR, kC>;
using RtlDriver = Driver<Rtl>;

struct Harness {
  StatGroup stats{"bench"};
  std::unique_ptr<ModelDriver> model;
  std::unique_ptr<RtlDriver> rtl;
  Harness() {
    const char* argv[] = {"bench", "+verilator+seed+1"};
    Verilated::commandArgs(2, argv);
    const auto params = pe_array_params_from_file(XC_CONFIG_PATH, kUnitName);
    model = std::make_unique<ModelDriver>(
        "sc", std::make_unique<PeArraySc<Core, kR, kC>>("dut", params, stats.child("array")));
    rtl = std::make_unique<RtlDriver>("rtl", std::make_unique<Rtl>("dut"));
    model->reset();
    rtl->reset();
  }
};

Harness& harness() {
  static Harness h;
  return h;
}

constexpr uint64_t kCyclesPerIteration = kR * kC >= 1024 ? 64 : 1024;

template <class D>
void run_bench(benchmark::State& state, D& d) {
  uint64_t steps = 0, cycles = 0;
  for (auto _ : state) {
    steps += d.run(kCyclesPerIteration);
    cycles += kCyclesPerIteration;
  }
  state.counters["MACs/s"] =
      benchmark::Counter(static_cast<double>(steps) * kR * kC, benchmark::Counter::kIsRate);
  state.counters["cycles/s"] =
      benchmark::Counter(static_cast<double>(cycles), benchmark::Counter::kIsRate);
}

void BM_SystemC(benchmark::State& state) { run_bench(state, *harness().model); }
void BM_VerilatedRtl(benchmark::State& state) { run_bench(state, *harness().rtl); }
BENCHMARK(BM_SystemC)->Name(std::string(XC_NAME) + "/systemc")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VerilatedRtl)
    ->Name(std::string(XC_NAME) + "/verilated_rtl")
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lowbit::mixpe_tb

int sc_main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
