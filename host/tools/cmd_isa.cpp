// `lowbit asm FILE.s -o FILE.lbp` and `lowbit disasm FILE.lbp`: the ISA's two directions.
#include "cmd_isa.h"

#include <fmt/core.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "lowbit/atomic_file.h"
#include "lowbit/error.h"
#include "lowbit/output_path.h"
#include "model/isa/assembler.h"
#include "model/isa/isa.h"

namespace lowbit {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open");
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

void add_isa_commands(CLI::App& app) {
  struct Paths {
    std::string input, output;
    bool no_addresses = false;
  };
  auto a = std::make_shared<Paths>();
  CLI::App* as = app.add_subcommand("asm", "Assemble ISA text into a program binary (docs/isa.md)");
  as->add_option("input", a->input, "Assembly file")->required()->check(CLI::ExistingFile);
  as->add_option("-o,--output", a->output, "Program binary to write")->required();
  as->callback([a] {
    check_output_file(a->output, "--output");
    std::vector<isa::Instruction> program;
    try {
      program = isa::assemble(read_file(a->input), a->input);
    } catch (const isa::IllegalInstruction& e) {
      throw InputError(e.what());
    }
    const auto bytes = isa::to_binary(program);
    AtomicFile out(a->output, std::ios::binary);
    out.stream().write(reinterpret_cast<const char*>(bytes.data()),
                       static_cast<std::streamsize>(bytes.size()));
    out.commit();
    fmt::print("{}: {} instructions, {} bytes\n", a->output, program.size(), bytes.size());
  });

  auto d = std::make_shared<Paths>();
  CLI::App* dis = app.add_subcommand("disasm", "Print a program binary as canonical assembly");
  dis->add_option("input", d->input, "Program binary")->required()->check(CLI::ExistingFile);
  dis->add_flag("--no-addresses", d->no_addresses, "Omit the '# 0x<address>' comments");
  dis->callback([d] {
    const std::string text = read_file(d->input);
    std::vector<isa::Instruction> program;
    try {
      program =
          isa::from_binary({reinterpret_cast<const uint8_t*>(text.data()), text.size()}, d->input);
    } catch (const isa::IllegalInstruction& e) {
      throw InputError(e.what());
    }
    fmt::print("{}", isa::disassemble(program, !d->no_addresses));
  });
}

}  // namespace lowbit
