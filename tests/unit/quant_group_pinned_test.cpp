// Group quantization gives the bits it always gave: fingerprints of codes, scales and zero-points
// made by the in-order quantizer of 39922f4, on synthetic weights with signed zeros, all-negative,
// all-positive, all-zero and odd-length groups (the extremes are taken in vector lanes now).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <vector>

#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"

namespace lowbit {
namespace {

uint64_t fnv(uint64_t h, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) h = (h ^ ((v >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
  return h;
}

uint64_t fingerprint(const QuantizedWeights& q) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint8_t c : q.codes) h = fnv(h, c, 1);
  for (uint16_t s : q.scales) h = fnv(h, s, 2);
  for (uint8_t z : q.zeros) h = fnv(h, z, 1);
  return h;
}

TEST(GroupQuantPinned, CodesScalesAndZerosNeverChange) {
  constexpr int kN = 24, kK = 300;  // groups of 64 leave a 44-long last group
  std::vector<float> w = synth_heavy_tailed(kN, kK, 20261209, HeavyTailSpec{});
  for (int c = 0; c < kK; c += 7) w[c] = -0.0f;                            // row 0: signed zeros
  for (int c = 0; c < 64; ++c) w[kK + c] = -std::abs(w[kK + c]) - 0.01f;   // row 1: negative group
  for (int c = 64; c < 128; ++c) w[kK + c] = std::abs(w[kK + c]) + 0.01f;  // positive group
  for (int c = 128; c < 192; ++c) w[kK + c] = c % 2 ? 0.0f : -0.0f;        // zeros only
  struct Case {
    const char* format;
    int group;
    uint64_t want;
  };
  for (const Case& c :
       {Case{"uint2", 64, 0x9a95d29ffe1b624bull}, Case{"uint4", 64, 0xa8cca22b683f00beull},
        Case{"int4", 64, 0x799bb7834aae8596ull}, Case{"int8", 64, 0x51d4449d6b7c5eecull},
        Case{"uint3", 128, 0xa7da237a38406fbcull}, Case{"int2", 32, 0xbcdb95f6872a92b7ull}}) {
    const uint64_t got =
        fingerprint(quantize_weights(w, kN, kK, parse_weight_format(c.format), c.group));
    std::printf("%s g%d: 0x%016llx\n", c.format, c.group, static_cast<unsigned long long>(got));
    EXPECT_EQ(got, c.want) << c.format << " group " << c.group;
  }
}

}  // namespace
}  // namespace lowbit
