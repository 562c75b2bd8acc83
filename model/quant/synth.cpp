// Seeded synthetic matrices for tests, benchmarks and workloads.
#include "model/quant/synth.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace lowbit {

std::vector<float> synth_gaussian(int rows, int cols, uint64_t seed, float stddev) {
  if (rows < 0 || cols < 0) throw std::invalid_argument("synth_gaussian: negative shape");
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> dist(0.0f, stddev);
  std::vector<float> out(static_cast<size_t>(rows) * cols);
  for (auto& v : out) v = dist(rng);
  return out;
}

std::vector<float> synth_heavy_tailed(int rows, int cols, uint64_t seed,
                                      const HeavyTailSpec& spec) {
  if (rows < 0 || cols < 0 || spec.dof <= 0) {
    throw std::invalid_argument("synth_heavy_tailed: negative shape or dof <= 0");
  }
  std::mt19937_64 rng(seed);
  std::student_t_distribution<double> dist(spec.dof);
  std::vector<float> out(static_cast<size_t>(rows) * cols);
  for (auto& v : out) v = static_cast<float>(dist(rng)) * spec.scale;
  // Outlier channels: a seeded partial shuffle picks distinct columns.
  std::vector<int> perm(cols);
  std::iota(perm.begin(), perm.end(), 0);
  const int outliers = std::clamp(spec.outlier_channels, 0, cols);
  for (int i = 0; i < outliers; ++i) {
    std::uniform_int_distribution<int> pick(i, cols - 1);
    std::swap(perm[i], perm[pick(rng)]);
    for (int r = 0; r < rows; ++r)
      out[static_cast<size_t>(r) * cols + perm[i]] *= spec.outlier_gain;
  }
  return out;
}

uint64_t seed_from_env(uint64_t default_seed) {
  const char* s = std::getenv("LOWBIT_SEED");
  if (s == nullptr || *s == '\0') return default_seed;
  return std::stoull(s, nullptr, 0);
}

}  // namespace lowbit
