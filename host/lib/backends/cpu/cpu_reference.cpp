// run_cpu_kernel: prepare, warm up, time the repetitions, measure energy, verify against golden.
#include "lowbit/cpu_reference.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "host/lib/backends/cpu/cpu_kernels.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/act_quant.h"
#include "model/quant/group_quant.h"

namespace lowbit {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

CpuVerification verify(const ICpuKernel& kernel, const Activations& a,
                       const std::vector<float>& out, const std::vector<float>& golden) {
  CpuVerification v;
  v.checked = true;
  if (out.size() != golden.size()) {
    v.rule = "output size differs from golden";
    v.mismatches = static_cast<int64_t>(std::max(out.size(), golden.size()));
    return v;
  }
  const std::vector<double> bound = kernel.error_bound(a);
  if (bound.empty()) {
    v.rule = "bit-exact with mpgemm_integer";
    for (size_t i = 0; i < out.size(); ++i) {
      uint32_t x, y;
      std::memcpy(&x, &out[i], 4);
      std::memcpy(&y, &golden[i], 4);
      const double diff = std::fabs(static_cast<double>(out[i]) - golden[i]);
      v.max_abs_diff = std::max(v.max_abs_diff, std::isnan(diff) ? INFINITY : diff);
      if (x != y) ++v.mismatches;
    }
  } else {
    v.rule = "|O - O_golden| <= (gamma_{K+1} + gamma_{G+2}) sum|a w| + 2^-139";
    for (size_t i = 0; i < out.size(); ++i) {
      const double diff = std::fabs(static_cast<double>(out[i]) - golden[i]);
      const bool ok = diff <= bound[i];  // false for NaN
      v.max_abs_diff = std::max(v.max_abs_diff, std::isnan(diff) ? INFINITY : diff);
      if (bound[i] > 0) v.max_bound_ratio = std::max(v.max_bound_ratio, diff / bound[i]);
      if (!ok) ++v.mismatches;
    }
  }
  v.passed = v.mismatches == 0;
  return v;
}

}  // namespace

namespace cpu {

void check_activations_for(const Activations& a, int k, const char* kernel) {
  check_activations(a);
  if (a.k != k) {
    throw std::invalid_argument(std::string(kernel) + ": activations have K = " +
                                std::to_string(a.k) + ", weights K = " + std::to_string(k));
  }
}

}  // namespace cpu

const char* cpu_kernel_name(CpuKernel kind) {
  switch (kind) {
    case CpuKernel::kSgemm:
      return "sgemm";
    case CpuKernel::kOnednnInt8:
      return "onednn_int8";
    case CpuKernel::kTmac:
      return "tmac";
  }
  return "unknown";
}

const std::vector<CpuKernel>& all_cpu_kernels() {
  static const std::vector<CpuKernel> kinds = {CpuKernel::kSgemm, CpuKernel::kOnednnInt8,
                                               CpuKernel::kTmac};
  return kinds;
}

std::optional<CpuKernel> parse_cpu_kernel(std::string_view name) {
  for (CpuKernel k : all_cpu_kernels()) {
    if (name == cpu_kernel_name(k)) return k;
  }
  return std::nullopt;
}

double gamma_fp32(int n) {
  const double nu = n * 0x1p-24;
  return nu / (1 - nu);
}

// docs/cpu-reference.md: SGEMM vs exact <= gamma_{K+1} Sigma (K roundings in any summation order,
// FMA or not, then the row-scale multiply); golden vs exact <= gamma_{G+2} Sigma + 2^-140
// (docs/kernels.md); no underflow inside the SGEMM (every partial sum is a multiple of 2^-48);
// 2^-150 for the final multiply's underflow. 2^-139 covers both slack terms.
double sgemm_error_bound(int k, int groups, double abs_sum) {
  return (gamma_fp32(k + 1) + gamma_fp32(groups + 2)) * abs_sum + 0x1p-139;
}

bool cpu_kernel_supports(CpuKernel kind, const QuantizedWeights& w, ActFormat act,
                         std::string* reason) {
  std::string why;
  bool ok = false;
  switch (kind) {
    case CpuKernel::kSgemm:
      ok = cpu::sgemm_supports(w, act, &why);
      break;
    case CpuKernel::kOnednnInt8:
      ok = cpu::onednn_supports(w, act, &why);
      break;
    case CpuKernel::kTmac:
      ok = cpu::tmac_supports(w, act, &why);
      break;
  }
  if (!ok && reason) *reason = why;
  return ok;
}

