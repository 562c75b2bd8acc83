// CPU reference kernel "onednn_int8": INT8 weight values, oneDNN s8 x s8 -> s32 matmul per group.
//
// oneDNN 2.6 (Debian bookworm) has no group-wise weight scales, so the kernel runs a batched
// matmul with one batch per weight group (M x G x N, the last group padded to G with zero weights
// and activations), over slabs of consecutive groups, and applies the dequant.h step to the exact
// s32 sums group by group: out = out + float(S_g) * s_g, then O = out * act_scale. The sums are
// exact (|S_g| <= 128 * 128 * G < 2^31 for G <= 2^17), so the output is bit-identical to
// mpgemm_integer.
#include <stdexcept>
#include <string>

#include "host/lib/backends/cpu/cpu_kernels.h"
#include "model/formats/fp16.h"
#include "model/quant/group_quant.h"

#if LOWBIT_HAVE_DNNL
#include <omp.h>

#include <algorithm>
#include <map>
#include <oneapi/dnnl/dnnl.hpp>
#include <tuple>
#endif

namespace lowbit::cpu {
namespace {

#if LOWBIT_HAVE_DNNL

// |a| <= 128, |w| <= 128: a group of up to 2^17 elements keeps |S_g| < 2^31 in the s32 output.
constexpr int kMaxGroupLength = 1 << 17;

bool weights_fit_int8(const QuantizedWeights& w) {
  switch (w.kind) {
    case WeightKind::kBinary:
    case WeightKind::kTernary:
    case WeightKind::kSigned:
      return w.bits <= 8;
    case WeightKind::kUnsigned:
      return w.bits <= 7;  // u - z in [-127, 127]
  }
  return false;
}

class OnednnKernel final : public ICpuKernel {
 public:
  explicit OnednnKernel(const QuantizedWeights& w)
      : m_n(w.n),
        m_k(w.k),
        m_groups(w.groups()),
        m_glen(w.group_size),
        m_engine(dnnl::engine::kind::cpu, 0) {
    // Offline: INT8 weight values [G][glen][N] (matmul weights are K x N), the last group padded
    // with zeros, plain layout so that any run of consecutive groups is one batched operand.
    m_w.assign(static_cast<size_t>(m_groups) * m_glen * m_n, 0);
    m_scales.resize(static_cast<size_t>(m_groups) * m_n);
    for (int j = 0; j < m_n; ++j) {
      for (int g = 0; g < m_groups; ++g) {
        m_scales[static_cast<size_t>(g) * m_n + j] =
            fp16_to_float(w.scales[static_cast<size_t>(j) * m_groups + g]);
        for (int kk = 0; kk < m_glen && g * m_glen + kk < m_k; ++kk) {
          m_w[(static_cast<size_t>(g) * m_glen + kk) * m_n + j] =
              static_cast<int8_t>(w.value(j, g * m_glen + kk));
        }
      }
    }
    make_pd(1, 1);  // throws dnnl::error now if oneDNN cannot run this problem at all
  }

  CpuKernel kind() const override { return CpuKernel::kOnednnInt8; }
  size_t weight_bytes() const override { return m_w.size(); }

