// `lowbit asm` / `lowbit disasm`: text assembly <-> program binary (docs/isa.md).
#pragma once

#include <CLI/CLI.hpp>

namespace lowbit {

/// Adds the `asm` and `disasm` subcommands; illegal instructions are InputError (exit 2).
void add_isa_commands(CLI::App& app);

}  // namespace lowbit
