// Cycle-exact lutcore tile behaviour: the same registers and next-state rules as lutcore_tile.sv.
#include "sim/lutcore/lutcore_core.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "model/formats/fp16.h"
#include "model/formats/weight_kind.h"
#include "model/quant/tensors.h"
#include "sim/common/full_run.h"
#include "sim/lutcore/lutcore_fp4.h"
#include "sim/lutcore/lutcore_walk.h"

namespace lowbit {

namespace {

// The RTL's FP units return the canonical quiet NaN; the host FPU may not.
inline float canon(float x) { return std::isnan(x) ? std::bit_cast<float>(0x7FC00000u) : x; }

}  // namespace

LutcoreBeat::LutcoreBeat(const LutcoreParams& p)
    : act(static_cast<size_t>(p.m) * p.k),
      idx(static_cast<size_t>(4) * p.n * p.tables_per_row()),
      scale(p.n),
      zero(p.n),
      act_scale(p.m) {}

LutcoreCore::LutcoreCore(const LutcoreParams& params, StatGroup& stats)
    : m_p(params),
      m_t(params.tables_per_row()),
      m_e(1 << (params.g - 1)),
      m_chunks_per_row(params.n / params.dequant_lanes),
      m_cycles(stats.counter("cycles", "clock cycles out of reset", "cycles")),
      m_busy(stats.counter("busy_cycles", "cycles the array walked a bit-plane", "cycles")),
      m_stall_empty(stats.counter("stall_no_input_cycles",
                                  "array idle: no input beat held (input starved)", "cycles")),
      m_stall_dequant(stats.counter("stall_dequant_cycles",
                                    "array held: a finished group waits for the dequant stage",
                                    "cycles")),
      m_stall_output(stats.counter("stall_output_cycles",
                                   "output register full and out_ready_i low", "cycles")),
      m_beats(stats.child("io").counter("beats_in", "input beats accepted")),
      m_blocks(stats.child("io").counter("blocks_out", "output blocks delivered")),
      m_precomputes(stats.child("precompute").counter("tables", "tables precomputed")),
      m_reloads(stats.child("precompute").counter("table_reloads", "beats that loaded new tables")),
      m_reuses(
          stats.child("precompute").counter("table_reuses", "beats that reused the held tables")),
      m_lookups(stats.child("array").counter("lookups", "table lookups (one per lane and table)")),
      m_planes(stats.child("array").counter("planes", "bit-planes walked")),
      m_groups(stats.child("dequant").counter("groups", "weight groups dequantized")),
      m_dequants(
          stats.child("dequant").counter("dequants", "per-lane FP32 group dequantizations")) {
  const size_t mn = static_cast<size_t>(m_p.m) * m_p.n;
  m_lut.assign(static_cast<size_t>(m_p.m) * m_t * (2 * m_e), 0);
  m_rowsum.assign(m_p.m, 0);
  m_row_zero.assign(m_p.m, 0);
  m_full_walk = sim_full_run();
  m_idx.assign(static_cast<size_t>(4) * m_p.n * m_t, 0);
  m_fp_idx.assign(static_cast<size_t>(kFp4Planes) * m_p.n * m_t, 0);
  m_scale.assign(m_p.n, 0);
  m_zero.assign(m_p.n, 0);
  m_act_scale.assign(m_p.m, 0);
  m_suma.assign(m_p.m, 0);
  m_acc.assign(mn, 0);
  m_c_acc.assign(mn, 0);
  m_c_suma.assign(m_p.m, 0);
  m_c_scale.assign(m_p.n, 0);
  m_c_zero.assign(m_p.n, 0);
  m_c_act_scale.assign(m_p.m, 0);
  m_out.assign(mn, 0.0f);
  m_d_data.assign(mn, 0);
  m_land_data.assign(mn, 0);
  m_c_since = m_p.dequant_group_spacing();
  m_lanes.assign(m_p.k, 0);
  m_col_c.assign(m_p.n, 0);
  m_col_halve.assign(m_p.n, 0);
  m_col_scale.assign(m_p.n, 0.0f);
}

void LutcoreCore::reset() {
  m_a_valid = m_a_group_end = m_a_last = m_c_valid = m_c_last = m_d_valid = false;
  m_d_busy = m_land_pending = m_c_wait = false;
  m_land_cycle = m_now = 0;
  m_c_since = m_p.dequant_group_spacing();
  m_plane = m_beat_cnt = m_group_cnt = m_c_row = m_c_col = 0;
  for (auto* v : {&m_lut, &m_rowsum, &m_suma, &m_acc, &m_c_acc, &m_c_suma}) {
    std::fill(v->begin(), v->end(), 0);
  }
  std::fill(m_row_zero.begin(), m_row_zero.end(), 0);
  std::fill(m_idx.begin(), m_idx.end(), 0);
  std::fill(m_fp_idx.begin(), m_fp_idx.end(), 0);
  std::fill(m_scale.begin(), m_scale.end(), 0);
  std::fill(m_zero.begin(), m_zero.end(), 0);
  std::fill(m_act_scale.begin(), m_act_scale.end(), 0);
  std::fill(m_c_scale.begin(), m_c_scale.end(), 0);
  std::fill(m_c_zero.begin(), m_c_zero.end(), 0);
  std::fill(m_c_act_scale.begin(), m_c_act_scale.end(), 0);
  std::fill(m_out.begin(), m_out.end(), 0.0f);
  std::fill(m_d_data.begin(), m_d_data.end(), 0);
  ++m_d_generation;
  ++m_c_serial;  // the stage C registers were cleared: the column cache is stale
}

bool LutcoreCore::c_fire(bool out_ready) const {
  // The output register is reserved from the first chunk of a block's last group until the block
  // is taken; consecutive groups start dequant_group_spacing() cycles apart at least.
  const bool d_free = !m_d_busy || (m_d_valid && out_ready);
  const bool c_start = m_c_row == 0 && m_c_col == 0;
  const bool space_ok = m_c_since >= m_p.dequant_group_spacing();
  return m_c_valid && !m_c_wait && (!c_start || (space_ok && (!m_c_last || d_free)));
}

bool LutcoreCore::in_ready(const LutcoreCfg& cfg, bool out_ready) const {
  if (!m_a_valid) return true;
  if (m_plane != cfg.planes() - 1) return false;
  if (!m_a_group_end) return true;
  const bool c_final = m_c_row == m_p.m - 1 && m_c_col == m_chunks_per_row - 1;
  return !m_c_valid || (c_fire(out_ready) && c_final);
}

// One row's tables for g = G from its exact fixed-point lanes ([t][G]): entry r | 2^(G-1) is
// lane[G-1] + sum of +-lane[kk] (+ where bit kk of r is set), its mirror the negation.
template <int G>
void build_row_tables(const int64_t* lanes, int tables, int64_t* lut) {
  constexpr int kE = 1 << (G - 1);
  for (int t = 0; t < tables; ++t, lanes += G, lut += 2 * kE) {
    for (int r = 0; r < kE; ++r) {
      int64_t s = lanes[G - 1];
      for (int kk = 0; kk < G - 1; ++kk) s += ((r >> kk) & 1) ? lanes[kk] : -lanes[kk];
      lut[r | kE] = s;            // stored entry r = T[r | 2^(G-1)]
      lut[(~r) & (kE - 1)] = -s;  // mirrored half: T[~idx] = -T[idx]
    }
  }
}

void LutcoreCore::load_tables(const LutcoreCfg& cfg, const LutcoreBeat& beat) {
  const bool fp16 = m_p.fp16 && cfg.act_fp16;
  const int k = m_p.k;
  const size_t full = static_cast<size_t>(2 * m_e);
  int64_t* lanes = m_lanes.data();
  for (int i = 0; i < m_p.m; ++i) {
    const uint16_t* a = &beat.act[static_cast<size_t>(i) * k];
    bool zero = true;
    for (int l = 0; l < k; ++l) {
      lanes[l] = act_fixed(a[l], fp16);
      zero = zero && lanes[l] == 0;
    }
    // A zero row whose tables are already zero (m_row_zero) would write the same zeros again.
    if (zero && m_row_zero[i] && !m_full_walk) continue;
    int64_t* lut = &m_lut[static_cast<size_t>(i) * m_t * full];
    switch (m_p.g) {
      case 2:
        build_row_tables<2>(lanes, m_t, lut);
        break;
      case 3:
        build_row_tables<3>(lanes, m_t, lut);
        break;
      default:
        build_row_tables<4>(lanes, m_t, lut);
        break;
    }
    m_row_zero[i] = zero ? 1 : 0;  // every entry is a signed sum of the row's lanes
  }
}

void LutcoreCore::walk_plane(const uint8_t* idx) {
  const int n = m_p.n;
  const int full = 2 * m_e;
  for (int i = 0; i < m_p.m; ++i) {
    if (m_row_zero[i] && !m_full_walk) continue;
    const int64_t* lut = &m_lut[static_cast<size_t>(i) * m_t * full];
    int64_t* acc = &m_acc[static_cast<size_t>(i) * n];
    if (m_t == 1) {
      lutcore_walk_row(acc, lut, full, idx, n, m_plane, m_p.acc_bits() != 64);
      continue;
    }
    for (int j = 0; j < n; ++j) {
      int64_t sum = 0;
      for (int t = 0; t < m_t; ++t) sum += lut[t * full + idx[j * m_t + t]];
      acc[j] = wrap(static_cast<int64_t>(static_cast<uint64_t>(acc[j]) +
                                         (static_cast<uint64_t>(sum) << m_plane)));
    }
  }
}

void LutcoreCore::dequant_columns(const LutcoreCfg& cfg) {
  // FP4 codes were walked as 5-bit offset binary 2v + 16: the signed kind's c = -1 applies.
  const bool fp4 = cfg.wfp != 0;
  const WeightKind kind =
      fp4 ? WeightKind::kSigned : weight_kind_from_field(static_cast<uint32_t>(cfg.kind));
  const int bits = cfg.planes();
  for (int j = 0; j < m_p.n; ++j) {
    // The array summed q' = 2u - (2^b - 1); w = scale * u - offset (weight_affine). A doubling
    // kind (binary) has w = q', so S = acc'; otherwise S = (acc' + c * sum(a)) / 2 with
    // c = 2^b - 1 - 2 * offset (lut_dequant's c, 10-bit two's complement there).
    const WeightAffine w = weight_affine(kind, bits, m_c_zero[j]);
    m_col_c[j] = ((int64_t{1} << bits) - 1) - 2 * static_cast<int64_t>(w.offset);
    m_col_halve[j] = w.scale != 2 ? 1 : 0;
    m_col_scale[j] =
        canon(fp4 ? lutcore_fp4_scale(cfg.wfp, m_c_scale[j]) : fp16_to_float(m_c_scale[j]));
  }
  m_col_key = {m_c_serial, cfg.wfp, cfg.kind, bits};
}

void LutcoreCore::dequant_chunk(const LutcoreCfg& cfg) {
  const int n = m_p.n;
  const int lanes = m_p.dequant_lanes;
  // 2^-kFp16FixedShift, exact in float.
  constexpr float kActScaleFp16 = 1.0f / static_cast<float>(uint64_t{1} << kFp16FixedShift);
  const bool fp16 = m_p.fp16 && cfg.act_fp16;
  const int i = m_c_row;
  const float as = fp16 ? kActScaleFp16 : std::bit_cast<float>(m_c_act_scale[i]);
  // Each column's c, halving and FP32 scale depend only on the group's scale and zero registers
  // and the cfg pins: computed once per group (and again if the pins change).
  if (m_col_key != ColKey{m_c_serial, cfg.wfp, cfg.kind, cfg.planes()}) dequant_columns(cfg);
  const int64_t suma = m_c_suma[i];
  for (int d = 0; d < lanes; ++d) {
    const int j = m_c_col * lanes + d;
    const size_t l = static_cast<size_t>(i) * n + j;
    int64_t s = m_c_acc[l];
    if (m_col_halve[j]) {
      const uint64_t twice = static_cast<uint64_t>(m_c_acc[l]) +
                             static_cast<uint64_t>(m_col_c[j]) * static_cast<uint64_t>(suma);
      s = wrap(static_cast<int64_t>(twice)) >> 1;
    }
    const float sum = canon(m_out[l] + canon(static_cast<float>(s) * m_col_scale[j]));
    // On the last group the lane's final value is parked in the output accumulator.
    m_out[l] = m_c_last ? canon(sum * as) : sum;
  }
}

void LutcoreCore::clock(const LutcoreCfg& cfg, bool in_valid, bool out_ready,
                        const LutcoreBeat& beat) {
  // Combinational values of this cycle, from the registers (as in lutcore_tile.sv).
  const bool c_final = m_c_row == m_p.m - 1 && m_c_col == m_chunks_per_row - 1;
  const bool c_start = m_c_row == 0 && m_c_col == 0;
  const bool fire = c_fire(out_ready);
  const bool c_done = fire && c_final;
  const bool c_free = !m_c_valid || c_done;
  const bool last_plane = m_plane == cfg.planes() - 1;
  const bool a_adv = m_a_valid && (!(last_plane && m_a_group_end) || c_free);
  const bool a_done = a_adv && last_plane;
  const bool accept = in_valid && (!m_a_valid || a_done);

  ++m_cycles;
  if (a_adv)
    ++m_busy;
  else if (!m_a_valid)
    ++m_stall_empty;
  else
    ++m_stall_dequant;
  if (m_d_valid && !out_ready) ++m_stall_output;

  // Stage D (reads stage C's registers before they change).
  if (m_d_valid && out_ready) {
    ++m_blocks;
    m_d_valid = false;
    m_d_busy = false;
  }
  if (fire && c_start && m_c_last) m_d_busy = true;
  const int spacing = m_p.dequant_group_spacing();
  m_c_since = m_c_since >= spacing ? spacing : m_c_since + 1;
  if (fire && c_start) m_c_since = 1;
  m_c_wait = false;
  if (fire) {
    m_dequants += static_cast<uint64_t>(m_p.dequant_lanes);
    dequant_chunk(cfg);
    if (++m_c_col == m_chunks_per_row) {
      m_c_col = 0;
      ++m_c_row;
    }
    if (c_done) {
      ++m_groups;
      m_c_row = 0;
      m_c_valid = false;
      if (m_c_last) {
        for (size_t l = 0; l < m_out.size(); ++l) {
          m_land_data[l] = std::bit_cast<uint32_t>(m_out[l]);
        }
        std::fill(m_out.begin(), m_out.end(), 0.0f);
        m_land_pending = true;
        m_land_cycle = m_now + static_cast<uint64_t>(m_p.dequant_latency());
      }
    }
  }
  if (m_land_pending && m_land_cycle == m_now) {
    m_d_data.swap(m_land_data);
    m_land_pending = false;
    m_d_valid = true;
    ++m_d_generation;
  }
  ++m_now;

  // The array walks plane m_plane; the group's result moves to stage C on its last plane.
  if (a_adv) {
    ++m_planes;
    m_lookups += static_cast<uint64_t>(m_p.m) * m_p.n * m_t;
    const uint8_t* idx = cfg.wfp != 0 ? &m_fp_idx[static_cast<size_t>(m_plane) * m_p.n * m_t]
                                      : &m_idx[static_cast<size_t>(m_plane) * m_p.n * m_t];
    walk_plane(idx);
    ++m_plane;
    if (a_done) {
      m_a_valid = false;
      m_plane = 0;
      for (int i = 0; i < m_p.m; ++i) m_suma[i] = wrap(m_suma[i] + m_rowsum[i]);
      if (m_a_group_end) {
        m_c_valid = true;
        m_c_wait = m_p.array_stages != 0;
        m_c_last = m_a_last;
        m_c_acc.swap(m_acc);
        std::fill(m_acc.begin(), m_acc.end(), 0);
        m_c_suma.swap(m_suma);
        std::fill(m_suma.begin(), m_suma.end(), 0);
        // Swaps: stage A's scale registers are read again only after a group-end beat loads them.
        m_c_scale.swap(m_scale);
        m_c_zero.swap(m_zero);
        m_c_act_scale.swap(m_act_scale);
        ++m_c_serial;
      }
    }
  }

  if (accept) {
    ++m_beats;
    const bool group_end = m_beat_cnt == cfg.group_tiles - 1;
    m_a_valid = true;
    m_plane = 0;
    m_idx = beat.idx;
    if (cfg.wfp != 0) lutcore_fp4_planes(beat.idx, m_fp_idx, m_p.n, m_t, m_p.g);
    // The RTL loads the scale, zero and act-scale registers on every accepted beat, but they are
    // read only when a group-end beat moves to stage C, and that beat loaded them itself: so the
    // model loads them on group-end beats only (their contents between are never observed).
    if (group_end) {
      m_scale = beat.scale;
      m_zero = beat.zero;
      m_act_scale = beat.act_scale;
    }
    m_a_group_end = group_end;
    m_a_last = group_end && m_group_cnt == cfg.groups - 1;
    if (!beat.reuse_table) {
      ++m_reloads;
      m_precomputes += static_cast<uint64_t>(m_p.m) * m_t;
      load_tables(cfg, beat);
      // sum(a) per row: the all-ones entry of each table, as the RTL reads it.
      const int full = 2 * m_e;
      for (int i = 0; i < m_p.m; ++i) {
        int64_t s = 0;
        for (int t = 0; t < m_t; ++t)
          s += m_lut[(static_cast<size_t>(i) * m_t + t) * full + full - 1];
        m_rowsum[i] = wrap(s);
      }
    } else {
      ++m_reuses;
    }
    if (group_end) {
      m_beat_cnt = 0;
      m_group_cnt = m_a_last ? 0 : m_group_cnt + 1;
    } else {
      ++m_beat_cnt;
    }
  }
}

}  // namespace lowbit
