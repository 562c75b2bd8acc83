// The golden backend's cache of decoded weight chunks (host/lib/accel/golden_code_cache.h): a hit
// needs every byte and the layout key equal; the capacity bounds what is kept.
#include "host/lib/accel/golden_code_cache.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace lowbit {
namespace {

std::vector<uint8_t> bytes(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + 7 * i);
  return v;
}

TEST(GoldenCodeCache, HitOnlyForTheSameBytesAndKey) {
  GoldenCodeCache cache(1 << 20);
  const std::vector<uint8_t> raw = bytes(4096, 1);
  const std::vector<uint8_t> codes = bytes(2048, 9);
  EXPECT_EQ(cache.find(raw.data(), raw.size(), 5), nullptr);
  cache.add(raw.data(), raw.size(), 5, codes);
  const std::vector<uint8_t>* hit = cache.find(raw.data(), raw.size(), 5);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(*hit, codes);
  EXPECT_EQ(cache.find(raw.data(), raw.size(), 6), nullptr);      // another layout
  EXPECT_EQ(cache.find(raw.data(), raw.size() - 1, 5), nullptr);  // another size
}

// The hash reads only the first and last 256 bytes: a chunk that differs in the middle must
// still miss (the full compare decides), or the interpreter would reuse another chunk's codes.
TEST(GoldenCodeCache, MiddleByteDifferenceMisses) {
  GoldenCodeCache cache(1 << 20);
  std::vector<uint8_t> raw = bytes(4096, 3);
  cache.add(raw.data(), raw.size(), 1, bytes(100, 4));
  raw[2048] ^= 0x10;
  EXPECT_EQ(cache.find(raw.data(), raw.size(), 1), nullptr);
  const std::vector<uint8_t> other = bytes(100, 5);
  cache.add(raw.data(), raw.size(), 1, other);  // same hash bucket, both kept
  const std::vector<uint8_t>* hit = cache.find(raw.data(), raw.size(), 1);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(*hit, other);
  raw[2048] ^= 0x10;
  hit = cache.find(raw.data(), raw.size(), 1);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(*hit, bytes(100, 4));
}

TEST(GoldenCodeCache, CapacityBoundsWhatIsKept) {
  GoldenCodeCache cache(1000);
  const std::vector<uint8_t> a = bytes(400, 1), b = bytes(400, 2);
  cache.add(a.data(), a.size(), 0, bytes(400, 3));  // 800 bytes kept
  cache.add(b.data(), b.size(), 0, bytes(400, 4));  // would need 1600: not kept
  EXPECT_NE(cache.find(a.data(), a.size(), 0), nullptr);
  EXPECT_EQ(cache.find(b.data(), b.size(), 0), nullptr);
}

}  // namespace
}  // namespace lowbit
