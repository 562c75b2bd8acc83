// Golden mpGEMM for FP4 weights (model/kernels/fp4_gemm.h).
#include "model/kernels/fp4_gemm.h"

#include <algorithm>
#include <stdexcept>

#include "fmt/format.h"
#include "model/kernels/dequant.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/act_quant.h"
#include "model/quant/group_quant.h"
#include "model/quant/parallel_rows.h"

namespace lowbit {

void check_fp4_operands(const Activations& a, const QuantizedWeights& w) {
  check_activations(a);
  check_quantized_weights(w);
  if (!weight_codec_is_fp4(w.codec)) {
    throw std::invalid_argument("fp4_gemm: the weights are not fp4_e2m1 or mxfp4");
  }
  if (a.k != w.k) {
    throw std::invalid_argument(
        fmt::format("fp4_gemm: activations have K={} but weights have K={}", a.k, w.k));
  }
  if (a.format == ActFormat::kFp16 && std::min(w.group_size, w.k) > kMaxFp16GroupLength) {
    throw std::invalid_argument(fmt::format(
        "fp4_gemm: FP16 activations need a weight group of at most {} elements (got {})",
        kMaxFp16GroupLength, std::min(w.group_size, w.k)));
  }
}

std::vector<float> fp4_gemm(const Activations& a, const QuantizedWeights& w,
                            std::vector<int64_t>* sums) {
  check_fp4_operands(a, w);
  const int groups = w.groups();
  std::vector<int64_t> ai(static_cast<size_t>(a.m) * a.k);
  for (int i = 0; i < a.m; ++i) {
    for (int k = 0; k < a.k; ++k) {
      const size_t l = static_cast<size_t>(i) * a.k + k;
      ai[l] = a.format == ActFormat::kFp16 ? fp16_to_fixed(a.fp16[l]) : a.int8[l];
    }
  }
  if (sums) sums->assign(static_cast<size_t>(a.m) * w.n * groups, 0);
  std::vector<float> out(static_cast<size_t>(a.m) * w.n);
  // Weight rows are independent (each writes only its own outputs and sums): parallel over rows,
  // the result the same for every thread count.
  parallel_rows(w.n, w.k * std::max(1, a.m), 0, [&](int j) {
    std::vector<int> wv(static_cast<size_t>(w.k));
    for (int k = 0; k < w.k; ++k) wv[k] = w.value(j, k);
    for (int i = 0; i < a.m; ++i) {
      const int64_t* ar = ai.data() + static_cast<size_t>(i) * a.k;
      float acc = 0.0f;
      for (int g = 0; g < groups; ++g) {
        int64_t s = 0;
        for (int k = g * w.group_size; k < std::min(w.k, (g + 1) * w.group_size); ++k) {
          s += ar[k] * wv[k];
        }
        if (sums) (*sums)[(static_cast<size_t>(i) * w.n + j) * groups + g] = s;
        acc = acc + int_to_fp32(s) * w.scale_value(j, g);
      }
      out[static_cast<size_t>(i) * w.n + j] =
          fp4_canonical_nan(dequant_finish(acc, activation_scale(a, i)));
    }
  });
  return out;
}

QuantizedWeights fp4_plane_view(const QuantizedWeights& w) {
  QuantizedWeights v = w;
  v.codec = WeightCodec::kAffine;
  v.kind = WeightKind::kSigned;
  v.bits = kFp4Planes;
  for (uint8_t& c : v.codes) c = static_cast<uint8_t>(fp4_plane_code(c));
  // The view's scale fields are not FP16 scales (mxfp4: E8M0 codes); only its sums are used.
  for (uint16_t& s : v.scales) s = 0x3C00;
  std::fill(v.zeros.begin(), v.zeros.end(), 0);
  return v;
}

std::vector<int64_t> fp4_group_sums_lut(const Activations& a, const QuantizedWeights& w, int g) {
  check_fp4_operands(a, w);
  return group_sums_lut(a, fp4_plane_view(w), g);
}

std::vector<float> fp4_reference(const Activations& a, const QuantizedWeights& w) {
  check_fp4_operands(a, w);
  const std::vector<double> ad = dequantize_activations(a);
  std::vector<double> wrow(static_cast<size_t>(w.k));
  std::vector<float> out(static_cast<size_t>(a.m) * w.n);
  for (int j = 0; j < w.n; ++j) {
    for (int k = 0; k < w.k; ++k) {
      wrow[k] = static_cast<double>(w.scale_value(j, k / w.group_size)) * w.value(j, k);
    }
    for (int i = 0; i < a.m; ++i) {
      double s = 0;
      for (int k = 0; k < w.k; ++k) s += ad[static_cast<size_t>(i) * w.k + k] * wrow[k];
      out[static_cast<size_t>(i) * w.n + j] = static_cast<float>(s);
    }
  }
  return out;
}

}  // namespace lowbit
