// Owns one Verilated model and its context (fixed seed), and gives it clock edges and resets.
#pragma once

#include <verilated.h>

#include <memory>
#include <string>

#include "host/lib/backends/rtl/rtl_tiles_abi.h"

namespace lowbit {

/// What it models: the clock and reset pins of a Verilated tile `V` (ports clk_i, rst_ni), in
/// Verilator C++ mode: each model has its own VerilatedContext, so tiles of several configs can
/// live in one process. Callers set the other input ports through operator->.
template <class V>
class VerilatedTop {
 public:
  VerilatedTop() : m_ctx(std::make_unique<VerilatedContext>()) {
    const std::string seed = "+verilator+seed+" + std::to_string(kRtlVerilatorSeed);
    const char* argv[] = {"lowbit_rtl_tiles", seed.c_str(), "+verilator+rand+reset+0"};
    m_ctx->commandArgs(3, argv);
    m_top = std::make_unique<V>(m_ctx.get(), "tile");
  }
  ~VerilatedTop() { m_top->final(); }
  VerilatedTop(const VerilatedTop&) = delete;
  VerilatedTop& operator=(const VerilatedTop&) = delete;

  V* operator->() { return m_top.get(); }
  const V* operator->() const { return m_top.get(); }

  /// rst_ni is asynchronous and active low: the tile resets at its falling edge and stays reset
  /// over one clock edge (as the cross-check testbenches hold it); returns with rst_ni high, clk_i
  /// low and the outputs settled. The caller drives every valid input low before.
  void reset() {
    m_top->clk_i = 0;
    m_top->rst_ni = 1;
    m_top->eval();
    m_top->rst_ni = 0;
    m_top->eval();
    edge();
    m_top->rst_ni = 1;
    m_top->eval();
  }

  /// One rising clock edge with the inputs as set, then clk_i low again (outputs settled).
  void edge() {
    m_top->clk_i = 1;
    m_top->eval();
    m_top->clk_i = 0;
    m_top->eval();
  }

 private:
  std::unique_ptr<VerilatedContext> m_ctx;  // declared first: outlives the model
  std::unique_ptr<V> m_top;
};

}  // namespace lowbit
