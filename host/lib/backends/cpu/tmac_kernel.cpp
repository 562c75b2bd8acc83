// CPU reference kernel "tmac": T-MAC-style LUT mpGEMV/mpGEMM, W1-W4 x INT8, bit-exact with golden.
//
// Offline, each weight bit-plane is cut into chunks of 4 K-elements (chunks never straddle a weight
// group, as in model/quant/bit_planes.h) and stored as 4-bit table indices, 32 rows side by side
// so one vpshufb looks up 32 rows. Per call, every activation row gets one 16-entry table per
// chunk, T[idx] = sum_j bit_j(idx) a_j, exact in int16 and split into a low-byte and a high-byte
// table (two lookups, re-joined into int16 by unpacking). The microkernel (tmac_avx2.cpp) sums
// sum_k u_k a_k = sum_p 2^p sum_chunks T[idx_p] exactly, forms S_g = alpha * that - beta * sum(a),
// and applies the dequant.h order, so the output is bit-identical to mpgemm_integer.
#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>
#include <thread>

#include "host/lib/backends/cpu/cpu_kernels.h"
#include "host/lib/backends/cpu/tmac_avx2.h"
#include "model/formats/fp16.h"
#include "model/quant/group_quant.h"

namespace lowbit::cpu {
namespace {

// The int32 group sum: |alpha sum(u a)|, |beta sum(a)| <= 15 * 128 * len each, < 2^30 for
// len <= 2^18 (docs/cpu-reference.md).
constexpr int kTmacMaxGroupLength = 1 << 18;
constexpr int kChunk = 4;  // activations per table (g = 4: 16 entries, one vpshufb table)

// Runs fn(begin, end) over [0, count) split into `threads` contiguous parts, the last part on the
// calling thread.
template <typename Fn>
void parallel_ranges(int threads, int count, const Fn& fn) {
  const int parts = std::max(1, std::min(threads, count));
  std::vector<std::thread> workers;
  workers.reserve(parts - 1);
  for (int t = 0; t < parts; ++t) {
    const int begin = static_cast<int>(static_cast<int64_t>(count) * t / parts);
    const int end = static_cast<int>(static_cast<int64_t>(count) * (t + 1) / parts);
    if (t + 1 == parts) {
      fn(begin, end);
    } else {
      workers.emplace_back([&fn, begin, end] { fn(begin, end); });
    }
  }
  for (auto& w : workers) w.join();
}

class TmacKernel final : public ICpuKernel {
 public:
  explicit TmacKernel(const QuantizedWeights& w)
      : m_n(w.n), m_k(w.k), m_bits(w.bits), m_groups(w.groups()), m_glen(w.group_size) {
    check_quantized_weights(w);
    // The per-group zero point of unsigned weights is applied from m_zeros, not through m_beta.
    const WeightAffine affine = weight_affine(w.kind, w.bits, 0);
    m_alpha = affine.scale;
    m_beta = affine.offset;
    // Pairs of chunks per group; a group with an odd chunk count ends with an all-zero chunk.
    m_pair_begin.push_back(0);
    for (int g = 0; g < m_groups; ++g) {
      const int len = std::min(m_glen, m_k - g * m_glen);
      const int chunks = (len + kChunk - 1) / kChunk;
      m_pair_begin.push_back(m_pair_begin.back() + (chunks + 1) / 2);
    }
    m_pairs = m_pair_begin.back();
    m_blocks = (m_n + kTmacRows - 1) / kTmacRows;

    m_idx.assign(static_cast<size_t>(m_blocks) * m_bits * m_pairs * kTmacRows, 0);
    m_scales.assign(static_cast<size_t>(m_blocks) * m_groups * kTmacRows, 0.0f);
    if (w.kind == WeightKind::kUnsigned) {
      m_zeros.assign(m_scales.size(), 0);
    }
    for (int row = 0; row < m_n; ++row) {
      const int b = row / kTmacRows;
      const int q = row % kTmacRows;
      const uint8_t* codes = &w.codes[static_cast<size_t>(row) * m_k];
      for (int g = 0; g < m_groups; ++g) {
        const size_t gi = (static_cast<size_t>(b) * m_groups + g) * kTmacRows + q;
        m_scales[gi] = fp16_to_float(w.scales[static_cast<size_t>(row) * m_groups + g]);
        if (!m_zeros.empty()) m_zeros[gi] = w.zeros[static_cast<size_t>(row) * m_groups + g];
        const int start = g * m_glen;
        const int end = std::min(m_k, start + m_glen);
        for (int kk = start; kk < end; ++kk) {
          const int chunk = (kk - start) / kChunk;
          const int pair = m_pair_begin[g] + chunk / 2;
          const int shift = (chunk & 1) * 4 + (kk - start) % kChunk;
          for (int plane = 0; plane < m_bits; ++plane) {
            if ((codes[kk] >> plane) & 1) {
              m_idx[index_offset(b, plane, pair) + q] |= static_cast<uint8_t>(1u << shift);
            }
          }
        }
      }
    }
  }

  CpuKernel kind() const override { return CpuKernel::kTmac; }
  size_t weight_bytes() const override {
    return m_idx.size() + m_scales.size() * sizeof(float) + m_zeros.size() * sizeof(int32_t);
  }

