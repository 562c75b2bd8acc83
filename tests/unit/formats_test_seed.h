// Seed for the formats/MX/BitMoD random tests: LOWBIT_SEED replays a run; the seed is printed.
#pragma once

#include <cstdint>
#include <cstdio>

#include "model/quant/synth.h"

namespace lowbit::test {

/// The kit's seed rule (seed_from_env: LOWBIT_SEED, decimal or 0x hex, else a fixed default),
/// printed with the test's name so a failure can be replayed.
inline uint64_t formats_test_seed(const char* test_name) {
  const uint64_t seed = seed_from_env(20261123);
  std::printf("[%s] seed %llu (replay: LOWBIT_SEED=%llu)\n", test_name,
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  return seed;
}

}  // namespace lowbit::test
