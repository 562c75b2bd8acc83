// The vector unit's lane issue and pipelines (vector_unit.h).
#include "sim/top/vector_unit.h"

#include <string>

namespace lowbit {

VectorUnit::VectorUnit(const VectorParams& p, StatGroup& stats)
    : m_p(p),
      m_lane_ops(stats.counter("lane_ops", "FP32 lane operations issued", "operations")),
      m_passes(stats.counter("passes", "operator passes (rows or heads), each paying its latency",
                             "passes")) {
  for (size_t i = 0; i < m_op_cycles.size(); ++i) {
    m_op_cycles[i] = &stats.counter(
        std::string(isa::vector_op_symbols()[i]) + "_cycles",
        "cycles of this operator's vec instructions (lane groups + pipeline latencies)", "cycles");
  }
}

void VectorUnit::configure(const isa::Instruction& in, uint64_t address) {
  vector_configure(in, m_state, address);
}

void VectorUnit::begin(const isa::Instruction& in, const VectorBuffers& b, uint64_t address) {
  vector_check(in, m_state, b, address);
  m_in = in;
  m_buf = b;
  m_issued = 0;
}

uint64_t VectorUnit::run_pass(uint64_t pass) {
  const uint64_t ops = vector_pass_lane_ops(m_in, m_state);
  const uint64_t lanes = static_cast<uint64_t>(m_p.lanes);
  // Lane groups completed by this pass: the stream's groups after it minus those before it (a
  // group shared with the previous pass was counted there).
  const uint64_t groups_before = (m_issued + lanes - 1) / lanes;
  m_issued += ops;
  const uint64_t groups_after = (m_issued + lanes - 1) / lanes;
  const uint64_t cycles =
      groups_after - groups_before +
      static_cast<uint64_t>(m_p.latency(static_cast<int>(
          m_in.vop == isa::kVopKvStore ? static_cast<uint64_t>(VectorOp::kRequant) : m_in.vop)));
  vector_run_pass(m_in, m_state, m_buf, pass);
  m_lane_ops += ops;
  ++m_passes;
  *m_op_cycles[m_in.vop] += cycles;
  return cycles;
}

}  // namespace lowbit
