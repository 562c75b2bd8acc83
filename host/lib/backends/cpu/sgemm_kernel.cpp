// CPU reference kernel "sgemm": weights dequantized to FP32 offline, OpenBLAS SGEMM / SGEMV.
#include <cblas.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "host/lib/backends/cpu/cpu_kernels.h"
#include "model/formats/fp16.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/act_quant.h"
#include "model/quant/group_quant.h"

namespace lowbit::cpu {
namespace {

// O = fl(C * act_scale) with C = sum_k a_code[k] * w_deq[k] in FP32 by OpenBLAS (any order, FMA
// or not). w_deq = s_g * value is exact in FP32 (11 x 9 significant bits), a_code is exact, so
// the only roundings are OpenBLAS's (gamma_K) and the final multiply (u): see sgemm_error_bound.
class SgemmKernel final : public ICpuKernel {
 public:
  explicit SgemmKernel(const QuantizedWeights& w)
      : m_n(w.n), m_k(w.k), m_groups(w.groups()), m_w(dequantize_weights(w)) {
    m_w_abs.resize(m_w.size());
    for (size_t i = 0; i < m_w.size(); ++i) m_w_abs[i] = std::fabs(m_w[i]);
  }

  CpuKernel kind() const override { return CpuKernel::kSgemm; }
  size_t weight_bytes() const override { return m_w.size() * sizeof(float); }

  void run(const Activations& a, int threads, std::vector<float>& out) override {
    check_activations_for(a, m_k, "sgemm");
    openblas_set_num_threads(threads);
    to_float(a, false, m_a);
    out.resize(static_cast<size_t>(a.m) * m_n);
    multiply(a.m, m_a.data(), m_w.data(), out.data());
    if (a.format == ActFormat::kInt8) {
      for (int i = 0; i < a.m; ++i) {
        const float s = a.row_scales[i];
        float* o = &out[static_cast<size_t>(i) * m_n];
        for (int j = 0; j < m_n; ++j) o[j] = o[j] * s;
      }
    }
  }

  // Sigma_ij = act_i * sum_k |a_k| |w_k| by the same SGEMM on absolute values. All its terms are
  // non-negative, so the exact sum is at most fl / (1 - gamma_K) <= fl * (1 + 2 gamma_K).
  std::vector<double> error_bound(const Activations& a) const override {
    check_activations_for(a, m_k, "sgemm");
    std::vector<float> a_abs;
    to_float(a, true, a_abs);
    std::vector<float> c(static_cast<size_t>(a.m) * m_n);
    openblas_set_num_threads(1);
    multiply(a.m, a_abs.data(), m_w_abs.data(), c.data());
    const double inflate = 1 + 2 * gamma_fp32(m_k);
    std::vector<double> bound(c.size());
    for (int i = 0; i < a.m; ++i) {
      const double act = a.format == ActFormat::kInt8 ? std::fabs(a.row_scales[i]) : 1.0;
      for (int j = 0; j < m_n; ++j) {
        const size_t idx = static_cast<size_t>(i) * m_n + j;
        bound[idx] = sgemm_error_bound(m_k, m_groups, act * c[idx] * inflate);
      }
    }
    return bound;
  }

  std::string detail() const override {
    return std::string(openblas_get_config()) + ", core " + openblas_get_corename();
  }

 private:
  // INT8: the codes (the row scale is applied after the GEMM); FP16: the values.
  static void to_float(const Activations& a, bool absolute, std::vector<float>& dst) {
    const size_t count = static_cast<size_t>(a.m) * a.k;
    dst.resize(count);
    if (a.format == ActFormat::kInt8) {
      for (size_t i = 0; i < count; ++i) dst[i] = static_cast<float>(a.int8[i]);
    } else {
      for (size_t i = 0; i < count; ++i) dst[i] = fp16_to_float(a.fp16[i]);
    }
    if (absolute) {
      for (auto& v : dst) v = std::fabs(v);
    }
  }

  void multiply(int m, const float* a, const float* w, float* c) const {
    if (m == 1) {
      cblas_sgemv(CblasRowMajor, CblasNoTrans, m_n, m_k, 1.0f, w, m_k, a, 1, 0.0f, c, 1);
    } else {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, m_n, m_k, 1.0f, a, m_k, w, m_k, 0.0f,
                  c, m_n);
    }
  }

  int m_n;
  int m_k;
  int m_groups;
  std::vector<float> m_w;      // [n][k] dequantized weights
  std::vector<float> m_w_abs;  // |m_w|, for the error bound
  std::vector<float> m_a;      // activations of the current run
};

}  // namespace

bool sgemm_supports(const QuantizedWeights&, std::optional<ActFormat>, std::string*) {
  return true;  // every format: FP32 holds every dequantized weight and activation exactly
}

std::unique_ptr<ICpuKernel> make_sgemm_kernel(const QuantizedWeights& w, std::string*) {
  return std::make_unique<SgemmKernel>(w);
}

}  // namespace lowbit::cpu
