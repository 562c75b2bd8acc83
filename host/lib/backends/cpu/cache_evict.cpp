// Evicting the CPU caches before a timed run, so that its operands are read from DRAM.
#include <algorithm>
#include <cstddef>
#include <vector>

#include "lowbit/cpu_reference.h"

namespace lowbit {

void evict_cpu_caches() {
  // Two LLCs of writes (at least 64 MiB) displace every line an earlier run left in any level.
  static std::vector<char> buffer(
      std::max<size_t>(size_t{64} << 20, 2 * read_cpu_info().llc_bytes));
  static char value = 0;
  ++value;
  for (size_t i = 0; i < buffer.size(); i += 64) buffer[i] = value;
  // The stores are observable (as Google Benchmark's ClobberMemory): they cannot be elided.
  asm volatile("" : : "r"(buffer.data()) : "memory");
}

}  // namespace lowbit
