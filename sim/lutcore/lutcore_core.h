// Cycle-exact behaviour of the lutcore tile as plain C++ (the SystemC module wraps it in one
// clocked process; this class holds all state and the tight per-cycle loops).
#pragma once

#include <cstdint>
#include <vector>

#include "model/arch/lutcore/lutcore_params.h"
#include "sim/common/stats.h"

namespace lowbit {

/// The tile's static config port (values as on the cfg_* pins; see docs/lutcore.md).
struct LutcoreCfg {
  bool act_fp16 = false;
  int kind = 2;  ///< 0 binary, 1 ternary, 2 signed, 3 unsigned (WeightKind order)
  int bits = 4;  ///< weight bits b = bit-planes per beat
  int group_tiles = 1;
  int groups = 1;
  /// cfg_wfp_i: 0 integer codes (kind, bits); 1 FP4 E2M1 codes with FP16 group scales; 2 (and 3)
  /// MXFP4: E2M1 codes with the E8M0 block scale in the low byte of the scale field
  /// (docs/fp-weights.md). FP4 ignores kind and bits and walks kFp4Planes planes.
  int wfp = 0;
  /// Bit-planes the array walks per beat.
  int planes() const { return wfp != 0 ? 5 : bits; }
};

/// One input beat, decoded from the in_* pins.
struct LutcoreBeat {
  std::vector<uint16_t> act;  ///< [m][k] INT8 code in the low byte, or FP16 bits
  bool reuse_table = false;
  std::vector<uint8_t> idx;         ///< [plane 0..3][n][k/g] g-bit table index
  std::vector<uint16_t> scale;      ///< [n] FP16
  std::vector<uint8_t> zero;        ///< [n]
  std::vector<uint32_t> act_scale;  ///< [m] FP32 bits

  explicit LutcoreBeat(const LutcoreParams& p);
};

/// What it models: lutcore_tile.sv register for register (stages A, C, D and the array's
/// accumulators). Call in_ready()/out_valid()/out_data() for the pins, then clock() once per edge.
class LutcoreCore {
 public:
  LutcoreCore(const LutcoreParams& params, StatGroup& stats);

  void reset();
  /// in_ready_o for the current state and out_ready_i.
  bool in_ready(const LutcoreCfg& cfg, bool out_ready) const;
  bool out_valid() const { return m_d_valid; }
  /// out_data_o: [m][n] FP32 bit patterns.
  const std::vector<uint32_t>& out_data() const { return m_d_data; }
  /// Increments whenever the output register loads a new block (lets pins update lazily).
  uint64_t out_generation() const { return m_d_generation; }
  /// One rising clock edge. `beat` is read only when the beat is accepted
  /// (in_valid && in_ready(cfg, out_ready)).
  void clock(const LutcoreCfg& cfg, bool in_valid, bool out_ready, const LutcoreBeat& beat);

  const LutcoreParams& params() const { return m_p; }

  /// FP16/INT8 activation lane to exact signed fixed point (lut_act_fixed.sv).
  static int64_t act_fixed(uint16_t a, bool fp16) {
    if (!fp16) return static_cast<int8_t>(a & 0xFF);
    const int exp = (a >> 10) & 0x1F;
    const uint64_t frac = a & 0x3FF;
    const uint64_t mag =
        exp == 0 ? frac : (((frac | 0x400) << (exp - 1)) & ((uint64_t{1} << 40) - 1));
    return (a & 0x8000) ? -static_cast<int64_t>(mag) : static_cast<int64_t>(mag);
  }

 private:
  int64_t wrap(int64_t x) const {
    return m_p.acc_bits() == 64 ? x : static_cast<int32_t>(static_cast<uint32_t>(x));
  }
  /// The array's accumulate of plane m_plane (table indices `idx`, [n][t]) for every row; skips
  /// rows whose tables are zero.
  void walk_plane(const uint8_t* idx);
  /// c_fire of lutcore_tile.sv for the current registers and out_ready_i.
  bool c_fire(bool out_ready) const;
  void load_tables(const LutcoreCfg& cfg, const LutcoreBeat& beat);
  void dequant_chunk(const LutcoreCfg& cfg);
  /// Fills the per-column dequant constants (m_col_*) from the stage C registers and the pins.
  void dequant_columns(const LutcoreCfg& cfg);

