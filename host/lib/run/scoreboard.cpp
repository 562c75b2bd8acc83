// Scoreboard: stores against the golden outputs, bit for bit.
#include "scoreboard.h"

#include <fmt/format.h>

#include <bit>
#include <cstring>

namespace lowbit {

void Scoreboard::add_region(uint64_t dram, int m, int n, int writes,
                            const std::vector<float>* expected, std::string layer) {
  Region r;
  r.base = dram;
  r.bytes = 4ull * m * n;
  r.n = n;
  r.expected = expected;
  r.expected_elements = static_cast<uint64_t>(m) * n * writes;
  r.layer = std::move(layer);
  m_regions.push_back(std::move(r));
}

void Scoreboard::store(uint64_t dram, const uint8_t* data, uint64_t bytes) {
  for (auto& r : m_regions) {
    if (dram < r.base || dram + bytes > r.base + r.bytes) continue;
    const uint64_t e0 = (dram - r.base) / 4;
    for (uint64_t e = 0; e < bytes / 4; ++e) {
      uint32_t got;
      std::memcpy(&got, data + 4 * e, 4);
      const uint32_t want = std::bit_cast<uint32_t>((*r.expected)[e0 + e]);
      ++r.compared;
      if (got != want) {
        if (r.mismatches++ == 0 && m_first_mismatch.empty()) {
          const uint64_t idx = e0 + e;
          m_first_mismatch = fmt::format("{}: O[{}][{}] = 0x{:08x}, golden 0x{:08x}", r.layer,
                                         idx / r.n, idx % r.n, got, want);
        }
      }
    }
    m_stored_elements += bytes / 4;
    return;
  }
  m_unexpected_bytes += bytes;
}

bool Scoreboard::ok() const {
  if (m_unexpected_bytes) return false;
  for (const auto& r : m_regions) {
    if (r.mismatches || r.compared != r.expected_elements) return false;
  }
  return true;
}

uint64_t Scoreboard::expected_elements() const {
  uint64_t n = 0;
  for (const auto& r : m_regions) n += r.expected_elements;
  return n;
}

}  // namespace lowbit
