// Packing round trips: dense codes, ternary base-3 and 2-bit, bit-planes, symmetric codes.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <stdexcept>

#include "model/quant/bit_planes.h"
#include "model/quant/group_quant.h"
#include "model/quant/packing.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

uint64_t test_seed() {
  static const uint64_t seed = test::test_seed("quant_packing_test", 7002);
  return seed;
}

std::vector<uint8_t> random_codes(std::mt19937_64& rng, size_t count, int max_code) {
  std::uniform_int_distribution<int> d(0, max_code);
  std::vector<uint8_t> out(count);
  for (auto& c : out) c = static_cast<uint8_t>(d(rng));
  return out;
}

TEST(PackCodes, RoundTripEveryWidthAndLength) {
  std::mt19937_64 rng(test_seed());
  for (int bits = 1; bits <= 8; ++bits) {
    for (size_t count : {0u, 1u, 7u, 8u, 9u, 63u, 1000u}) {
      const auto codes = random_codes(rng, count, (1 << bits) - 1);
      const auto packed = pack_codes(codes, bits);
      ASSERT_EQ(packed.size(), (count * bits + 7) / 8);
      ASSERT_EQ(unpack_codes(packed, bits, count), codes) << bits << " bits, " << count;
    }
  }
}

TEST(PackCodes, LittleEndianLayout) {
  // 3-bit codes 1, 2, 7: bits 001 | 010 | 111 from bit 0 up = 0b1_1101_0001, tail zero.
  const std::vector<uint8_t> codes = {1, 2, 7};
  EXPECT_EQ(pack_codes(codes, 3), (std::vector<uint8_t>{0xD1, 0x01}));
  EXPECT_EQ(pack_codes(std::vector<uint8_t>{0x3, 0x0, 0x1, 0x2}, 2), std::vector<uint8_t>{0x93});
  EXPECT_THROW(pack_codes(std::vector<uint8_t>{4}, 2), std::invalid_argument);
  EXPECT_THROW(pack_codes(codes, 0), std::invalid_argument);
  EXPECT_THROW(unpack_codes(std::vector<uint8_t>{0}, 3, 3), std::invalid_argument);
}

TEST(Ternary, Base3FivePerByteExhaustive) {
  // Every one of the 243 trit patterns is one byte, value sum u_j 3^j, and decodes back.
  for (int v = 0; v < 243; ++v) {
    std::vector<uint8_t> trits(5);
    int x = v;
    for (auto& t : trits) {
      t = static_cast<uint8_t>(x % 3);
      x /= 3;
    }
    const auto packed = pack_ternary_base3(trits);
    ASSERT_EQ(packed, std::vector<uint8_t>{static_cast<uint8_t>(v)});
    ASSERT_EQ(unpack_ternary_base3(packed, 5), trits);
  }
  for (int v = 243; v < 256; ++v) {
    EXPECT_THROW(unpack_ternary_base3(std::vector<uint8_t>{static_cast<uint8_t>(v)}, 5),
                 std::invalid_argument);
  }
  EXPECT_THROW(pack_ternary_base3(std::vector<uint8_t>{0, 3}), std::invalid_argument);
}

TEST(Ternary, RoundTripsRandomLengths) {
  std::mt19937_64 rng(test_seed() + 1);
  for (size_t count : {0u, 1u, 4u, 5u, 6u, 999u, 1000u}) {
    const auto codes = random_codes(rng, count, 2);
    const auto b3 = pack_ternary_base3(codes);
    ASSERT_EQ(b3.size(), (count + 4) / 5);  // 1.6 bits per weight
    ASSERT_EQ(unpack_ternary_base3(b3, count), codes);
    const auto b2 = pack_ternary_2bit(codes);
    ASSERT_EQ(b2.size(), (count + 3) / 4);
    ASSERT_EQ(unpack_ternary_2bit(b2, count), codes);
  }
  EXPECT_THROW(pack_ternary_2bit(std::vector<uint8_t>{3}), std::invalid_argument);
  EXPECT_THROW(unpack_ternary_2bit(std::vector<uint8_t>{0x03}, 1), std::invalid_argument);
}

