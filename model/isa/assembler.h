// Text assembly for the ISA: `lowbit asm` / `lowbit disasm` (syntax in docs/isa.md).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/isa/isa.h"

namespace lowbit::isa {

/// Assembles one instruction per line ("ld buf=weight rows=64 ... signal=s0"; '#' starts a
/// comment). Every field of the opcode except wait/signal and flags must be given. Errors throw
/// IllegalInstruction "<origin>:<line>: field '<name>': <problem>; allowed: ...".
std::vector<Instruction> assemble(std::string_view text, const std::string& origin);

/// One instruction in canonical assembly (fields in table order; addresses in hex).
std::string format_instruction(const Instruction& in);
/// A whole program, one line each, with "# 0x<address>" comments when with_addresses.
std::string disassemble(std::span<const Instruction> program, bool with_addresses = true);

/// Markdown table of every opcode's fields and bit positions (generated into docs/isa.md).
std::string field_table_markdown();

}  // namespace lowbit::isa
