// Seeded synthetic weight/activation matrices (Gaussian, heavy-tailed with outlier channels).
//
// Generation rule (docs/workloads.md, "Synthetic data"): every row r has its own random stream,
// xoshiro256++ seeded through splitmix64 from (seed, r); the outlier columns come from one more
// stream of the seed. So the data depend only on (rows, cols, seed, parameters), never on the
// number of threads, and rows are generated in parallel. The samplers are the kit's own (ziggurat
// normals, Marsaglia-Tsang gamma for Student-t), not the std distributions, whose output the
// standard does not pin down; only std::exp/log/sqrt/pow are used, so any correctly working libm
// gives the same values (glibc does on every platform the kit builds on).
#pragma once

#include <cstdint>
#include <vector>

namespace lowbit {

/// splitmix64's output function of one 64-bit value (Steele, Lea, Flood 2014): a stateless hash
/// for seeding and for values keyed by an index (the i-th draw of splitmix64 from state s is
/// splitmix64_hash(s + i * 0x9E3779B97F4A7C15)). Inline: the decoder's KV cache hashes one
/// value per cached element, 5.4 x 10^8 per decode token (issue 20).
inline uint64_t splitmix64_hash(uint64_t x) {
  uint64_t z = x + 0x9E3779B97F4A7C15ull;  // the golden-ratio increment
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// [rows][cols] row-major, i.i.d. N(0, stddev^2). `threads`: how many threads generate rows
/// (0 = std::thread::hardware_concurrency()); the result does not depend on it.
std::vector<float> synth_gaussian(int rows, int cols, uint64_t seed, float stddev = 1.0f,
                                  int threads = 0);
/// The same into `out` (resized to rows x cols; its capacity is reused, so a caller that
/// synthesizes layer after layer into one buffer faults its pages in once).
void synth_gaussian(int rows, int cols, uint64_t seed, float stddev, int threads,
                    std::vector<float>& out);

/// Heavy-tailed data like real LLM weights/activations: Student-t entries, and a few input
/// channels (columns, i.e. positions along K) multiplied by a gain, as in LLM activation outliers.
struct HeavyTailSpec {
  double dof = 3.0;            ///< Student-t degrees of freedom (few = heavy tails)
  float scale = 1.0f;          ///< multiplies every entry
  int outlier_channels = 4;    ///< columns picked at random (clamped to cols)
  float outlier_gain = 16.0f;  ///< factor applied to those columns
};
/// Entries are Student-t(dof) * scale; the outlier columns are then multiplied by outlier_gain
/// (the other entries do not depend on outlier_channels). `threads` as for synth_gaussian.
std::vector<float> synth_heavy_tailed(int rows, int cols, uint64_t seed,
                                      const HeavyTailSpec& spec = {}, int threads = 0);
/// The same into `out`, as synth_gaussian's second form.
void synth_heavy_tailed(int rows, int cols, uint64_t seed, const HeavyTailSpec& spec, int threads,
                        std::vector<float>& out);

}  // namespace lowbit