TEST(SymmetricCode, ReinterpretationAndInverse) {
  for (int b = 1; b <= 8; ++b) {
    for (uint32_t q = 0; q < (1u << b); ++q) {
      const int qs = symmetric_code(q, b);
      ASSERT_EQ(qs, 2 * static_cast<int>(q) - ((1 << b) - 1));
      ASSERT_EQ(qs & 1, 1);  // odd: every plane is +-1
      // Bit-plane decomposition: q' = sum_i 2^i * (2 bit_i(q) - 1).
      int sum = 0;
      for (int i = 0; i < b; ++i) sum += (1 << i) * (2 * static_cast<int>((q >> i) & 1) - 1);
      ASSERT_EQ(sum, qs);
      ASSERT_EQ(code_from_symmetric(qs, b), q);
    }
  }
}

QuantizedWeights random_quantized(std::mt19937_64& rng, int n, int k, int bits, int group) {
  QuantizedWeights q;
  q.n = n;
  q.k = k;
  q.bits = bits;
  q.kind = bits == 1 ? WeightKind::kBinary : WeightKind::kUnsigned;
  q.group_size = group;
  q.codes = random_codes(rng, static_cast<size_t>(n) * k, (1 << bits) - 1);
  q.scales.assign(static_cast<size_t>(n) * q.groups(), 0x3C00);
  q.zeros.assign(q.scales.size(), 0);
  return q;
}

TEST(BitPlanes, RoundTripAndLayout) {
  std::mt19937_64 rng(test_seed() + 2);
  std::uniform_int_distribution<int> kd(1, 150), nd(1, 5), bd(1, 8);
  for (int t = 0; t < 60; ++t) {
    const int k = kd(rng), n = nd(rng), bits = bd(rng);
    const int group = std::vector<int>{32, 64, 128, k, 30}[t % 5];
    const QuantizedWeights q = random_quantized(rng, n, k, bits, group);
    for (int g = 1; g <= 4; ++g) {
      const BitPlanes p = pack_bit_planes(q, g);
      ASSERT_EQ(unpack_bit_planes(p), q.codes) << "k=" << k << " group=" << group << " g=" << g;
      const auto& ch = p.chunking;
      ASSERT_EQ(p.row_bytes, (ch.chunks() + 1) / 2);
      ASSERT_EQ(p.data.size(), static_cast<size_t>(bits) * n * p.row_bytes);
      // Chunks cover K exactly once, never cross a group, and are padded only at a group's end.
      int covered = 0;
      for (int gr = 0; gr < ch.groups(); ++gr) {
        for (int c = ch.group_begin[gr]; c < ch.group_begin[gr + 1]; ++c) {
          ASSERT_EQ(ch.start[c], covered);
          ASSERT_EQ(ch.start[c] / group, gr);
          ASSERT_EQ((ch.start[c] + ch.len[c] - 1) / group, gr);
          if (c + 1 < ch.group_begin[gr + 1]) {
            ASSERT_EQ(ch.len[c], g);
          }
          covered += ch.len[c];
        }
      }
      ASSERT_EQ(covered, k);
      // Index bit j of plane i = bit i of the code at start + j; padding bits are 0.
      for (int row = 0; row < n; ++row) {
        for (int c = 0; c < ch.chunks(); ++c) {
          for (int plane = 0; plane < bits; ++plane) {
            const int idx = p.index(plane, row, c);
            ASSERT_LT(idx, 1 << ch.len[c]);
            for (int j = 0; j < ch.len[c]; ++j) {
              ASSERT_EQ((idx >> j) & 1, (q.codes[row * k + ch.start[c] + j] >> plane) & 1);
            }
          }
        }
      }
    }
  }
}

TEST(BitPlanes, NibbleOrderForG4) {
  // One row, K = 8, 2-bit codes: chunk 0 = codes {1,2,3,0}, chunk 1 = {3,3,0,1}.
  QuantizedWeights q;
  q.n = 1;
  q.k = 8;
  q.bits = 2;
  q.kind = WeightKind::kSigned;
  q.group_size = 8;
  q.codes = {1, 2, 3, 0, 3, 3, 0, 1};
  q.scales = {0x3C00};
  q.zeros = {0};
  const BitPlanes p = pack_bit_planes(q, 4);
  // Plane 0 indices: chunk0 = 0b0101, chunk1 = 0b1011; plane 1: chunk0 = 0b0110, chunk1 = 0b0011.
  EXPECT_EQ(p.data, (std::vector<uint8_t>{0xB5, 0x36}));
  EXPECT_THROW(pack_bit_planes(q, 5), std::invalid_argument);
}

}  // namespace
}  // namespace lowbit
