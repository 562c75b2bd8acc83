// Cycle-exact core shared by the mixpe and mac array models: rtl/mixpe/lb_pe_array_ctrl.sv in C++.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "model/arch/core_timing.h"
#include "model/arch/pe_array_params.h"
#include "model/formats/weight_kind.h"
#include "sim/common/stats.h"

namespace lowbit {

/// FP32 arithmetic of rtl/common (IEEE RNE, subnormals, canonical NaN 0x7FC00000). The host FPU
/// gives the same bits except for NaN payloads, which these helpers canonicalize.
namespace pe_array_fp {
inline float canon(float x) { return std::isnan(x) ? std::bit_cast<float>(0x7FC00000u) : x; }
inline float add(float a, float b) { return canon(a + b); }
inline float mul(float a, float b) { return canon(a * b); }
}  // namespace pe_array_fp

/// A tile descriptor beat (t channel).
struct PeArrayTileDesc {
  bool fp16 = false;
  int kind = 2;  ///< the kind field (model/formats/weight_kind.h; the pins carry 2 bits)
  int bits = 4;
  int wfp =
      0;  ///< t_wfp_i: weight codec pin (weight_codec_pin; 0 integer codes, 1 fp4_e2m1, 2 mxfp4)
  int k = 1;
  int group = 1;
  std::vector<uint32_t> act_scale;  ///< [rows] FP32 bits
};

/// What it models: the control and buffering of an R x C output-stationary array (tile descriptor
/// register, 2-deep group-parameter FIFO, accumulate -> drain -> output stages), cycle for cycle
/// like lb_pe_array_ctrl.sv, plus the FP32 result and output buffers. Subclasses supply the
/// datapath (the PE step and the per-column dequant of one drained row). The datapath is computed
/// at the step and at the drain's read; the pipelines (systolic skew, PE and drain registers) only
/// delay when the control lets the drain start and the output become valid, which is all they
/// change in the RTL (the hazards they would add are excluded by the control). clock() never
/// allocates or throws.
class PeArrayCore {
 public:
  PeArrayCore(const PeArrayParams& params, PeArrayLatency latency, StatGroup& stats);
  virtual ~PeArrayCore() = default;
  PeArrayCore(const PeArrayCore&) = delete;
  PeArrayCore& operator=(const PeArrayCore&) = delete;

  const PeArrayParams& params() const { return m_p; }
  void reset();

  // Pins that depend on state only (valid for the whole cycle after the last clock()).
  bool t_ready() const { return !m_act; }
  bool g_ready() const { return m_gf_cnt != 2; }
  bool x_ready() const { return m_act && m_gf_cnt != 0 && !(grp_last() && m_sh_busy); }
  bool o_valid() const { return m_ob_busy; }
  bool o_last() const { return m_or == m_p.rows - 1; }
  /// FP32 bits of the current output row (row o_row()), times its activation scale.
  const std::vector<uint32_t>& o_data();
  int o_row() const { return m_or; }
  /// Changes whenever o_data() may have changed (lets pin wrappers skip rewriting the bus).
  uint64_t out_generation() const { return m_out_gen; }

  // Beat inputs: the caller fills them before clock() when the matching valid is high.
  PeArrayTileDesc t_in;
  std::vector<uint16_t> g_scale_in;  ///< [cols]
  std::vector<uint8_t> g_zero_in;    ///< [cols]
  std::vector<uint16_t> x_act_in;    ///< [rows]
  std::vector<uint8_t> x_w_in;       ///< [cols]

  /// One rising clock edge with the valid/ready inputs sampled at that edge.
  void clock(bool t_valid, bool g_valid, bool x_valid, bool o_ready);

