// Control, buffering and statistics of the mixpe / mac array cycle models.
#include "sim/mixpe/pe_array_core.h"

#include <algorithm>
#include <cstdint>

#include "model/formats/fp_weight.h"

namespace lowbit {

PeArrayCore::PeArrayCore(const PeArrayParams& params, PeArrayLatency latency, StatGroup& stats)
    : m_p(params),
      m_lat(latency),
      m_cycles(stats.counter("cycles", "clock edges simulated out of reset", "cycles")),
      m_idle(stats.counter("cycles_idle", "cycles with no tile in any stage", "cycles")),
      m_tiles(stats.counter("tiles", "tile descriptors accepted")),
      m_steps(stats.child("accumulate")
                  .counter("steps", "K steps consumed (x beats): R x C products each")),
      m_step_bits(stats.child("accumulate")
                      .counter("weight_bits",
                               "sum over K steps of the tile's weight bit width in the "
                               "datapath (5 for FP4 codes; weight_bits / steps = b when one "
                               "width runs)",
                               "bits")),
      m_stall_x(stats.child("accumulate")
                    .counter("stall_x_starved", "cycles a tile waited for an x beat", "cycles")),
      m_stall_g(
          stats.child("accumulate")
              .counter("stall_g_starved", "cycles a tile waited for group parameters", "cycles")),
      m_stall_drain(stats.child("accumulate")
                        .counter("stall_drain_busy",
                                 "cycles a group's last step waited for the drain (shadow full)",
                                 "cycles")),
      m_groups(stats.child("drain").counter("groups", "groups dequantized")),
      m_drain_busy(stats.child("drain").counter("busy", "cycles dequantizing a row", "cycles")),
      m_drain_wait_out(stats.child("drain").counter(
          "stall_output_busy", "cycles a tile's last group waited for the output buffer",
          "cycles")),
      m_drain_fill(stats.child("drain").counter(
          "stall_fill",
          "cycles a finished group waited for its last steps to reach every PE (systolic "
          "skew and pipeline registers)",
          "cycles")),
      m_drain_gap(stats.child("drain").counter(
          "stall_writeback",
          "cycles a drain waited for the previous drain's running results to be written back",
          "cycles")),
      m_dequants(stats.child("drain").counter(
          "dequants", "per-group FP32 dequant operations (one per PE per group)")),
      m_out_beats(stats.child("output").counter("beats", "output rows delivered (o beats)")),
      m_out_stall(stats.child("output").counter("stall_backpressure",
                                                "cycles o_valid waited for o_ready", "cycles")) {
  const auto rows = static_cast<size_t>(m_p.rows);
  const auto cols = static_cast<size_t>(m_p.cols);
  t_in.act_scale.assign(rows, 0);
  g_scale_in.assign(cols, 0);
  g_zero_in.assign(cols, 0);
  x_act_in.assign(rows, 0);
  x_w_in.assign(cols, 0);
  m_out.assign(rows * cols, 0.0f);
  m_ob.assign(rows * cols, 0.0f);
  m_res.assign(cols, 0.0f);
  m_odata.assign(cols, 0);
  m_ascale.assign(rows, 0);
  m_sh_ascale.assign(rows, 0);
  m_ob_ascale.assign(rows, 0);
  for (int i = 0; i < 2; ++i) {
    m_gf_scale[i].assign(cols, 0);
    m_gf_zero[i].assign(cols, 0);
  }
  m_sh_scale.assign(cols, 0);
  m_sh_zero.assign(cols, 0);
}

void PeArrayCore::reset() {
  m_act = false;
  m_fp16 = false;
  m_kind = m_bits = 0;
  m_codec = WeightCodec::kAffine;
  m_klen = m_glen = m_k = m_kg = 0;
  std::fill(m_ascale.begin(), m_ascale.end(), 0u);
  m_gf_cnt = m_gf_wr = m_gf_rd = 0;
  for (int i = 0; i < 2; ++i) {
    std::fill(m_gf_scale[i].begin(), m_gf_scale[i].end(), uint16_t{0});
    std::fill(m_gf_zero[i].begin(), m_gf_zero[i].end(), uint8_t{0});
  }
  m_sh_busy = m_sh_last = m_sh_fp16 = false;
  m_sh_wait = m_dq_gap = m_ob_wait = 0;
  m_ob_res = m_ob_pend = false;
  m_sh_kind = m_sh_bits = 0;
  m_sh_codec = WeightCodec::kAffine;
  std::fill(m_sh_scale.begin(), m_sh_scale.end(), uint16_t{0});
  std::fill(m_sh_zero.begin(), m_sh_zero.end(), uint8_t{0});
  std::fill(m_sh_ascale.begin(), m_sh_ascale.end(), 0u);
  m_dr = 0;
  m_ob_busy = false;
  std::fill(m_ob_ascale.begin(), m_ob_ascale.end(), 0u);
  m_or = 0;
  std::fill(m_out.begin(), m_out.end(), 0.0f);
  std::fill(m_ob.begin(), m_ob.end(), 0.0f);
  ++m_out_gen;
  reset_datapath();
}

const std::vector<uint32_t>& PeArrayCore::o_data() {
  if (m_odata_gen != m_out_gen) {
    m_odata_gen = m_out_gen;
    const float s = std::bit_cast<float>(m_ob_ascale[m_or]);
    const float* row = &m_ob[static_cast<size_t>(m_or) * m_p.cols];
    for (int c = 0; c < m_p.cols; ++c)
      m_odata[c] = std::bit_cast<uint32_t>(pe_array_fp::mul(row[c], s));
  }
  return m_odata;
}

void PeArrayCore::clock(bool t_valid, bool g_valid, bool x_valid, bool o_ready) {
  const int rows = m_p.rows;
  const int cols = m_p.cols;
  // Handshakes and stage activity from the state before the edge (as the RTL's always_comb).
  const bool gl = grp_last();
  const bool tile_last = m_k == m_klen - 1;
  const bool t_fire = t_valid && t_ready();
  const bool g_fire = g_valid && g_ready();
  const bool x_rdy = x_ready();
  const bool step_fire = x_valid && x_rdy;
  const bool pop = step_fire && gl;
  // A drain starts (row 0) when the shadows are complete, the previous drain's results are written
  // back and, for a tile's last group, the output buffer is free; its rows follow back to back.
  const bool ready0 = m_sh_busy && m_sh_wait == 0 && m_dr == 0;
  const bool drain =
      m_sh_busy && m_sh_wait == 0 && (m_dr != 0 || (m_dq_gap == 0 && (!m_sh_last || !m_ob_res)));
  const bool drain_start = drain && m_dr == 0;
  const bool drain_end = drain && m_dr == rows - 1;
  const bool o_fire = m_ob_busy && o_ready;

  ++m_cycles;
  if (!m_act && !m_sh_busy && !m_ob_res) ++m_idle;
  if (m_act && !step_fire) {
    if (m_gf_cnt == 0) {
      ++m_stall_g;
    } else if (gl && m_sh_busy) {
      ++m_stall_drain;
    } else {
      ++m_stall_x;
    }
  }
  if (m_sh_busy && m_sh_wait != 0) ++m_drain_fill;
  if (ready0 && m_dq_gap != 0) {
    ++m_drain_gap;
  } else if (ready0 && m_sh_last && m_ob_res) {
    ++m_drain_wait_out;
  }
  if (m_ob_busy && !o_ready) ++m_out_stall;

  // Datapath first (it reads the pre-edge control state), then the control registers.
  if (drain) {
    ++m_drain_busy;
    m_dequants += static_cast<uint64_t>(cols);
    float* out = &m_out[static_cast<size_t>(m_dr) * cols];
    drain_row(m_dr, out, m_res.data());
    if (m_sh_last) {
      float* ob = &m_ob[static_cast<size_t>(m_dr) * cols];
      for (int c = 0; c < cols; ++c) {
        ob[c] = m_res[c];
        out[c] = 0.0f;
      }
    } else {
      std::copy(m_res.begin(), m_res.end(), out);
    }
  }
  if (step_fire) {
    ++m_steps;
    // An FP4 code enters the datapath as a 5-bit integer (2v on mac, 2v + 16 on mixpe's
    // shift&add): the energy model prices such a step as a 5-bit one (docs/fp-weights.md).
    m_step_bits += static_cast<uint64_t>(weight_codec_is_fp4(m_codec) ? kFp4Planes : m_bits);
    step(gl);
  }

  // Pipeline counters (decremented before this edge's loads, as the RTL's always_comb defaults).
  if (m_sh_busy && m_sh_wait != 0) --m_sh_wait;
  if (m_dq_gap != 0) --m_dq_gap;
  if (m_ob_pend) {
    if (m_ob_wait == 1) {
      m_ob_pend = false;
      m_ob_busy = true;
    }
    --m_ob_wait;
  }

  if (t_fire) {
    ++m_tiles;
    m_act = true;
    m_fp16 = t_in.fp16 && m_p.fp16;
    m_kind = t_in.kind;
    m_bits = t_in.bits;
    m_codec = weight_codec_from_pin(static_cast<uint32_t>(t_in.wfp));
    m_klen = t_in.k;
    m_glen = t_in.group;
    m_k = m_kg = 0;
    std::copy(t_in.act_scale.begin(), t_in.act_scale.end(), m_ascale.begin());
  }
  const int head = m_gf_rd;
  if (g_fire) {
    std::copy(g_scale_in.begin(), g_scale_in.end(), m_gf_scale[m_gf_wr].begin());
    std::copy(g_zero_in.begin(), g_zero_in.end(), m_gf_zero[m_gf_wr].begin());
    m_gf_wr ^= 1;
  }
  m_gf_cnt += (g_fire ? 1 : 0) - (pop ? 1 : 0);
  if (step_fire) {
    ++m_k;
    m_kg = gl ? 0 : m_kg + 1;
    if (tile_last) m_act = false;
    if (gl) {
      ++m_groups;
      m_gf_rd ^= 1;
      m_sh_busy = true;
      m_sh_wait = m_lat.fill;
      m_sh_last = tile_last;
      m_sh_fp16 = m_fp16;
      m_sh_kind = m_kind;
      m_sh_bits = m_bits;
      m_sh_codec = m_codec;
      m_sh_scale = m_gf_scale[head];
      m_sh_zero = m_gf_zero[head];
      if (tile_last) m_sh_ascale = m_ascale;
    }
  }
  if (drain_start) {
    m_dq_gap = m_lat.gap;
    if (m_sh_last) m_ob_res = true;
  }
  if (drain) {
    // drain and a shadow load never share an edge: the load needs the shadow empty.
    const bool was_last = m_sh_last;
    m_dr = drain_end ? 0 : m_dr + 1;
    if (drain_end) {
      m_sh_busy = false;
      if (was_last) {
        m_ob_ascale = m_sh_ascale;
        m_or = 0;
        if (m_lat.drain == 0) {
          m_ob_busy = true;
        } else {
          m_ob_pend = true;
          m_ob_wait = m_lat.drain;
        }
      }
    }
  }
  if (o_fire) {
    ++m_out_beats;
    if (m_or == rows - 1) {
      m_or = 0;
      m_ob_busy = false;
      m_ob_res = false;
    } else {
      ++m_or;
    }
  }
  if (drain || o_fire) ++m_out_gen;
}

uint64_t PeArrayCore::isolated_tile_cycles(int rows, int k, int group, PeArrayLatency lat) {
  return tile_events(rows, k, group, lat, 1).done[0];
}

uint64_t PeArrayCore::streaming_tile_period(int rows, int k, int group, PeArrayLatency lat) {
  // Identical tiles reach their steady state within a few tiles (each depends on the previous
  // one's last drain and output only).
  constexpr int kTiles = 8;
  const TileEvents ev = tile_events(rows, k, group, lat, kTiles);
  return ev.done[kTiles - 1] - ev.done[kTiles - 2];
}

}  // namespace lowbit
