// Golden backend: synthesize and quantize a layer, run the four golden kernels, compare them.
#include "lowbit/golden_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string>

#include "lowbit/error.h"
#include "lowbit/model_file.h"
#include "model/formats/fp16.h"
#include "model/kernels/bitmod_gemm.h"
#include "model/kernels/fp4_gemm.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/act_format.h"
#include "model/quant/act_quant.h"
#include "model/quant/bitmod_quant.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"

namespace lowbit {
namespace {

// Activations use a second random stream so weights and activations are independent.
constexpr uint64_t kActivationStream = 0x9E3779B97F4A7C15ull;

// Columns whose sums |a_k w_k| run side by side (run_golden_layer).
constexpr int kSumColumns = 8;

// out[jj] = sum over k in order of |a[k] * wt[k][jj]| for kSumColumns columns: each column's sum
// is the in-order double chain of one column (the same bits as summing it alone); the columns are
// independent chains, so they fill vector lanes instead of waiting on one add's latency. GCC on
// x86-64 builds AVX2 and AVX-512 clones (no FMA: -ffp-contract=off).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
void abs_sums(const double* a, const double* wt, int k, double* out) {
  double acc[kSumColumns] = {};
  for (int kk = 0; kk < k; ++kk) {
    for (int jj = 0; jj < kSumColumns; ++jj)
      acc[jj] += std::fabs(a[kk] * wt[kk * kSumColumns + jj]);
  }
  for (int jj = 0; jj < kSumColumns; ++jj) out[jj] = acc[jj];
}

void synth(const LayerSpec& l, int rows, int cols, uint64_t seed, bool weights,
           std::vector<float>& out) {
  if (l.distribution == "gaussian") {
    synth_gaussian(rows, cols, seed, weights ? 0.02f : 1.0f, 0, out);
    return;
  }
  HeavyTailSpec spec;
  if (weights) {
    spec.dof = 4.0;  // LLM weights: mildly heavy-tailed, few outlier input channels
    spec.scale = 0.02f;
    spec.outlier_gain = 4.0f;
  }
  synth_heavy_tailed(rows, cols, seed, spec, 0, out);
}

// O_fp64[M][N] = A W^T in double, summed along K in order (LayerData::unquantized_out). Eight
// columns' sums run side by side as independent chains (each the in-order sum of its column, so
// the same bits), not one add latency per weight.
std::vector<double> unquantized_product(const std::vector<float>& a, const std::vector<float>& w,
                                        int m, int n, int k) {
  constexpr int kCols = 8;
  std::vector<double> out(static_cast<size_t>(m) * n);
  int j = 0;
  for (; j + kCols <= n; j += kCols) {
    const float* wr = &w[static_cast<size_t>(j) * k];
    for (int i = 0; i < m; ++i) {
      const float* ar = &a[static_cast<size_t>(i) * k];
      double exact[kCols] = {};
      for (int kk = 0; kk < k; ++kk) {
        const double av = ar[kk];
        for (int c = 0; c < kCols; ++c) exact[c] += av * wr[static_cast<size_t>(c) * k + kk];
      }
      for (int c = 0; c < kCols; ++c) out[static_cast<size_t>(i) * n + j + c] = exact[c];
    }
  }
  for (; j < n; ++j) {
    const float* wr = &w[static_cast<size_t>(j) * k];
    for (int i = 0; i < m; ++i) {
      const float* ar = &a[static_cast<size_t>(i) * k];
      double exact = 0;
      for (int kk = 0; kk < k; ++kk) exact += static_cast<double>(ar[kk]) * wr[kk];
      out[static_cast<size_t>(i) * n + j] = exact;
    }
  }
  return out;
}

template <typename F>
auto timed(std::vector<KernelTiming>& timings, const char* name, F&& kernel) {
  const auto t0 = std::chrono::steady_clock::now();
  auto out = kernel();
  const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
  timings.push_back({name, dt.count()});
  return out;
}

// The intN RTN format a BitMoD layer is compared with (N = its width).
std::string rtn_weight_format(const QuantizedWeights& q) { return "int" + std::to_string(q.bits); }

bool bit_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

LayerData make_layer_data(const LayerSpec& l, std::vector<float>* weight_scratch) {
  LayerData d;
  synth(l, l.m, l.k, l.seed ^ kActivationStream, false, d.a_float);
  d.acts = quantize_activations(d.a_float, l.m, l.k, l.activation_format);
  std::vector<float> own;
  std::vector<float>& w = weight_scratch != nullptr ? *weight_scratch : own;
  if (!l.model_tensor.empty()) {
    // The file's own weights (docs/models.md); the activations are synthesized as above.
    const ModelFile model(l.model_file);
    ModelTensor t;
    t.name = l.model_tensor;
    t.n = l.n;
    t.k = l.k;
    ModelWeights mw = model.load(t, parse_weight_format(l.weight_format),
                                 l.group_size == 0 ? kWholeRow : l.group_size);
    if (mw.q.n != l.n || mw.q.k != l.k) {
      throw InputError(fmt::format("{}: tensor {}: changed while lowbit was running", l.model_file,
                                   l.model_tensor));
    }
    d.weights = std::move(mw.q);
    w = std::move(mw.w_float);
  } else {
    synth(l, l.n, l.k, l.seed, true, w);
    d.weights = quantize_weights(w, l.n, l.k, parse_weight_format(l.weight_format),
                                 l.group_size == 0 ? kWholeRow : l.group_size);
  }
  if (d.weights.codec == WeightCodec::kBitmod) {
    d.rtn_weights = quantize_weights(w, l.n, l.k, parse_weight_format(rtn_weight_format(d.weights)),
                                     d.weights.group_size);
  }
  d.unquantized_out = unquantized_product(d.a_float, w, l.m, l.n, l.k);
  return d;
}

GoldenLayerResult run_golden_layer(const LayerSpec& l, const LayerData& d) {
  GoldenLayerResult r;
  r.spec = l;
  std::vector<float> ref;
  std::vector<float> rtn_ref;  // BitMoD layers: the same floats as intN RTN, for comparison
  if (d.weights.codec == WeightCodec::kBitmod) {
    // BitMoD weights (a datatype per group): their reference, the bitmod golden and, as the
    // second integer path, the bit-serial group sums of the array (docs/bitmod.md).
    const BitmodWeights bw = bitmod_from_quantized(d.weights);
    ref = timed(r.timings, "reference", [&] { return bitmod_reference(d.acts, bw); });
    std::vector<int64_t> sums;
    r.out = timed(r.timings, "bitmod", [&] { return bitmod_gemm(d.acts, bw, &sums); });
    const auto serial = timed(r.timings, "bitmod_bit_serial",
                              [&] { return bitmod_group_sums_bit_serial(d.acts, bw); });
    r.integer_paths_bit_exact = sums == serial;
    for (const auto& [type, groups] : bitmod_type_histogram(bw)) {
      r.weight_type_mix.emplace_back(std::string(bitmod_type_name(type)), groups);
    }
    r.rtn_weight_format = rtn_weight_format(d.weights);
    rtn_ref =
        timed(r.timings, "reference_rtn", [&] { return mpgemm_reference(d.acts, d.rtn_weights); });
  } else if (weight_codec_is_fp4(d.weights.codec)) {
    // FP4 E2M1 / MXFP4 weights (docs/fp-weights.md): the direct integer sums of doubled values,
    // and as the second integer path the LUT tables over the 5 offset-binary planes.
    ref = timed(r.timings, "reference", [&] { return fp4_reference(d.acts, d.weights); });
    std::vector<int64_t> sums;
    r.out = timed(r.timings, "fp4", [&] { return fp4_gemm(d.acts, d.weights, &sums); });
    const auto lut =
        timed(r.timings, "fp4_lut", [&] { return fp4_group_sums_lut(d.acts, d.weights); });
    r.integer_paths_bit_exact = sums == lut;
  } else {
    ref = timed(r.timings, "reference", [&] { return mpgemm_reference(d.acts, d.weights); });
    r.out = timed(r.timings, "integer", [&] { return mpgemm_integer(d.acts, d.weights); });
    const auto lut = timed(r.timings, "lut", [&] { return mpgemm_lut(d.acts, d.weights, {}); });
    const auto mix = timed(r.timings, "mixpe", [&] { return mpgemm_mixpe(d.acts, d.weights); });
    r.integer_paths_bit_exact = bit_equal(r.out, lut) && bit_equal(r.out, mix);
  }

  // Per output: the unquantized fp64 product (what quantization costs, for the architect) and
  // sum |a_k w_k| over the dequantized operands (scales the error bound of the exact paths).
  const std::vector<double> a_deq = dequantize_activations(d.acts);
  const QuantizedWeights& q = d.weights;
  // Dequantized weights of kSumColumns columns, [k][column] (0 past n), and their sums per row.
  std::vector<double> wt(static_cast<size_t>(l.k) * kSumColumns);
  std::vector<double> sums(static_cast<size_t>(l.m) * kSumColumns);
  double err2 = 0, ref2 = 0, rtn_err2 = 0;
  r.within_bound = true;
  for (int j = 0; j < l.n; ++j) {
    const int jj = j % kSumColumns;
    if (jj == 0) {
      const int cols = std::min(kSumColumns, l.n - j);
      if (cols < kSumColumns) std::fill(wt.begin(), wt.end(), 0.0);
      const int groups = q.groups();
      for (int c = 0; c < cols; ++c) {
        const uint8_t* codes = &q.codes[static_cast<size_t>(j + c) * l.k];
        for (int g = 0; g < groups; ++g) {  // the group's scale and zero once, not per weight
          const double s = q.scale_value(j + c, g);
          const uint8_t zero = q.zeros[static_cast<size_t>(j + c) * groups + g];
          const int end = std::min(l.k, (g + 1) * q.group_size);
          for (int k = g * q.group_size; k < end; ++k) {
            wt[static_cast<size_t>(k) * kSumColumns + c] = s * q.code_value(codes[k], zero);
          }
        }
      }
      for (int i = 0; i < l.m; ++i) {
        abs_sums(&a_deq[static_cast<size_t>(i) * l.k], wt.data(), l.k,
                 &sums[static_cast<size_t>(i) * kSumColumns]);
      }
    }
    for (int i = 0; i < l.m; ++i) {
      const double abs_sum = sums[static_cast<size_t>(i) * kSumColumns + jj];
      const size_t idx = static_cast<size_t>(i) * l.n + j;
      const double exact = d.unquantized_out[idx];
      const double ref_v = ref[idx];
      err2 += (ref_v - exact) * (ref_v - exact);
      if (!rtn_ref.empty()) {
        const double rtn_v = rtn_ref[idx];
        rtn_err2 += (rtn_v - exact) * (rtn_v - exact);
      }
      ref2 += exact * exact;
      const double diff = std::fabs(static_cast<double>(r.out[idx]) - ref_v);
      const double bound = exact_path_error_bound(q.groups(), abs_sum);
      r.max_abs_diff_vs_reference = std::max(r.max_abs_diff_vs_reference, diff);
      r.error_bound = std::max(r.error_bound, bound);
      r.within_bound = r.within_bound && diff <= bound;
      r.max_abs_reference = std::max(r.max_abs_reference, std::fabs(ref_v));
    }
  }
  r.quantization_rel_error = ref2 > 0 ? std::sqrt(err2 / ref2) : 0.0;
  r.rtn_quantization_rel_error = ref2 > 0 ? std::sqrt(rtn_err2 / ref2) : 0.0;
  return r;
}

}  // namespace lowbit
