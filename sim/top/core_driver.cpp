// What every core driver shares: operand byte access and the checks of blk and tile-op operands.
#include "sim/top/core_driver.h"

#include <fmt/format.h>

#include <stdexcept>

namespace lowbit {

void check_range(uint64_t off, uint64_t bytes, uint64_t capacity, const char* field,
                 const char* buffer, uint64_t address) {
  if (off + bytes > capacity) {
    throw std::runtime_error(fmt::format(
        "illegal instruction at address 0x{:x} (instruction {}): field '{}': the operand "
        "[0x{:x}, 0x{:x}) runs past the {} buffer's {} bytes; allowed: an offset with the operand "
        "inside the buffer",
        address, address / 16, field, off, off + bytes, buffer, capacity));
  }
}

// A blk's operands inside their buffers and its shape inside the core's rows x columns.
void check_block(const BlockOp& b, const CoreBuffers& buf, int rows, int cols) {
  check_range(b.ascale, 4ull * b.m, buf.act_bytes, "ascale", "act", b.address);
  check_range(b.o, 4ull * b.m * b.n, buf.out_bytes, "o", "out", b.address);
  if (b.n > cols || b.m > rows) {
    throw std::runtime_error(fmt::format(
        "illegal instruction at address 0x{:x}: blk m={} n={} exceeds the core's {} rows x {} "
        "columns",
        b.address, b.m, b.n, rows, cols));
  }
}

}  // namespace lowbit
