// Seeded synthetic matrices for tests, benchmarks and workloads: per-row streams, own samplers.
#include "model/quant/synth.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <string>

#include "model/quant/parallel_rows.h"

namespace lowbit {
namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

// splitmix64 (Steele, Lea, Flood 2014): the seeding generator xoshiro's authors recommend.
uint64_t splitmix64(uint64_t& state) {
  const uint64_t z = splitmix64_hash(state);
  state += kGolden;
  return z;
}

// xoshiro256++ (Blackman, Vigna 2019): 256-bit state, every output bit usable, ~1 ns a draw.
class Xoshiro256pp {
 public:
  // Stream `stream` of `seed`: distinct (seed, stream) pairs give unrelated state.
  Xoshiro256pp(uint64_t seed, uint64_t stream) {
    uint64_t sm = seed;
    uint64_t key = splitmix64(sm);
    sm = key ^ (stream * kGolden + 0xD1B54A32D192ED03ull);
    for (auto& w : m_s) w = splitmix64(sm);
  }
  uint64_t next() {
    const uint64_t out = rotl(m_s[0] + m_s[3], 23) + m_s[0];
    const uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return out;
  }
  // Uniform in [0, 1) with 53 random bits (through int64: one signed conversion instruction).
  double uniform() { return static_cast<double>(static_cast<int64_t>(next() >> 11)) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe for log().
  double uniform_pos() {
    return static_cast<double>(static_cast<int64_t>(next() >> 11) + 1) * 0x1.0p-53;
  }
  // Uniform integer in [0, n), n >= 1, unbiased (Lemire 2019).
  uint32_t below(uint32_t n) {
    uint64_t m = (next() >> 32) * n;
    if (static_cast<uint32_t>(m) < n) {
      const uint32_t threshold = static_cast<uint32_t>(-n) % n;
      while (static_cast<uint32_t>(m) < threshold) m = (next() >> 32) * n;
    }
    return static_cast<uint32_t>(m >> 32);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> m_s;
};

// Ziggurat tables for N(0, 1) with 256 layers (Marsaglia, Tsang 2000; layout of Doornik 2005,
// "An improved ziggurat method to generate normal random samples"): x[0] is the base strip's
// equivalent width V / f(R), x[1] = R, x[256] = 0; ratio[i] = x[i+1] / x[i].
constexpr int kZigLayers = 256;
constexpr double kZigR = 3.6541528853610088;  // start of the tail
constexpr double kZigV = 4.92867323399e-3;    // area of every layer
struct Ziggurat {
  std::array<double, kZigLayers + 1> x;
  std::array<double, kZigLayers> ratio;
};

const Ziggurat& ziggurat() {
  static const Ziggurat z = [] {
    Ziggurat t;
    double f = std::exp(-0.5 * kZigR * kZigR);
    t.x[0] = kZigV / f;
    t.x[1] = kZigR;
    t.x[kZigLayers] = 0;
    for (int i = 2; i < kZigLayers; ++i) {
      t.x[i] = std::sqrt(-2 * std::log(kZigV / t.x[i - 1] + f));
      f = std::exp(-0.5 * t.x[i] * t.x[i]);
    }
    for (int i = 0; i < kZigLayers; ++i) t.ratio[i] = t.x[i + 1] / t.x[i];
    return t;
  }();
  return z;
}

double normal_slow(Xoshiro256pp& g, const Ziggurat& z, uint64_t bits);

// One N(0, 1) sample. ~99% of draws return here: one 64-bit draw, one compare, one multiply.
// The low 8 bits pick the layer, the top 53 the signed position (disjoint bits).
inline double normal(Xoshiro256pp& g, const Ziggurat& z) {
  const uint64_t bits = g.next();
  const int i = static_cast<int>(bits & 0xFF);
  const double u = static_cast<double>(static_cast<int64_t>(bits) >> 11) * 0x1.0p-52;  // [-1, 1)
  if (std::fabs(u) < z.ratio[i]) return u * z.x[i];
  return normal_slow(g, z, bits);
}

// The rest of the ziggurat: the base layer's tail and the wedges; kept out of line so the fast
// path's generator state stays in registers.
[[gnu::noinline]] double normal_slow(Xoshiro256pp& g, const Ziggurat& z, uint64_t bits) {
  for (;;) {
    const int i = static_cast<int>(bits & 0xFF);
    const double u = static_cast<double>(static_cast<int64_t>(bits) >> 11) * 0x1.0p-52;
    if (std::fabs(u) < z.ratio[i]) return u * z.x[i];
    if (i == 0) {  // the tail beyond R (Marsaglia 1964)
      double x, y;
      do {
        x = std::log(g.uniform_pos()) / kZigR;
        y = std::log(g.uniform_pos());
      } while (-2 * y < x * x);
      return u < 0 ? x - kZigR : kZigR - x;
    }
    const double x = u * z.x[i];  // a wedge: accept under the density
    const double f0 = std::exp(-0.5 * (z.x[i] * z.x[i] - x * x));
    const double f1 = std::exp(-0.5 * (z.x[i + 1] * z.x[i + 1] - x * x));
    if (f1 + g.uniform() * (f0 - f1) < 1.0) return x;
    bits = g.next();
  }
}

// Student-t(dof) samples by exact methods, fast ones for the two defaults. All use the identity
// T = sqrt(dof) (B - 1/2) / sqrt(B (1 - B)) ~ Student-t(dof) for B ~ Beta(dof/2, dof/2):
//  - dof = 4 (the weights' default): B ~ Beta(2, 2) is the median of three uniforms, so
//    T = (2B - 1) / sqrt(B (1 - B)): no rejection, one sqrt, one division. The uniforms are
//    32-bit (k + 1/2) / 2^32, never 0 or 1; three draws give the uniforms of two samples.
//  - dof = 3 (the activations' default): B = (1 + X) / 2 with X the first coordinate of a
//    uniform point in the unit disk (semicircle density, Beta(3/2, 3/2)), so
//    T = sqrt(3) X / sqrt(1 - X^2).
//  - any other dof: Bailey's polar method (R. W. Bailey 1994, "Polar generation of random
//    variates with the t-distribution", Math. Comp. 62:779-781) on the same disk point (X, Y):
//    W = X^2 + Y^2, T = X sqrt(dof (W^(-2/dof) - 1) / W).
// Disk points: X, Y uniform on [-1, 1) from the two 32-bit halves of one draw, until W < 1
// (and W > 0); acceptance pi/4.
class StudentT {
 public:
  explicit StudentT(double dof) : m_dof(dof), m_power(-2 / dof) {}

  // out[i] = float(T_i) * scale for i in [0, count), T_i the next samples of g.
  void fill(Xoshiro256pp& g, float* out, int count, float scale) const {
    if (m_dof == 4) {
      fill_dof4(g, out, count, scale);
      return;
    }
    for (int i = 0; i < count; ++i) {
      double x, w;
      do {
        const uint64_t bits = g.next();
        x = static_cast<double>(static_cast<int32_t>(bits >> 32)) * 0x1.0p-31;
        const double y = static_cast<double>(static_cast<int32_t>(bits & 0xFFFFFFFFu)) * 0x1.0p-31;
        w = x * x + y * y;
      } while (!(w < 1) || w == 0);
      const double t = m_dof == 3 ? kSqrt3 * x / std::sqrt(1 - x * x)
                                  : x * std::sqrt(m_dof * (std::pow(w, m_power) - 1) / w);
      out[i] = static_cast<float>(t) * scale;
    }
  }

 private:
  static double t4(double a, double b, double c) {
    const double median = std::max(std::min(a, b), std::min(std::max(a, b), c));
    return (2 * median - 1) / std::sqrt(median * (1 - median));
  }
  static double hi(uint64_t x) { return (static_cast<double>(x >> 32) + 0.5) * 0x1.0p-32; }
  static double lo(uint64_t x) { return (static_cast<double>(x & 0xFFFFFFFFu) + 0.5) * 0x1.0p-32; }

  static void fill_dof4(Xoshiro256pp& g, float* out, int count, float scale) {
    int i = 0;
    for (; i + 1 < count; i += 2) {
      const uint64_t a = g.next(), b = g.next(), c = g.next();
      out[i] = static_cast<float>(t4(hi(a), hi(b), hi(c))) * scale;
      out[i + 1] = static_cast<float>(t4(lo(a), lo(b), lo(c))) * scale;
    }
    if (i < count) {
      const uint64_t a = g.next(), b = g.next(), c = g.next();
      out[i] = static_cast<float>(t4(hi(a), hi(b), hi(c))) * scale;
    }
  }

  static constexpr double kSqrt3 = 1.7320508075688772;
  double m_dof, m_power;
};

// Stream ids: row r uses stream r; the outlier columns use this one.
constexpr uint64_t kOutlierStream = ~uint64_t{0};

}  // namespace

std::vector<float> synth_gaussian(int rows, int cols, uint64_t seed, float stddev, int threads) {
  std::vector<float> out;
  synth_gaussian(rows, cols, seed, stddev, threads, out);
  return out;
}

void synth_gaussian(int rows, int cols, uint64_t seed, float stddev, int threads,
                    std::vector<float>& out) {
  if (rows < 0 || cols < 0) throw std::invalid_argument("synth_gaussian: negative shape");
  const Ziggurat& zig = ziggurat();
  out.resize(static_cast<size_t>(rows) * cols);
  parallel_rows(rows, cols, threads, [&](int r) {
    Xoshiro256pp g(seed, static_cast<uint64_t>(r));
    float* row = out.data() + static_cast<size_t>(r) * cols;
    for (int c = 0; c < cols; ++c) row[c] = static_cast<float>(normal(g, zig)) * stddev;
  });
}

std::vector<float> synth_heavy_tailed(int rows, int cols, uint64_t seed, const HeavyTailSpec& spec,
                                      int threads) {
  std::vector<float> out;
  synth_heavy_tailed(rows, cols, seed, spec, threads, out);
  return out;
}

void synth_heavy_tailed(int rows, int cols, uint64_t seed, const HeavyTailSpec& spec, int threads,
                        std::vector<float>& out) {
  if (rows < 0 || cols < 0 || !(spec.dof > 0)) {
    throw std::invalid_argument("synth_heavy_tailed: negative shape or dof <= 0");
  }
  // Outlier channels: a seeded partial Fisher-Yates shuffle picks distinct columns.
  const int outliers = std::clamp(spec.outlier_channels, 0, cols);
  std::vector<int> perm(cols);
  std::iota(perm.begin(), perm.end(), 0);
  Xoshiro256pp pick(seed, kOutlierStream);
  for (int i = 0; i < outliers; ++i) {
    std::swap(perm[i], perm[i + pick.below(static_cast<uint32_t>(cols - i))]);
  }
  perm.resize(outliers);
  std::sort(perm.begin(), perm.end());

  const StudentT student_t(spec.dof);
  out.resize(static_cast<size_t>(rows) * cols);
  parallel_rows(rows, cols, threads, [&](int r) {
    Xoshiro256pp g(seed, static_cast<uint64_t>(r));
    float* row = out.data() + static_cast<size_t>(r) * cols;
    student_t.fill(g, row, cols, spec.scale);
    for (int c : perm) row[c] *= spec.outlier_gain;
  });
}

}  // namespace lowbit
