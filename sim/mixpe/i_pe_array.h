// The mixpe / mac array's pins as the accelerator top drives them, whatever implements them.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/mixpe/pe_array_core.h"

namespace lowbit {

/// Input payloads of the t, g and x channels (docs/mixpe.md, "Ports and handshake").
struct PeArrayInputs {
  PeArrayTileDesc t;              ///< t channel: tile descriptor (act_scale has `rows` entries)
  std::vector<uint16_t> g_scale;  ///< g channel: [cols] FP16 scales
  std::vector<uint8_t> g_zero;    ///< g channel: [cols] zero points
  std::vector<uint16_t> x_act;    ///< x channel: [rows] INT8 code (low byte) or FP16 bits
  std::vector<uint8_t> x_w;       ///< x channel: [cols] unsigned weight codes

  explicit PeArrayInputs(const PeArrayParams& p)
      : g_scale(p.cols), g_zero(p.cols), x_act(p.rows), x_w(p.cols) {
    t.act_scale.assign(p.rows, 0);
  }
};

/// What it models: the pin interface of rtl/mixpe/mixpe_array.sv and rtl/mac/mac_array.sv at cycle
/// level, without SystemC signals, so the top's core unit can clock an array in a tight loop.
/// Implementations: PeArrayModel<MixpeCore | MacCore> (cycle-exact C++) and the Verilated RTL (rtl
/// backend). Every ready/valid output depends on registers only. Implementers must not read a
/// channel's payload unless that channel's valid and ready are both high at the edge.
class IPeArray {
 public:
  virtual ~IPeArray() = default;
  virtual void reset() = 0;
  virtual bool t_ready() = 0;
  virtual bool g_ready() = 0;
  virtual bool x_ready() = 0;
  virtual bool o_valid() = 0;
  virtual bool o_last() = 0;
  /// o_data_o: [cols] FP32 bit patterns of the current output row; meaningful while o_valid().
  virtual const std::vector<uint32_t>& o_data() = 0;
  /// One rising clock edge with these input pins.
  virtual void clock(bool t_valid, bool g_valid, bool x_valid, bool o_ready,
                     const PeArrayInputs& in) = 0;
};

/// The cycle-exact C++ model (Core = MixpeCore or MacCore) behind the interface.
template <class Core>
class PeArrayModel final : public IPeArray {
 public:
  PeArrayModel(const PeArrayParams& params, StatGroup& stats) : m_core(params, stats) {}
  void reset() override { m_core.reset(); }
  bool t_ready() override { return m_core.t_ready(); }
  bool g_ready() override { return m_core.g_ready(); }
  bool x_ready() override { return m_core.x_ready(); }
  bool o_valid() override { return m_core.o_valid(); }
  bool o_last() override { return m_core.o_last(); }
  const std::vector<uint32_t>& o_data() override { return m_core.o_data(); }
  void clock(bool t_valid, bool g_valid, bool x_valid, bool o_ready,
             const PeArrayInputs& in) override {
    if (t_valid && m_core.t_ready()) m_core.t_in = in.t;
    if (g_valid && m_core.g_ready()) {
      m_core.g_scale_in = in.g_scale;
      m_core.g_zero_in = in.g_zero;
    }
    if (x_valid && m_core.x_ready()) {
      m_core.x_act_in = in.x_act;
      m_core.x_w_in = in.x_w;
    }
    m_core.clock(t_valid, g_valid, x_valid, o_ready);
  }
  Core& core() { return m_core; }

 private:
  Core m_core;
};

}  // namespace lowbit
