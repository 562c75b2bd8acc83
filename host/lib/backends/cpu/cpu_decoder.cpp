// One decoder block on the CPU, timed by operator class (cpu_decoder.h).
#include "host/lib/backends/cpu/cpu_decoder.h"

#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>

#include "model/kernels/vector_ops.h"

namespace lowbit {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Accumulates the time since the previous lap into one class.
struct Laps {
  Clock::time_point last = Clock::now();
  void to(double& acc) {
    const Clock::time_point now = Clock::now();
    acc += seconds(last, now);
    last = now;
  }
};

}  // namespace

void CpuClassSeconds::add(const CpuClassSeconds& o, double times) {
  linear += o.linear * times;
  attention_matmuls += o.attention_matmuls * times;
  kv_traffic += o.kv_traffic * times;
  nonlinear += o.nonlinear * times;
}

void cpu_softmax(float* x, size_t n) {
  if (n == 0) return;
  float mx = x[0];
  for (size_t i = 1; i < n; ++i) mx = std::max(mx, x[i]);
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - mx);
    sum += x[i];
  }
  for (size_t i = 0; i < n; ++i) x[i] = x[i] / sum;
}

void cpu_silu_gate(const float* g, const float* u, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = g[i] / (1.0f + std::exp(-g[i])) * u[i];
}

void cpu_relu2_gate(const float* g, const float* u, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float r = std::max(g[i], 0.0f);
    y[i] = r * r * u[i];
  }
}

CpuDecoderBlock::CpuDecoderBlock(const DecodeStepSpec& spec,
                                 const std::array<const QuantizedWeights*, kBlockLinears>& weights,
                                 const std::array<CpuKernel, kBlockLinears>& kernels)
    : spec_(spec) {
  const DecoderShape& sh = spec.shape;
  if (sh.hidden <= 0 || sh.ffn <= 0 || sh.heads <= 0 || sh.kv_heads <= 0 || sh.head_dim <= 0 ||
      sh.head_dim % 2 != 0 || sh.heads % sh.kv_heads != 0 || spec.m <= 0 || spec.context < 1 ||
      (spec.prefill && spec.context != spec.m) || !decoder_gains_fit(spec)) {
    throw std::invalid_argument("CpuDecoderBlock: inconsistent shapes");
  }
  const int qdim = sh.heads * sh.head_dim, kvdim = sh.kv_heads * sh.head_dim;
  const std::array<std::pair<int, int>, kBlockLinears> nk = {{{qdim, sh.hidden},
                                                              {kvdim, sh.hidden},
                                                              {kvdim, sh.hidden},
                                                              {sh.hidden, qdim},
                                                              {sh.ffn, sh.hidden},
                                                              {sh.ffn, sh.hidden},
                                                              {sh.hidden, sh.ffn}}};
  for (int i = 0; i < kBlockLinears; ++i) {
    const QuantizedWeights& w = *weights[i];
    if (w.n != nk[i].first || w.k != nk[i].second) {
      throw std::invalid_argument("CpuDecoderBlock: linear layer " + std::to_string(i) +
                                  " has N x K = " + std::to_string(w.n) + " x " +
                                  std::to_string(w.k) + ", the block needs " +
                                  std::to_string(nk[i].first) + " x " +
                                  std::to_string(nk[i].second));
    }
    std::string why;
    if (!cpu_kernel_supports(kernels[i], w, spec.act_format, &why)) {
      throw std::invalid_argument(std::string("CpuDecoderBlock: ") + cpu_kernel_name(kernels[i]) +
                                  " cannot run linear layer " + std::to_string(i) + ": " + why);
    }
    kernels_[i] = make_cpu_kernel(kernels[i], w, &why);
    if (!kernels_[i]) throw std::invalid_argument("CpuDecoderBlock: " + why);
  }
  const int seqs = spec.prefill ? 1 : spec.m;
  const int positions = spec.prefill ? spec.m : spec.context;
  for (int s = 0; s < seqs; ++s) caches_.emplace_back(spec.kv, sh.kv_heads, sh.head_dim, positions);
}

void CpuDecoderBlock::load_past(uint64_t kv_seed) {
  if (spec_.prefill) return;
  const size_t d = static_cast<size_t>(spec_.shape.head_dim);
  std::vector<float> tmp(d);
  for (size_t sq = 0; sq < caches_.size(); ++sq) {
    for (int hk = 0; hk < spec_.shape.kv_heads; ++hk) {
      for (int p = 0; p + 1 < spec_.context; ++p) {
        for (int value = 0; value < 2; ++value) {
          synthesized_kv_row(kv_seed, static_cast<int>(sq), hk, static_cast<size_t>(p), value != 0,
                             tmp);
          caches_[sq].store(value != 0, hk, p, tmp);
        }
      }
    }
  }
}

