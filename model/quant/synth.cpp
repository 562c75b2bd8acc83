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
  /// The 256-bit state (fill_dof4_rows8 runs eight streams from theirs).
  const std::array<uint64_t, 4>& state() const { return m_s; }
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

// Student-t(4) samples of eight rows at once (the weights' default law, see StudentT below): row
// r is stream r of the seed, so eight xoshiro256++ generators run side by side, one per 64-bit
// lane, with the scalar generator's integer operations; per pair of samples three draws, the
// median of their high halves and of their low halves (B ~ Beta(2, 2) is the median of three
// uniforms; the uniform (k + 1/2) / 2^32 is strictly increasing in the 32-bit k, so the median of
// the uniforms is the uniform of the median k), then T = (2B - 1) / sqrt(B (1 - B)) in double,
// rounded to float and scaled. IEEE operations in the scalar order, no FMA contraction
// (-ffp-contract=off): the AVX-512 and AVX2 clones GCC builds on x86-64 (chosen at load time)
// give the scalar loop's bits. out[l] is row l's output (count values), or null for a lane past
// the matrix's last row.
constexpr int kLanes = 8;

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
void fill_dof4_rows8(uint64_t (&st)[4][kLanes], float* const* out, int count, float scale) {
  // GCC vector extensions: one 64-bit lane per row (one AVX-512 register, or pairs of narrower
  // ones), the scalar generator's operations lane by lane.
  using U64 = uint64_t __attribute__((vector_size(8 * kLanes)));
  using U32 = uint32_t __attribute__((vector_size(4 * kLanes)));
  constexpr int kBlock = 256;  // samples per lane between the two passes (even)
  alignas(64) U32 med[kBlock];
  alignas(64) float val[kBlock * kLanes];
  U64 s0, s1, s2, s3;
  for (int l = 0; l < kLanes; ++l) {
    s0[l] = st[0][l];
    s1[l] = st[1][l];
    s2[l] = st[2][l];
    s3[l] = st[3][l];
  }
  // Helpers take and give vectors by reference: a vector passed by value has another ABI in each
  // clone (GCC's -Wpsabi).
  const auto draw = [&](U64& x) {
    const U64 r = s0 + s3;
    x = ((r << 23) | (r >> 41)) + s0;
    const U64 t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 45) | (s3 >> 19);
  };
  const auto median = [](const U32& a, const U32& b, const U32& c, U32& m) {
    const U32 lo = a < b ? a : b, hi = a < b ? b : a;
    const U32 mid = hi < c ? hi : c;
    m = lo < mid ? mid : lo;
  };
  const auto medians = [&](U32& hi_med, U32* lo_med) {
    U64 a, b, c;
    draw(a);
    draw(b);
    draw(c);
    median(__builtin_convertvector(a >> 32, U32), __builtin_convertvector(b >> 32, U32),
           __builtin_convertvector(c >> 32, U32), hi_med);
    if (lo_med != nullptr) {
      median(__builtin_convertvector(a, U32), __builtin_convertvector(b, U32),
             __builtin_convertvector(c, U32), *lo_med);
    }
  };
  for (int base = 0; base < count; base += kBlock) {
    const int n = std::min(kBlock, count - base);
    int i = 0;
    for (; i + 1 < n; i += 2) medians(med[i], &med[i + 1]);
    if (i < n) medians(med[i], nullptr);  // the row's unpaired last sample: the high halves
    const uint32_t* m = reinterpret_cast<const uint32_t*>(med);
    for (int k = 0; k < n * kLanes; ++k) {
      const double u = (static_cast<double>(m[k]) + 0.5) * 0x1.0p-32;
      val[k] = static_cast<float>((2 * u - 1) / std::sqrt(u * (1 - u))) * scale;
    }
    for (int l = 0; l < kLanes; ++l) {
      if (out[l] == nullptr) continue;
      for (int k = 0; k < n; ++k) out[l][base + k] = val[k * kLanes + l];
    }
  }
}

// Student-t(dof) samples by exact methods, fast ones for the two defaults. All use the identity
// T = sqrt(dof) (B - 1/2) / sqrt(B (1 - B)) ~ Student-t(dof) for B ~ Beta(dof/2, dof/2):
//  - dof = 4 (the weights' default): B ~ Beta(2, 2) is the median of three uniforms, so
//    T = (2B - 1) / sqrt(B (1 - B)): no rejection, one sqrt, one division. The uniforms are
//    32-bit (k + 1/2) / 2^32, never 0 or 1; three draws give the uniforms of two samples. This
//    one runs eight rows at a time in fill_dof4_rows8 (synth_heavy_tailed sends dof 4 there);
//    given dof 4, fill below would take Bailey's method: the same law, other values.
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
  const auto outliers_of = [&](float* row) {
    for (int c : perm) row[c] *= spec.outlier_gain;
  };
  if (spec.dof == 4) {  // eight rows at a time (fill_dof4_rows8)
    const int blocks = (rows + kLanes - 1) / kLanes;
    const int block_cols = static_cast<int>(std::min<int64_t>(int64_t{cols} * kLanes, INT32_MAX));
    parallel_rows(blocks, block_cols, threads, [&](int blk) {
      uint64_t st[4][kLanes];
      float* row_out[kLanes];
      for (int l = 0; l < kLanes; ++l) {
        const int r = blk * kLanes + l;
        const Xoshiro256pp g(seed, static_cast<uint64_t>(r));
        for (int w = 0; w < 4; ++w) st[w][l] = g.state()[static_cast<size_t>(w)];
        row_out[l] = r < rows ? out.data() + static_cast<size_t>(r) * cols : nullptr;
      }
      fill_dof4_rows8(st, row_out, cols, spec.scale);
      for (int l = 0; l < kLanes; ++l) {
        if (row_out[l] != nullptr) outliers_of(row_out[l]);
      }
    });
    return;
  }
  parallel_rows(rows, cols, threads, [&](int r) {
    Xoshiro256pp g(seed, static_cast<uint64_t>(r));
    float* row = out.data() + static_cast<size_t>(r) * cols;
    student_t.fill(g, row, cols, spec.scale);
    outliers_of(row);
  });
}

}  // namespace lowbit
