// Instruction builders shared by the code generators of the top (compiler.cpp: the linear
// layers; attention_compiler.cpp: a decode token's attention): alignment of buffer regions,
// semaphore bit masks and the DMA instructions (fields as in docs/isa.md).
#pragma once

#include <cstdint>

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

/// A store always reads the out buffer.
inline isa::Instruction store(uint64_t rows, uint64_t sram, uint64_t dram, uint64_t bytes,
                              uint64_t wait, uint64_t signal) {
  isa::Instruction i = load(isa::Buffer::kOut, rows, sram, dram, bytes, wait, signal);
  i.op = isa::Opcode::kStore;
  return i;
}

}  // namespace lowbit::codegen
