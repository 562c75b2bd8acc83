// libFuzzer target: program binaries (header, checksum, decode). An accepted binary must encode
// back to the same bytes. Bad input must be an IllegalInstruction; anything else is a crash.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "model/isa/assembler.h"
#include "model/isa/isa.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lowbit::isa;
  const std::span<const uint8_t> bytes(data, size);
  std::vector<Instruction> program;
  try {
    program = from_binary(bytes, "fuzz.lbp");
  } catch (const IllegalInstruction&) {
    return 0;
  }
  const auto again = to_binary(program);
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
  (void)disassemble(program, true);
  return 0;
}