std::unique_ptr<ICpuKernel> make_cpu_kernel(CpuKernel kind, const QuantizedWeights& w,
                                            std::string* reason) {
  check_quantized_weights(w);
  std::string why;
  std::unique_ptr<ICpuKernel> kernel;
  switch (kind) {
    case CpuKernel::kSgemm:
      if (cpu::sgemm_supports(w, std::nullopt, &why)) kernel = cpu::make_sgemm_kernel(w, &why);
      break;
    case CpuKernel::kOnednnInt8:
      if (cpu::onednn_supports(w, std::nullopt, &why)) kernel = cpu::make_onednn_kernel(w, &why);
      break;
    case CpuKernel::kTmac:
      if (cpu::tmac_supports(w, std::nullopt, &why)) kernel = cpu::make_tmac_kernel(w, &why);
      break;
  }
  if (!kernel && reason) *reason = why;
  return kernel;
}

CpuKernelResult run_cpu_kernel(CpuKernel kind, const Activations& a, const QuantizedWeights& w,
                               const CpuRunOptions& opt) {
  if (opt.threads < 1 || opt.warmup < 0 || opt.repetitions < 1) {
    throw std::invalid_argument("cpu reference: threads >= 1, warmup >= 0, repetitions >= 1");
  }
  check_mpgemm_operands(a, w);
  CpuKernelResult r;
  r.kernel = kind;
  r.threads = opt.threads;
  if (!cpu_kernel_supports(kind, w, a.format, &r.unavailable_reason)) return r;
  const auto t_prepare = std::chrono::steady_clock::now();
  std::unique_ptr<ICpuKernel> kernel = make_cpu_kernel(kind, w, &r.unavailable_reason);
  if (!kernel) return r;
  r.prepare_seconds = seconds_since(t_prepare);
  r.available = true;
  r.weight_bytes = kernel->weight_bytes();

  for (int i = 0; i < opt.warmup; ++i) kernel->run(a, opt.threads, r.out);
  RaplMeter rapl(opt.powercap_root);
  rapl.start();
  const auto t_all = std::chrono::steady_clock::now();
  for (int i = 0; i < opt.repetitions; ++i) {
    if (opt.cold_caches) evict_cpu_caches();
    const auto t0 = std::chrono::steady_clock::now();
    kernel->run(a, opt.threads, r.out);
    r.seconds.push_back(seconds_since(t0));
  }
  const double total = seconds_since(t_all);
  const double joules = rapl.available() ? rapl.stop_joules() : 0.0;
  r.detail = kernel->detail();

  std::vector<double> sorted = r.seconds;
  std::sort(sorted.begin(), sorted.end());
  const size_t mid = sorted.size() / 2;
  r.median_seconds = sorted.size() % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
  const double ops = 2.0 * a.m * static_cast<double>(w.n) * w.k;
  r.ops_per_second = r.median_seconds > 0 ? ops / r.median_seconds : 0;

  if (rapl.available()) {
    r.energy.measured = true;
    r.energy.joules_per_run = joules / opt.repetitions;
    r.energy.watts = total > 0 ? joules / total : 0;
    r.energy.source = "rapl: " + rapl.domains() + " (whole package, other load included)";
  } else {
    const double watts = opt.estimated_package_watts > 0 ? opt.estimated_package_watts
                                                         : kEstimatedWattsPerCore * opt.threads;
    r.energy.measured = false;
    r.energy.watts = watts;
    r.energy.joules_per_run = watts * r.median_seconds;
    r.energy.source =
        "estimate, not measured: " + rapl.reason() + "; " + std::to_string(watts) + " W " +
        (opt.estimated_package_watts > 0 ? "configured" : "assumed (5 W per busy core)") +
        " x median time";
  }

  if (opt.verify) {
    std::vector<float> computed;
    const std::vector<float>* golden = opt.golden;
    if (!golden) {
      computed = mpgemm_integer(a, w);
      golden = &computed;
    }
    r.verification = verify(*kernel, a, r.out, *golden);
  }
  return r;
}

}  // namespace lowbit
