// The bitmod array behind IPeArray as a one-beat-per-K-step array: each K step the core driver
// offers is sent as the array's two slice beats (docs/bitmod.md, "Ports and handshake").
#pragma once

#include <memory>
#include <utility>

#include "model/formats/bitmod_unified.h"
#include "sim/mixpe/i_pe_array.h"

namespace lowbit {

/// What it models: the host side of bitmod_array's x channel, which takes every weight as
/// kBitmodSlices beats (slice 0, then slice 1, the same activations and codes each time) and a tile
/// descriptor whose K and group length count beats. It wraps the array (the C++ model or the
/// Verilated RTL in lockstep) so that the PE-array core driver (sim/mixpe/pe_array_driver.h), which
/// offers one x beat per K step, drives it unchanged: the descriptor's k and group are multiplied
/// by kBitmodSlices, a K step's x payload is presented until its last slice is accepted, and
/// x_ready() is high only when the array would accept that last slice, so the driver moves to the
/// next K step exactly when the array has taken both beats. Pins, cycles and stats are the
/// array's: the wrapper adds no register and no cycle (a K step without stalls takes 2 cycles).
class BitmodStepFeeder final : public IPeArray {
 public:
  BitmodStepFeeder(std::unique_ptr<IPeArray> array, const PeArrayParams& params)
      : m_array(std::move(array)), m_in(params) {}

  void reset() override {
    m_array->reset();
    m_slice = 0;
  }
  bool t_ready() override { return m_array->t_ready(); }
  bool g_ready() override { return m_array->g_ready(); }
  // The driver's K step is taken when its last slice is.
  bool x_ready() override { return m_array->x_ready() && m_slice == kBitmodSlices - 1; }
  bool o_valid() override { return m_array->o_valid(); }
  bool o_last() override { return m_array->o_last(); }
  const std::vector<uint32_t>& o_data() override { return m_array->o_data(); }

  void clock(bool t_valid, bool g_valid, bool x_valid, bool o_ready,
             const PeArrayInputs& in) override {
    // Copy only the payloads that fire (same-size vector assignments do not allocate).
    const bool t_fire = t_valid && m_array->t_ready();
    const bool x_fire = x_valid && m_array->x_ready();
    if (t_fire) {
      m_in.t = in.t;
      m_in.t.k = in.t.k * kBitmodSlices;
      m_in.t.group = in.t.group * kBitmodSlices;
    }
    if (g_valid && m_array->g_ready()) {
      m_in.g_scale = in.g_scale;
      m_in.g_zero = in.g_zero;
    }
    if (x_fire) {
      m_in.x_act = in.x_act;
      m_in.x_w = in.x_w;
    }
    m_array->clock(t_valid, g_valid, x_valid, o_ready, m_in);
    if (x_fire) m_slice = (m_slice + 1) % kBitmodSlices;
  }

  IPeArray& array() { return *m_array; }

 private:
  std::unique_ptr<IPeArray> m_array;
  PeArrayInputs m_in;
  int m_slice = 0;  // the slice of the K step the next accepted beat is
};

}  // namespace lowbit
