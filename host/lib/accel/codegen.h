// Instruction builders shared by the code generators of the top (compiler.cpp: the linear
// layers; attention_compiler.cpp: a decode token's attention; block_vector_compiler.cpp: a
// block's other vector operators): alignment of buffer regions, semaphore bit masks, the DMA
// and vector instructions (fields as in docs/isa.md).
#pragma once

#include <cstdint>
#include <vector>

#include "model/isa/isa.h"

namespace lowbit::codegen {

/// Every buffer region and DRAM tensor starts on a 64-byte boundary.
inline constexpr uint64_t kAlign = 64;
inline uint64_t align_up(uint64_t x) { return (x + kAlign - 1) / kAlign * kAlign; }
/// The wait / signal mask of semaphore `s`.
inline uint64_t bit(int s) { return uint64_t{1} << s; }

inline isa::Instruction load(isa::Buffer buf, uint64_t rows, uint64_t sram, uint64_t dram,
                             uint64_t bytes, uint64_t wait, uint64_t signal) {
  isa::Instruction i;
  i.op = isa::Opcode::kLoad;
  i.buf = static_cast<uint64_t>(buf);
  i.rows = rows;
  i.sram = sram;
  i.dram = dram;
  i.bytes = bytes;
  i.wait = wait;
  i.signal = signal;
  return i;
}

/// A store reads the out buffer (results) or, for rows the vector unit requantized, the act buffer.
inline isa::Instruction store(uint64_t rows, uint64_t sram, uint64_t dram, uint64_t bytes,
                              uint64_t wait, uint64_t signal,
                              isa::Buffer from = isa::Buffer::kOut) {
  isa::Instruction i = load(from, rows, sram, dram, bytes, wait, signal);
  i.op = isa::Opcode::kStore;
  return i;
}

/// A `vec` of vector-unit operator `vop` (VectorOp order, or isa::kVopKvStore).
inline isa::Instruction vec(uint64_t vop, uint64_t len, uint64_t passes, uint64_t x, uint64_t y,
                            uint64_t z, bool acc, uint64_t wait, uint64_t signal) {
  isa::Instruction i;
  i.op = isa::Opcode::kVec;
  i.vop = vop;
  i.len = len;
  i.passes = passes;
  i.x = x;
  i.y = y;
  i.z = z;
  i.acc = acc ? 1 : 0;
  i.wait = wait;
  i.signal = signal;
  return i;
}

/// The `vcfg` of an attention program: head dimension, KV-cache storage and query heads per KV
/// head (FP32 rows in, no requantization, no RMSNorm).
inline isa::Instruction vcfg_attention(uint64_t head_dim, uint64_t kv_format, uint64_t kv_group,
                                       uint64_t qpk) {
  isa::Instruction i;
  i.op = isa::Opcode::kVcfg;
  i.hd = head_dim;
  i.kvfmt = kv_format;
  i.kvgroup = kv_group;
  i.qpk = qpk;
  i.afmt = 0;
  i.eps = 0;  // FP32 bits of 0.0f
  return i;
}

/// Ends a program: `halt`, then every instruction encoded once at its address (the encoder is
/// where an out-of-range field would throw).
inline void finish(std::vector<isa::Instruction>& code) {
  isa::Instruction halt;
  halt.op = isa::Opcode::kHalt;
  code.push_back(halt);
  for (size_t i = 0; i < code.size(); ++i) (void)isa::encode(code[i], i * isa::kInstructionBytes);
}

}  // namespace lowbit::codegen
