// libFuzzer target: program binaries (header, checksum, decode). An accepted binary must encode
// back to the same bytes. Bad input must be an IllegalInstruction; anything else is a crash.
// Every input runs twice: as it is (the checksum check rejects almost every mutation) and with
// its header's CRC-32 recomputed, so that mutations reach the instruction decoder too.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "model/isa/assembler.h"
#include "model/isa/isa.h"

namespace {

void check(std::span<const uint8_t> bytes) {
  using namespace lowbit::isa;
  std::vector<Instruction> program;
  try {
    program = from_binary(bytes, "fuzz.lbp");
  } catch (const IllegalInstruction&) {
    return;
  }
  const auto again = to_binary(program);
  if (again.size() != bytes.size() || !std::equal(again.begin(), again.end(), bytes.begin()))
    std::abort();
  (void)disassemble(program, true);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  check(bytes);
  constexpr size_t kHeaderBytes = 16;  // magic, u32 count, u32 CRC-32 at bytes 12..15
  if (size >= kHeaderBytes) {
    std::vector<uint8_t> fixed(data, data + size);
    const uint32_t crc = lowbit::isa::binary_checksum(fixed);
    for (int i = 0; i < 4; ++i) fixed[12 + i] = static_cast<uint8_t>(crc >> (8 * i));
    check(fixed);
  }
  return 0;
}
