// The timing of a compute unit's output blocks in closed form: what the units' cycle models
// follow (sim/), stated once so the analytic tier (docs/analytic.md) reuses it.
#pragma once

#include <cstdint>
#include <vector>

namespace lowbit {

/// Pipeline latencies of a PE array (lb_pe_array_ctrl's FillLat, DqLat, DqGap; 0 = unpipelined).
struct PeArrayLatency {
  int fill = 0;  ///< a group's last step -> its shadows complete (systolic hops, PE and input regs)
  int drain = 0;  ///< the drain's read of a row -> the write of its result
  int gap = 0;    ///< running results read -> written (consecutive drains start >= gap + 1 apart)
};

/// The edges (cycles after the first tile's t handshake) of each of `tiles` identical PE-array
/// tiles' t handshake and last o handshake when they stream without stalls: the control's
/// recursion (lb_pe_array_ctrl), one step per cycle.
struct PeArrayTileEvents {
  std::vector<uint64_t> t_fire, done;
};
PeArrayTileEvents pe_array_tile_events(int rows, int k, int group, PeArrayLatency lat, int tiles);

/// How a unit's output blocks are timed (IUnitSpec::core_timing).
struct CoreTiming {
  enum class Kind {
    /// An R x C output-stationary PE array (the PE-array units): one step per beat, a group's
    /// drain after its last step (pe_array_tile_events).
    kPeArray,
    /// The LUT tile pipeline (the LUT unit's "Cycle formula"): a beat per `bits` cycles,
    /// P = max(gt x b, Q + A, spacing) cycles per group, the block out Q + Ldq + 1 after.
    kLutPipeline,
  };
  Kind kind = Kind::kPeArray;
  int rows = 1;            ///< kPeArray: R (the drain reads R rows)
  PeArrayLatency latency;  ///< kPeArray
  int q = 0;               ///< kLutPipeline: dequant chunks per group (m x n / dequant_lanes)
  int ldq = 0;             ///< kLutPipeline: a chunk's dequant latency
  int array_stages = 0;    ///< kLutPipeline: A
  int group_spacing = 1;   ///< kLutPipeline: min(S, 6) + 1
};

}  // namespace lowbit
