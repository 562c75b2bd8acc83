// The scoreboard of a run: every store of the program compared with the golden outputs, bit for
// bit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lowbit {

class Scoreboard {
 public:
  /// An output region of the DRAM image: row-major FP32 with `n` columns, written `writes` times
  /// (the layer's repeat), each time compared with `expected` (kept alive by the caller).
  void add_region(uint64_t dram, int m, int n, int writes, const std::vector<float>* expected,
                  std::string layer);
  /// One store of the program.
  void store(uint64_t dram, const uint8_t* data, uint64_t bytes);
  /// Every region written as often as expected, every element equal, nothing stored elsewhere.
  bool ok() const;
  uint64_t stored_elements() const { return m_stored_elements; }
  uint64_t expected_elements() const;
  /// "<layer>: O[i][j] = 0x..., golden 0x..." of the first mismatch; "" when none.
  const std::string& first_mismatch() const { return m_first_mismatch; }

 private:
  struct Region {
    uint64_t base = 0, bytes = 0;
    int n = 0;
    const std::vector<float>* expected = nullptr;
    uint64_t compared = 0, mismatches = 0, expected_elements = 0;
    std::string layer;
  };
  std::vector<Region> m_regions;
  std::string m_first_mismatch;
  uint64_t m_stored_elements = 0, m_unexpected_bytes = 0;
};

}  // namespace lowbit
