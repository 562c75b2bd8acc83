// Seed for the formats/MX/BitMoD random tests: LOWBIT_SEED replays a run; the seed is printed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace lowbit::test {

/// Seed from env LOWBIT_SEED if set, else a fixed default; printed so a failure can be replayed.
inline uint64_t formats_test_seed(const char* test_name) {
  uint64_t seed = 20261123;
  if (const char* env = std::getenv("LOWBIT_SEED"); env != nullptr && *env != '\0')
    seed = std::stoull(env);
  std::printf("[%s] seed %llu (replay: LOWBIT_SEED=%llu)\n", test_name,
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  return seed;
}

}  // namespace lowbit::test