uint64_t CpuDecoderBlock::weight_bytes() const {
  uint64_t b = 0;
  for (const auto& k : kernels_) b += k->weight_bytes();
  return b;
}

uint64_t CpuDecoderBlock::kv_cache_bytes() const {
  uint64_t b = 0;
  for (const CpuKvCache& c : caches_) b += c.bytes();
  return b;
}

CpuDecoderBlock::Step CpuDecoderBlock::run(const std::vector<float>& x, int threads) {
  const DecoderShape& sh = spec_.shape;
  const int M = spec_.m;
  const size_t H = static_cast<size_t>(sh.hidden), F = static_cast<size_t>(sh.ffn);
  const size_t d = static_cast<size_t>(sh.head_dim);
  const size_t qdim = static_cast<size_t>(sh.heads) * d,
               kvdim = static_cast<size_t>(sh.kv_heads) * d;
  if (threads < 1 || x.size() != static_cast<size_t>(M) * H) {
    throw std::invalid_argument("CpuDecoderBlock::run: threads >= 1 and x of [M][hidden]");
  }
  Step st;
  CpuClassSeconds& t = st.seconds;
  Laps lap;
  const auto linear = [&](BlockLinear l, Activations a) {
    const size_t i = static_cast<size_t>(l);
    st.linear_inputs[i] = std::move(a);
    lap.to(t.nonlinear);  // the requantization before it
    kernels_[i]->run(st.linear_inputs[i], threads, st.linear_outputs[i]);
    lap.to(t.linear);
    return std::span<const float>(st.linear_outputs[i]);
  };
  // Rows of the gain's width: hidden, or a sub-layer norm's (attention context, ffn).
  const auto rmsnorm = [&](const std::vector<float>& in, const std::vector<float>& gain) {
    const size_t w = gain.size();
    std::vector<float> y(in.size());
    for (int r = 0; r < M; ++r) {
      rmsnorm_f32({in.data() + r * w, w}, gain, sh.norm_eps, {y.data() + r * w, w});
    }
    return y;
  };

  // Attention input.
  const std::vector<float> n1 = rmsnorm(x, *spec_.norm1_gain);
  const Activations a1 = requantize(n1, M, sh.hidden, spec_.act_format);
  const std::span<const float> q0 = linear(BlockLinear::kQ, a1);
  const std::span<const float> k0 = linear(BlockLinear::kK, a1);
  const std::span<const float> v = linear(BlockLinear::kV, a1);
  std::vector<float> q(q0.begin(), q0.end()), k(k0.begin(), k0.end());
  const int seqs = spec_.prefill ? 1 : M;
  const int rows = spec_.prefill ? M : 1;
  const int base = spec_.prefill ? 0 : spec_.context - 1;
  const int L = base + rows;
  std::vector<float> cs, sn;
  for (int i = 0; i < rows; ++i) {
    rotary_table(base + i, sh.head_dim, sh.rope_theta, cs, sn);
    for (int sq = 0; sq < seqs; ++sq) {
      const size_t xr = static_cast<size_t>(sq) * rows + i;
      for (int h = 0; h < sh.heads; ++h) rotary_f32({q.data() + xr * qdim + h * d, d}, cs, sn);
      for (int h = 0; h < sh.kv_heads; ++h) rotary_f32({k.data() + xr * kvdim + h * d, d}, cs, sn);
    }
  }
  lap.to(t.nonlinear);
  // The rows' k and v go to the cache (a store to DRAM), then every head reads its cache back.
  for (int sq = 0; sq < seqs; ++sq) {
    for (int i = 0; i < rows; ++i) {
      const size_t xr = static_cast<size_t>(sq) * rows + i;
      for (int h = 0; h < sh.kv_heads; ++h) {
        caches_[sq].store(false, h, base + i, {k.data() + xr * kvdim + h * d, d});
        caches_[sq].store(true, h, base + i, {v.data() + xr * kvdim + h * d, d});
      }
    }
  }
  lap.to(t.kv_traffic);

  std::vector<float> attn(static_cast<size_t>(M) * qdim, 0.0f);
  const int group = sh.heads / sh.kv_heads;
  const float inv_sqrt_d = static_cast<float>(1.0 / std::sqrt(static_cast<double>(d)));
  const int workers = std::clamp(threads, 1, sh.kv_heads);
  std::vector<CpuClassSeconds> part(static_cast<size_t>(workers));
  std::vector<std::exception_ptr> errors(static_cast<size_t>(workers));
  const auto work = [&](int wi) {
    try {
      CpuClassSeconds& pt = part[static_cast<size_t>(wi)];
      Laps wl;
      std::vector<float> kf(static_cast<size_t>(L) * d), vf(static_cast<size_t>(L) * d);
      // Scores of the group's query rows: decode: group x L; prefill: rows x L per query head.
      std::vector<float> sc(static_cast<size_t>(std::max(group, rows)) * L);
      for (int sq = 0; sq < seqs; ++sq) {
        for (int hk = wi; hk < sh.kv_heads; hk += workers) {
          wl.last = Clock::now();
          caches_[sq].load(false, hk, L, kf.data());
          caches_[sq].load(true, hk, L, vf.data());
          wl.to(pt.kv_traffic);
          if (!spec_.prefill) {
            // The group's query heads are consecutive in the row: a group x d matrix.
            const float* qg = q.data() + static_cast<size_t>(sq) * qdim + hk * group * d;
            float* cg = attn.data() + static_cast<size_t>(sq) * qdim + hk * group * d;
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, group, L, sh.head_dim, inv_sqrt_d,
                        qg, sh.head_dim, kf.data(), sh.head_dim, 0.0f, sc.data(), L);
            wl.to(pt.attention_matmuls);
            for (int g = 0; g < group; ++g) cpu_softmax(sc.data() + static_cast<size_t>(g) * L, L);
            wl.to(pt.nonlinear);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, group, sh.head_dim, L, 1.0f,
                        sc.data(), L, vf.data(), sh.head_dim, 0.0f, cg, sh.head_dim);
            wl.to(pt.attention_matmuls);
            continue;
          }
          for (int g = 0; g < group; ++g) {
            // Prefill: the prompt rows of one query head (stride qdim), all positions, then the
            // causal mask (row i keeps 0 .. i), softmax, and PV over the masked row.
            const size_t hq = static_cast<size_t>(hk) * group + g;
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, L, sh.head_dim, inv_sqrt_d,
                        q.data() + hq * d, static_cast<int>(qdim), kf.data(), sh.head_dim, 0.0f,
                        sc.data(), L);
            wl.to(pt.attention_matmuls);
            for (int i = 0; i < rows; ++i) {
              float* r = sc.data() + static_cast<size_t>(i) * L;
              cpu_softmax(r, static_cast<size_t>(i) + 1);
              std::fill(r + i + 1, r + L, 0.0f);
            }
            wl.to(pt.nonlinear);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, sh.head_dim, L, 1.0f,
                        sc.data(), L, vf.data(), sh.head_dim, 0.0f, attn.data() + hq * d,
                        static_cast<int>(qdim));
            wl.to(pt.attention_matmuls);
          }
        }
      }
    } catch (...) {
      errors[static_cast<size_t>(wi)] = std::current_exception();
    }
  };
  openblas_set_num_threads(1);
  const Clock::time_point a0 = Clock::now();
  std::vector<std::thread> pool;
  for (int wi = 1; wi < workers; ++wi) pool.emplace_back(work, wi);
  work(0);
  for (std::thread& th : pool) th.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  const double wall = seconds(a0, Clock::now());
  CpuClassSeconds sum;
  for (const CpuClassSeconds& p : part) sum.add(p);
  const double busy = sum.total();
  if (busy > 0) t.add(sum, wall / busy);
  lap.last = Clock::now();

  // o, residual, feed-forward, residual.
  const std::span<const float> o =
      linear(BlockLinear::kO, requantize(sh.sub_norms ? rmsnorm(attn, *spec_.attn_sub_gain) : attn,
                                         M, static_cast<int>(qdim), spec_.act_format));
  std::vector<float> h(x.size());
  residual_add_f32(x, o, h);
  const std::vector<float> n2 = rmsnorm(h, *spec_.norm2_gain);
  const Activations a3 = requantize(n2, M, sh.hidden, spec_.act_format);
  const std::span<const float> gate = linear(BlockLinear::kGate, a3);
  const std::span<const float> up = linear(BlockLinear::kUp, a3);
  std::vector<float> act(static_cast<size_t>(M) * F);
  if (sh.ffn_act == GateAct::kRelu2) {
    cpu_relu2_gate(gate.data(), up.data(), act.data(), act.size());
  } else {
    cpu_silu_gate(gate.data(), up.data(), act.data(), act.size());
  }
  if (sh.sub_norms) act = rmsnorm(act, *spec_.ffn_sub_gain);
  const std::span<const float> down =
      linear(BlockLinear::kDown, requantize(act, M, sh.ffn, spec_.act_format));
  st.out.resize(x.size());
  residual_add_f32(h, down, st.out);
  lap.to(t.nonlinear);
  return st;
}

}  // namespace lowbit
