// The lutcore array walk's vector path gives the bits of its scalar definition: random tables
// (full 64-bit range, so shifts and adds wrap), indices, planes, row lengths with and without a
// vector remainder, 32- and 64-bit accumulators. On a CPU without AVX-512F both calls take the
// scalar loop and the test says so.
#include "sim/lutcore/lutcore_walk.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

TEST(LutcoreWalk, VectorPathEqualsTheScalarDefinition) {
  const uint64_t seed = test::random_test_seed("LutcoreWalk");
  if (!lutcore_walk_vectorized(16)) {
    GTEST_SKIP() << "no AVX-512F on this CPU: lutcore_walk_row is the scalar loop itself";
  }
  std::mt19937_64 rng(seed);
  for (int trial = 0; trial < 2000; ++trial) {
    const int table_size = 2 << (rng() % 4);  // g = 1..4: 2, 4, 8, 16 entries
    const int n = 1 + static_cast<int>(rng() % 140);
    const int plane = static_cast<int>(rng() % 9);
    const bool wrap32 = (rng() & 1) != 0;
    std::vector<int64_t> lut(static_cast<size_t>(table_size));
    for (auto& v : lut) {
      // Small sums as the tables hold, and full-range values that overflow when shifted.
      v = (rng() & 1) ? static_cast<int64_t>(rng() % 2001) - 1000 : static_cast<int64_t>(rng());
    }
    std::vector<uint8_t> idx(static_cast<size_t>(n));
    for (auto& i : idx) i = static_cast<uint8_t>(rng() % static_cast<uint64_t>(table_size));
    std::vector<int64_t> acc(static_cast<size_t>(n));
    for (auto& a : acc) {
      a = static_cast<int64_t>(rng());
      if (wrap32)
        a = static_cast<int32_t>(static_cast<uint32_t>(a));  // accumulators hold wrapped values
    }
    std::vector<int64_t> want = acc;
    lutcore_walk_row_scalar(want.data(), lut.data(), idx.data(), n, plane, wrap32);
    lutcore_walk_row(acc.data(), lut.data(), table_size, idx.data(), n, plane, wrap32);
    ASSERT_EQ(acc, want) << "trial " << trial << ": table " << table_size << ", n " << n
                         << ", plane " << plane << ", wrap32 " << wrap32;
  }
}

TEST(LutcoreWalk, ScalarDefinitionAddsTheShiftedEntryAndWraps) {
  const std::vector<int64_t> lut{5, -3, 0x7FFFFFFF, -1};
  const std::vector<uint8_t> idx{0, 1, 2, 3};
  std::vector<int64_t> acc{1, 1, 1, INT64_MAX};
  lutcore_walk_row(acc.data(), lut.data(), 4, idx.data(), 4, 2, false);
  EXPECT_EQ(acc, (std::vector<int64_t>{21, -11, 1 + (int64_t{0x7FFFFFFF} << 2), INT64_MAX - 4}));
  std::vector<int64_t> acc32{0, 0, 1, 0};
  lutcore_walk_row(acc32.data(), lut.data(), 4, idx.data(), 4, 1, true);
  // 0x7FFFFFFF << 1 = 0xFFFFFFFE: -2 in 32 bits, +1 -> -1.
  EXPECT_EQ(acc32, (std::vector<int64_t>{10, -6, -1, -2}));
}

}  // namespace
}  // namespace lowbit
