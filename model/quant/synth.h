// Seeded synthetic weight/activation matrices (Gaussian, heavy-tailed with outlier channels).
//
// Engines are std::mt19937_64 with explicit seeds (portable), but the std distributions are not
// specified bit-for-bit: the same seed gives the same data only with the same standard library
// (the kit builds with one libstdc++, so results are reproducible here).
#pragma once

#include <cstdint>
#include <vector>

namespace lowbit {

/// [rows][cols] row-major, i.i.d. N(0, stddev^2).
std::vector<float> synth_gaussian(int rows, int cols, uint64_t seed, float stddev = 1.0f);

/// Heavy-tailed data like real LLM weights/activations: Student-t entries, and a few input
/// channels (columns, i.e. positions along K) multiplied by a gain, as in LLM activation outliers.
struct HeavyTailSpec {
  double dof = 3.0;            ///< Student-t degrees of freedom (few = heavy tails)
  float scale = 1.0f;          ///< multiplies every entry
  int outlier_channels = 4;    ///< columns picked at random (clamped to cols)
  float outlier_gain = 16.0f;  ///< factor applied to those columns
};
std::vector<float> synth_heavy_tailed(int rows, int cols, uint64_t seed,
                                      const HeavyTailSpec& spec = {});

/// The seed a random test uses: LOWBIT_SEED from the environment (decimal or 0x hex) when set,
/// else default_seed. Tests print the value so a failure can be replayed.
uint64_t seed_from_env(uint64_t default_seed);

}  // namespace lowbit
