// The vector / special-function unit of the accelerator top (docs/decoder.md, docs/isa.md
// "vcfg / vec"): `vector.lanes` FP32 lanes and the `vector.latency.<op>` pipelines.
#pragma once

#include <array>
#include <cstdint>

#include "model/arch/vector_params.h"
#include "model/isa/isa.h"
#include "model/kernels/decoder_block.h"
#include "model/kernels/vector_exec.h"
#include "sim/common/stats.h"

namespace lowbit {

/// What it models: the lane issue and pipeline timing of the vector unit, one `vec` at a time.
/// A `vec`'s lane operations (vector_pass_lane_ops per pass) issue `lanes` per cycle as one
/// stream, packed across pass boundaries; after a pass's last lane group the next pass waits the
/// operator's pipeline latency (its reduction / dependent phase: sum of squares before the scale,
/// max before exp, the dot product's tree), so a `vec` takes ceil(lane ops / lanes) + passes x
/// latency cycles, the operator-level formula (vector_timing.h). Each pass's results are computed
/// by the shared functional definition (vector_exec.h, the FP32 kernels of vector_ops.h) and
/// written to the buffers when the pass completes. The AccelTop thread waits the cycles this
/// returns, so the load, store and core units run meanwhile; semaphores order them.
class VectorUnit {
 public:
  VectorUnit(const VectorParams& p, StatGroup& stats);

  void configure(const isa::Instruction& in, uint64_t address);
  /// Checks a `vec` (illegal -> isa::IllegalInstruction naming address and field) and starts it.
  void begin(const isa::Instruction& in, const VectorBuffers& b, uint64_t address);
  /// Runs pass `pass` of the started `vec`: returns its cycles (lane groups it completes + the
  /// latency) and writes its results.
  uint64_t run_pass(uint64_t pass);

 private:
  VectorParams m_p;
  VectorUnitState m_state;
  isa::Instruction m_in;
  VectorBuffers m_buf;
  uint64_t m_issued = 0;  ///< lane operations of the current vec issued so far
  uint64_t& m_lane_ops;
  uint64_t& m_passes;
  std::array<uint64_t*, kVectorOps + 1> m_op_cycles{};  // the operators, then kvstore
};

}  // namespace lowbit
