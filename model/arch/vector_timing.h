// Timing of the vector unit and the KV-cache traffic of decoder blocks (docs/decoder.md): an
// operator-level model, cycles = ceil(lane operations / lanes) + passes x the operator's
// latency; the KV stream overlaps the attention operators that consume it.
#pragma once

#include <array>
#include <cstdint>

#include "model/arch/vector_params.h"
#include "model/kernels/decoder_block.h"

namespace lowbit {

struct VectorTiming {
  std::array<double, kVectorOps> op_cycles{};  ///< per operator class, VectorOp order
  double kv_cycles = 0;         ///< KV read + write bytes at the deliverable DRAM bandwidth
  double attention_cycles = 0;  ///< max(KV stream, scores + softmax + context)
  double total_cycles = 0;      ///< the other operators + attention_cycles
};

/// `dram_bytes_per_cycle`: what the memory system delivers (memory_bandwidth(top).deliverable).
VectorTiming vector_timing(const VectorParams& p, const BlockWork& work,
                           double dram_bytes_per_cycle);

}  // namespace lowbit
