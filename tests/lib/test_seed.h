// The seed of a random test: LOWBIT_SEED replays a run (CONVENTIONS.md 15), the seed is printed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lowbit::test {

/// LOWBIT_SEED from the environment (decimal or 0x hex) when it is set and not empty, else
/// std::nullopt. Throws std::invalid_argument naming the variable when it is not such a number.
inline std::optional<uint64_t> seed_override() {
  const char* env = std::getenv("LOWBIT_SEED");
  if (env == nullptr || *env == '\0') return std::nullopt;
  char* end = nullptr;
  const uint64_t seed = std::strtoull(env, &end, 0);
  if (*end != '\0' || *env == '-') {
    throw std::invalid_argument("LOWBIT_SEED='" + std::string(env) +
                                "' is not a seed (allowed: a decimal or 0x hex integer)");
  }
  return seed;
}

/// A fresh seed from std::random_device (64 bits).
inline uint64_t random_seed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

/// The fixed seed of the tests that name none.
inline constexpr uint64_t kDefaultTestSeed = 20261123;

/// The seed test `name` uses: LOWBIT_SEED when set, else `fallback`. Printed (and flushed, so it is
/// seen even if the test crashes) as "[name] seed N (replay: LOWBIT_SEED=N)".
inline uint64_t test_seed(std::string_view name, uint64_t fallback = kDefaultTestSeed) {
  const uint64_t seed = seed_override().value_or(fallback);
  std::printf("[%.*s] seed %llu (replay: LOWBIT_SEED=%llu)\n", static_cast<int>(name.size()),
              name.data(), static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  return seed;
}

/// As test_seed, but a fresh random seed when LOWBIT_SEED is not set (campaign-style tests that
/// explore new stimulus on every run).
inline uint64_t random_test_seed(std::string_view name) {
  return test_seed(name, seed_override() ? 0 : random_seed());
}

}  // namespace lowbit::test
