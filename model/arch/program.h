// What the accelerator runs: an instruction stream and the DRAM image it reads and writes.
#pragma once

#include <cstdint>
#include <vector>

#include "model/isa/isa.h"

namespace lowbit {

/// A program for the accelerator top (docs/isa.md) and its initial DRAM contents (byte i of `dram`
/// is DRAM address i). The compiler (host/lib/compiler) makes both.
struct Program {
  std::vector<isa::Instruction> code;
  std::vector<uint8_t> dram;
};

}  // namespace lowbit