  /// Cycles from a tile's t handshake to its last o handshake when the tile runs alone without
  /// stalls (docs/mixpe.md): unpipelined, first group length + sum over later groups of
  /// max(length, R + 1) + 2 R; pipelined, the recursion of tile_events().
  static uint64_t isolated_tile_cycles(int rows, int k, int group, PeArrayLatency lat = {});
  /// Cycles between consecutive t handshakes (and between consecutive tile completions) when
  /// identical tiles stream without stalls, in the steady state (docs/mixpe.md): unpipelined,
  /// max(first group + 1, R + 1) + sum over later groups of max(length, R + 1), as long as that is
  /// at least 2 R (else the output stage limits).
  static uint64_t streaming_tile_period(int rows, int k, int group, PeArrayLatency lat = {});
  /// The edges (cycles after the first tile's t handshake) of each of `tiles` identical tiles'
  /// t handshake and last o handshake when they stream without stalls: the control's recursion.
  /// (pe_array_tile_events, model/arch/core_timing.h: the analytic tier uses the same recursion)
  using TileEvents = PeArrayTileEvents;
  static TileEvents tile_events(int rows, int k, int group, PeArrayLatency lat, int tiles) {
    return pe_array_tile_events(rows, k, group, lat, tiles);
  }
  const PeArrayLatency& latency() const { return m_lat; }

 protected:
  // The accumulate stage consumes x_act_in / x_w_in; grp_last: the step closes the group.
  virtual void step(bool grp_last) = 0;
  // Dequantizes drained row `row` of the shadow into res[c] given the running results out[c].
  virtual void drain_row(int row, const float* out, float* res) = 0;
  virtual void reset_datapath() = 0;

  bool grp_last() const { return m_kg == m_glen - 1 || m_k == m_klen - 1; }

  PeArrayParams m_p;
  PeArrayLatency m_lat;
  // Accumulate-stage tile fields and the current group's parameters (FIFO head).
  bool m_fp16 = false;
  int m_kind = 0;
  int m_bits = 0;
  WeightCodec m_codec = WeightCodec::kAffine;  // from t_wfp_i
  const uint16_t* head_scale() const { return m_gf_scale[m_gf_rd].data(); }
  const uint8_t* head_zero() const { return m_gf_zero[m_gf_rd].data(); }
  // Drain-stage fields (latched with the shadow).
  bool m_sh_fp16 = false;
  int m_sh_kind = 0;
  int m_sh_bits = 0;
  WeightCodec m_sh_codec = WeightCodec::kAffine;
  std::vector<uint16_t> m_sh_scale;
  std::vector<uint8_t> m_sh_zero;

 private:
  bool m_act = false;
  int m_klen = 0, m_glen = 0, m_k = 0, m_kg = 0;
  std::vector<uint32_t> m_ascale;
  int m_gf_cnt = 0, m_gf_wr = 0, m_gf_rd = 0;
  std::vector<uint16_t> m_gf_scale[2];
  std::vector<uint8_t> m_gf_zero[2];
  bool m_sh_busy = false, m_sh_last = false;
  int m_sh_wait = 0, m_dq_gap = 0, m_ob_wait = 0;
  bool m_ob_res = false, m_ob_pend = false;
  std::vector<uint32_t> m_sh_ascale;
  int m_dr = 0;
  bool m_ob_busy = false;
  std::vector<uint32_t> m_ob_ascale;
  int m_or = 0;
  std::vector<float> m_out, m_ob, m_res;  // [rows][cols] running results, output buffer; [cols]
  std::vector<uint32_t> m_odata;
  uint64_t m_out_gen = 0;
  uint64_t m_odata_gen = ~uint64_t{0};

  // Statistics (references into the caller's StatGroup).
  uint64_t& m_cycles;
  uint64_t& m_idle;
  uint64_t& m_tiles;
  uint64_t& m_steps;
  uint64_t& m_step_bits;
  uint64_t& m_stall_x;
  uint64_t& m_stall_g;
  uint64_t& m_stall_drain;
  uint64_t& m_groups;
  uint64_t& m_drain_busy;
  uint64_t& m_drain_wait_out;
  uint64_t& m_drain_fill;
  uint64_t& m_drain_gap;
  uint64_t& m_dequants;
  uint64_t& m_out_beats;
  uint64_t& m_out_stall;
};

}  // namespace lowbit
