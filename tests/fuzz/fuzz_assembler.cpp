// libFuzzer target: the assembler. Accepted text must encode, and the binary must decode back to
// the same program (and disassemble to text that assembles to it again).
// Bad input must be an IllegalInstruction; any other exception is a crash.
#include <cstdint>
#include <cstdlib>

#include "fuzz_input.h"
#include "model/isa/assembler.h"
#include "model/isa/isa.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lowbit::isa;
  std::vector<Instruction> program;
  try {
    program = assemble(std::string(lowbit::fuzz::as_text(data, size)), "fuzz.s");
  } catch (const IllegalInstruction&) {
    return 0;
  }
  const auto bin = to_binary(program);  // must not throw: the assembler checked every field
  if (from_binary(bin, "fuzz.lbp") != program) std::abort();
  if (assemble(disassemble(program, true), "fuzz.s") != program) std::abort();
  return 0;
}
