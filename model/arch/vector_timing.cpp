// Operator-level timing of the vector unit and the KV stream (vector_timing.h).
#include "model/arch/vector_timing.h"

#include <algorithm>
#include <cmath>

namespace lowbit {

VectorTiming vector_timing(const VectorParams& p, const BlockWork& work,
                           double dram_bytes_per_cycle) {
  VectorTiming t;
  for (int i = 0; i < kVectorOps; ++i) {
    t.op_cycles[i] = std::ceil(static_cast<double>(work.elements[i]) / p.lanes) +
                     static_cast<double>(work.invocations[i]) * p.latency(i);
  }
  t.kv_cycles =
      static_cast<double>(work.kv_read_bytes + work.kv_write_bytes) / dram_bytes_per_cycle;
  const double attention = t.op_cycles[static_cast<int>(VectorOp::kScores)] +
                           t.op_cycles[static_cast<int>(VectorOp::kSoftmax)] +
                           t.op_cycles[static_cast<int>(VectorOp::kContext)];
  t.attention_cycles = std::max(t.kv_cycles, attention);
  t.total_cycles = t.attention_cycles;
  for (int i = 0; i < kVectorOps; ++i) {
    const auto op = static_cast<VectorOp>(i);
    if (op != VectorOp::kScores && op != VectorOp::kSoftmax && op != VectorOp::kContext) {
      t.total_cycles += t.op_cycles[i];
    }
  }
  return t;
}

}  // namespace lowbit