  LutcoreParams m_p;
  /// m_e = 2^(g-1), half of m_lut's expanded 2^g-entry tables (whatever the RTL stores: both
  /// layouts hold the same values, so the model is the same for lutcore.symmetric on and off).
  int m_t, m_e, m_chunks_per_row;

  // Stage A.
  bool m_a_valid = false;
  int m_plane = 0;
  std::vector<int64_t> m_lut;  ///< [m][t][2^g] both table halves expanded (T[~i] = -T[i])
  std::vector<int64_t> m_rowsum;
  /// Row i's tables are all zero (a zero activation row, e.g. op-row padding at M = 1): its
  /// lookups add 0 to accumulators that already hold wrapped values, so walk_plane skips the row
  /// unless m_full_walk (LOWBIT_SIM_FULL=1: every lookup done, for the test that compares).
  std::vector<uint8_t> m_row_zero;
  bool m_full_walk = false;
  std::vector<uint8_t> m_idx;
  std::vector<uint8_t> m_fp_idx;  ///< FP4 beats: the 5 planes of 2v + 16 (lutcore_fp4.h)
  std::vector<uint16_t> m_scale;
  std::vector<uint8_t> m_zero;
  std::vector<uint32_t> m_act_scale;
  bool m_a_group_end = false, m_a_last = false;
  std::vector<int64_t> m_lanes;  ///< load_tables' scratch: one row's fixed-point lanes
  int m_beat_cnt = 0, m_group_cnt = 0;
  std::vector<int64_t> m_suma;
  std::vector<int64_t> m_acc;  ///< the array's [m][n] accumulators
  // Stage C.
  bool m_c_valid = false, m_c_last = false;
  int m_c_row = 0, m_c_col = 0;  ///< next chunk the dequant stage processes
  std::vector<int64_t> m_c_acc, m_c_suma;
  std::vector<uint16_t> m_c_scale;
  std::vector<uint8_t> m_c_zero;
  std::vector<uint32_t> m_c_act_scale;
  std::vector<float> m_out;  ///< dequant's FP32 output accumulators
  int m_c_since = 0;         ///< cycles since the last group's dequant started (saturating)
  /// Bumped whenever stage C's scale / zero registers change (a group moves in, reset).
  uint64_t m_c_serial = 0;
  /// Per-column dequant constants of stage C's group, valid while m_col_key matches
  /// {m_c_serial, wfp, kind, planes}: c, whether S = (acc' + c sum(a)) / 2, the FP32 scale.
  struct ColKey {
    uint64_t serial = ~uint64_t{0};
    int wfp = -1, kind = -1, planes = -1;
    bool operator==(const ColKey&) const = default;
  };
  ColKey m_col_key;
  std::vector<int64_t> m_col_c;
  std::vector<uint8_t> m_col_halve;
  std::vector<float> m_col_scale;
  bool m_c_wait = false;  ///< array_stages = 1: the group's acc' arrives in stage C next cycle
  // A finished block in the dequant pipeline: its O lands in the output register at the end of
  // cycle m_land_cycle (dequant_latency() cycles after its final chunk started).
  bool m_land_pending = false;
  uint64_t m_land_cycle = 0;
  std::vector<uint32_t> m_land_data;
  uint64_t m_now = 0;  ///< clock edges since reset
  // Stage D.
  bool m_d_valid = false;
  bool m_d_busy = false;  ///< reserved by a block's last group until the block is taken
  std::vector<uint32_t> m_d_data;
  uint64_t m_d_generation = 0;

  // Statistics (references stay valid for the StatGroup's lifetime).
  uint64_t& m_cycles;
  uint64_t& m_busy;
  uint64_t& m_stall_empty;
  uint64_t& m_stall_dequant;
  uint64_t& m_stall_output;
  uint64_t& m_beats;
  uint64_t& m_blocks;
  uint64_t& m_precomputes;
  uint64_t& m_reloads;
  uint64_t& m_reuses;
  uint64_t& m_lookups;
  uint64_t& m_planes;
  uint64_t& m_groups;
  uint64_t& m_dequants;
};

}  // namespace lowbit
