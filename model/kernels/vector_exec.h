// What the vector unit's instructions compute (docs/isa.md, "vcfg / vec"): the one functional
// definition of `vcfg` and `vec`, shared by the golden ISA interpreter and the SystemC vector
// unit (sim/top/vector_unit.h), which adds the timing. Every operator is one of the FP32 kernels
// of vector_ops.h applied to the operands in the on-chip buffers, pass by pass.
#pragma once

#include <cstdint>
#include <span>

#include "model/isa/isa.h"
#include "model/kernels/vector_ops.h"
#include "model/quant/kv_quant.h"
#include "model/quant/tensors.h"

namespace lowbit {

/// The vector unit's configuration, set by `vcfg`.
struct VectorUnitState {
  bool configured = false;
  int head_dim = 0;
  KvCacheSpec kv;
  int q_per_kv = 1;  ///< query heads per KV head (GQA)
  ActFormat act_format = ActFormat::kInt8;
  float eps = 0.0f;
  GateAct gate_act = GateAct::kSilu;  ///< what silu_gate applies to the gate (vcfg `gact`)
};

/// The buffers a `vec` reads and writes: FP32 operands, the KV cache and gains / rotary tables in
/// `out`; requantized codes and row scales in `act`.
struct VectorBuffers {
  std::span<uint8_t> out;
  std::span<uint8_t> act;
};

/// Applies a `vcfg`; throws IllegalInstruction naming the address and field when the KV group
/// does not divide the head dimension, or the head dimension is odd (rotary pairs halves).
void vector_configure(const isa::Instruction& in, VectorUnitState& st, uint64_t address);

/// Checks a `vec` against the state and the buffers (a vcfg first; every operand inside its
/// buffer; len a multiple of the head dimension for rotary); throws IllegalInstruction naming
/// the address and field.
void vector_check(const isa::Instruction& in, const VectorUnitState& st, const VectorBuffers& b,
                  uint64_t address);

/// Lane operations of one pass (the operator-level model's count, docs/decoder.md): rmsnorm
/// 2 len, softmax 3 len, scores and context len x head_dim, the others (and kvstore) len.
uint64_t vector_pass_lane_ops(const isa::Instruction& in, const VectorUnitState& st);

/// Executes pass `pass` (0 .. passes - 1) of a checked `vec`.
void vector_run_pass(const isa::Instruction& in, const VectorUnitState& st, VectorBuffers b,
                     uint64_t pass);

}  // namespace lowbit