  void run(const Activations& a, int threads, std::vector<float>& out) override {
    check_activations_for(a, m_k, "tmac");
    if (a.format != ActFormat::kInt8) throw std::invalid_argument("tmac: INT8 activations only");
    const int m = a.m;
    m_tables.resize(static_cast<size_t>(m) * m_pairs * 64);
    m_sum_a.resize(static_cast<size_t>(m) * m_groups);
    parallel_ranges(threads, m, [&](int begin, int end) {
      for (int i = begin; i < end; ++i) build_tables(a, i);
    });
    out.resize(static_cast<size_t>(m) * m_n);
    parallel_ranges(threads, m_blocks, [&](int begin, int end) {
      float tail[kTmacRows];
      for (int b = begin; b < end; ++b) {
        const bool full = (b + 1) * kTmacRows <= m_n;
        for (int i = 0; i < m; ++i) {
          TmacBlockArgs args;
          args.idx = &m_idx[index_offset(b, 0, 0)];
          args.planes = m_bits;
          args.pairs = m_pairs;
          args.tables = &m_tables[static_cast<size_t>(i) * m_pairs * 64];
          args.pair_begin = m_pair_begin.data();
          args.groups = m_groups;
          args.sum_a = &m_sum_a[static_cast<size_t>(i) * m_groups];
          args.alpha = m_alpha;
          args.beta = m_beta;
          const size_t gi = static_cast<size_t>(b) * m_groups * kTmacRows;
          args.zeros = m_zeros.empty() ? nullptr : &m_zeros[gi];
          args.scales = &m_scales[gi];
          args.act_scale = a.row_scales[i];
          float* dst = &out[static_cast<size_t>(i) * m_n + static_cast<size_t>(b) * kTmacRows];
          args.out = full ? dst : tail;
          tmac_block_avx2(args);
          if (!full) std::copy_n(tail, m_n - b * kTmacRows, dst);
        }
      }
    });
  }

  std::vector<double> error_bound(const Activations&) const override { return {}; }

  std::string detail() const override {
    return "T-MAC-style LUT, AVX2 vpshufb, g = 4, int16 tables split into 2 byte lookups, " +
           std::to_string(m_bits) + " bit-planes";
  }

 private:
  size_t index_offset(int block, int plane, int pair) const {
    return ((static_cast<size_t>(block) * m_bits + plane) * m_pairs + pair) * kTmacRows;
  }

  // Tables of activation row i: per chunk T[0] = 0, T[idx] = T[idx without its lowest bit] +
  // a_(lowest bit), stored as low bytes then high bytes; chunk 2c at +0, chunk 2c+1 at +32.
  void build_tables(const Activations& a, int i) {
    const int8_t* act = &a.int8[static_cast<size_t>(i) * m_k];
    uint8_t* tables = &m_tables[static_cast<size_t>(i) * m_pairs * 64];
    int32_t* sum_a = &m_sum_a[static_cast<size_t>(i) * m_groups];
    for (int g = 0; g < m_groups; ++g) {
      const int start = g * m_glen;
      const int end = std::min(m_k, start + m_glen);
      int32_t sum = 0;
      for (int pair = m_pair_begin[g]; pair < m_pair_begin[g + 1]; ++pair) {
        for (int half = 0; half < 2; ++half) {
          const int k0 = start + ((pair - m_pair_begin[g]) * 2 + half) * kChunk;
          int v[kChunk];
          for (int j = 0; j < kChunk; ++j) v[j] = k0 + j < end ? act[k0 + j] : 0;
          int t[16];
          t[0] = 0;
          for (int idx = 1; idx < 16; ++idx) {
            const int low = std::countr_zero(static_cast<unsigned>(idx));
            t[idx] = t[idx & (idx - 1)] + v[low];
          }
          uint8_t* dst = tables + static_cast<size_t>(pair) * 64 + half * 32;
          for (int idx = 0; idx < 16; ++idx) {
            dst[idx] = static_cast<uint8_t>(t[idx] & 0xFF);
            dst[16 + idx] = static_cast<uint8_t>((t[idx] >> 8) & 0xFF);
          }
          sum += t[15];
        }
      }
      sum_a[g] = sum;
    }
  }

  int m_n;
  int m_k;
  int m_bits;
  int m_groups;
  int m_glen;
  int m_alpha = 1;
  int m_beta = 0;
  int m_pairs = 0;
  int m_blocks = 0;
  std::vector<int32_t> m_pair_begin;  // [groups + 1]
  std::vector<uint8_t> m_idx;         // [blocks][bits][pairs][32]
  std::vector<float> m_scales;        // [blocks][groups][32]
  std::vector<int32_t> m_zeros;       // [blocks][groups][32], kUnsigned only
  std::vector<uint8_t> m_tables;      // [m][pairs][64], per run
  std::vector<int32_t> m_sum_a;       // [m][groups], per run
};

}  // namespace

bool tmac_supports(const QuantizedWeights& w, std::optional<ActFormat> act, std::string* reason) {
  if (!__builtin_cpu_supports("avx2")) {
    *reason = "this CPU has no AVX2 (the kernel's vpshufb lookups need it)";
    return false;
  }
  if (act && *act != ActFormat::kInt8) {
    *reason = "the T-MAC kernel takes INT8 activations (integer tables)";
    return false;
  }
  if (w.bits < 1 || w.bits > 4) {
    *reason = "the T-MAC kernel takes 1-4 bit weights, not " + std::to_string(w.bits);
    return false;
  }
  if (w.group_size > kTmacMaxGroupLength) {
    *reason = "group of " + std::to_string(w.group_size) + " elements could overflow int32 sums";
    return false;
  }
  return true;
}

std::unique_ptr<ICpuKernel> make_tmac_kernel(const QuantizedWeights& w, std::string*) {
  return std::make_unique<TmacKernel>(w);
}

}  // namespace lowbit::cpu