  void run(const Activations& a, int threads, std::vector<float>& out) override {
    check_activations_for(a, m_k, "onednn_int8");
    if (a.format != ActFormat::kInt8) {
      throw std::invalid_argument("onednn_int8: INT8 activations only");
    }
    const int m = a.m;
    // Activations as [G][M][glen] so a slab of groups is one batched src (pads are zero).
    m_a.resize(static_cast<size_t>(m_groups) * m * m_glen);
    for (int g = 0; g < m_groups; ++g) {
      const int len = std::min(m_glen, m_k - g * m_glen);
      for (int i = 0; i < m; ++i) {
        int8_t* dst = &m_a[(static_cast<size_t>(g) * m + i) * m_glen];
        std::copy_n(&a.int8[static_cast<size_t>(i) * m_k + g * m_glen], len, dst);
        std::fill(dst + len, dst + m_glen, int8_t{0});
      }
    }
    // Slabs of groups whose s32 sums take at most kSlabBytes: few primitive executions (each is
    // an OpenMP parallel region) without an M x N x G buffer.
    const size_t per_group = static_cast<size_t>(m) * m_n * sizeof(int32_t);
    const int slab = static_cast<int>(std::clamp<size_t>(kSlabBytes / per_group, 1, m_groups));
    m_sums.resize(static_cast<size_t>(slab) * m * m_n);
    out.assign(static_cast<size_t>(m) * m_n, 0.0f);
    dnnl::stream stream(m_engine);
    for (int g0 = 0; g0 < m_groups; g0 += slab) {
      const int batch = std::min(slab, m_groups - g0);
      Prepared& p = prepared(m, batch, threads);
      dnnl::memory src(p.src_desc, m_engine, &m_a[static_cast<size_t>(g0) * m * m_glen]);
      dnnl::memory wei(p.weights_desc, m_engine, &m_w[static_cast<size_t>(g0) * m_glen * m_n]);
      dnnl::memory dst(p.dst_desc, m_engine, m_sums.data());
      p.matmul.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}});
      stream.wait();
      dequant_slab(m, g0, batch, threads, out.data());
    }
    for (int i = 0; i < m; ++i) {
      const float act = a.row_scales[i];
      float* o = &out[static_cast<size_t>(i) * m_n];
      for (int j = 0; j < m_n; ++j) o[j] = o[j] * act;
    }
  }

  std::vector<double> error_bound(const Activations&) const override { return {}; }

  std::string detail() const override {
    const dnnl_version_t* v = dnnl::version();
    return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
           std::to_string(v->patch) + " (" + dnnl_runtime_name() + "), matmul impl " +
           (m_last_impl.empty() ? std::string("not run yet") : m_last_impl) +
           ", batched s8 matmul with one batch per weight group of " + std::to_string(m_glen);
  }

 private:
  static constexpr size_t kSlabBytes = size_t{16} << 20;

  struct Prepared {
    dnnl::memory::desc src_desc;
    dnnl::memory::desc weights_desc;
    dnnl::memory::desc dst_desc;
    dnnl::matmul matmul;
  };

  static const char* dnnl_runtime_name() {
    return DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP ? "OpenMP runtime" : "non-OpenMP runtime";
  }

  // The dequant.h step for groups g0 .. g0+batch-1 in order, two roundings each (the build
  // forbids FMA contraction); rows in parallel.
  void dequant_slab(int m, int g0, int batch, int threads, float* out) const {
    const int n = m_n;
    const int32_t* sums = m_sums.data();
    const float* scales = m_scales.data();
#pragma omp parallel for num_threads(threads) schedule(static) if (m > 1)
    for (int i = 0; i < m; ++i) {
      float* o = out + static_cast<size_t>(i) * n;
      for (int b = 0; b < batch; ++b) {
        const int32_t* s = sums + (static_cast<size_t>(b) * m + i) * n;
        const float* sc = scales + static_cast<size_t>(g0 + b) * n;
        for (int j = 0; j < n; ++j) o[j] = o[j] + static_cast<float>(s[j]) * sc[j];
      }
    }
  }

  // src [batch][m][glen], weights [batch][glen][n], dst [batch][m][n] s32, all plain.
  dnnl::matmul::primitive_desc make_pd(int m, int batch) const {
    using dt = dnnl::memory::data_type;
    using tag = dnnl::memory::format_tag;
    const dnnl::memory::desc src({batch, m, m_glen}, dt::s8, tag::abc);
    const dnnl::memory::desc wei({batch, m_glen, m_n}, dt::s8, tag::abc);
    const dnnl::memory::desc dst({batch, m, m_n}, dt::s32, tag::abc);
    return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, wei, dst), m_engine);
  }

  // oneDNN's OpenMP runtime fixes the thread count when a primitive is created: one primitive
  // per (M, batch, threads).
  Prepared& prepared(int m, int batch, int threads) {
    omp_set_num_threads(threads);
    const auto key = std::make_tuple(m, batch, threads);
    auto it = m_cache.find(key);
    if (it != m_cache.end()) return it->second;
    const dnnl::matmul::primitive_desc pd = make_pd(m, batch);
    m_last_impl = pd.impl_info_str();
    Prepared p{pd.src_desc(), pd.weights_desc(), pd.dst_desc(), dnnl::matmul(pd)};
    return m_cache.emplace(key, std::move(p)).first->second;
  }

  int m_n;
  int m_k;
  int m_groups;
  int m_glen;
  dnnl::engine m_engine;
  std::vector<int8_t> m_w;      // [groups][glen][n] weight values
  std::vector<float> m_scales;  // [groups][n]
  std::map<std::tuple<int, int, int>, Prepared> m_cache;
  std::string m_last_impl;
  std::vector<int8_t> m_a;      // [groups][m][glen], per run
  std::vector<int32_t> m_sums;  // [slab][m][n], per slab
};

#endif  // LOWBIT_HAVE_DNNL

}  // namespace

bool onednn_supports(const QuantizedWeights& w, std::optional<ActFormat> act, std::string* reason) {
#if !LOWBIT_HAVE_DNNL
  (void)w;
  (void)act;
  *reason =
      "oneDNN was not found at configure time (apt-get install libdnnl-dev, then re-run cmake)";
  return false;
#else
  if (act && *act != ActFormat::kInt8) {
    *reason = "oneDNN int8 matmul needs INT8 activations";
    return false;
  }
  if (!weights_fit_int8(w)) {
    *reason = "weight values of uint" + std::to_string(w.bits) + " (u - z) do not fit INT8";
    return false;
  }
  if (w.group_size > kMaxGroupLength) {
    *reason = "group of " + std::to_string(w.group_size) + " elements could overflow the s32 sums";
    return false;
  }
  return true;
#endif
}

std::unique_ptr<ICpuKernel> make_onednn_kernel(const QuantizedWeights& w, std::string* reason) {
#if LOWBIT_HAVE_DNNL
  try {
    return std::make_unique<OnednnKernel>(w);
  } catch (const dnnl::error& e) {
    *reason = std::string("oneDNN refused the problem: ") + e.what();
    return nullptr;
  }
#else
  (void)w;
  *reason =
      "oneDNN was not found at configure time (apt-get install libdnnl-dev, then re-run cmake)";
  return nullptr;
#endif
}

}  // namespace lowbit::cpu
