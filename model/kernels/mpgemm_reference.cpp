// (a) Reference mpGEMM: dequantize to double, multiply in double, round once to float.
#include <algorithm>

#include "model/formats/fp16.h"
#include "model/kernels/mpgemm.h"
#include "model/kernels/mpgemm_internal.h"
#include "model/quant/act_quant.h"

namespace lowbit {

// Every product is exact in double (INT8 code * FP32 scale has <= 32 significant bits, FP16 <= 11,
// weight value * FP16 scale <= 20), so the only double roundings are in the sum: four partial
// sums (interleaved by k mod 4) keep it fast without fast-math, and their error, at most
// K * 2^-53 * sum |terms|, is negligible next to the FP32 bounds (docs/kernels.md).
std::vector<float> mpgemm_reference(const Activations& a, const QuantizedWeights& w) {
  check_mpgemm_operands(a, w);
  const std::vector<double> ad = dequantize_activations(a);
  const int k = w.k;
  const int groups = w.groups();
  std::vector<double> wrow(k);
  std::vector<float> out(static_cast<size_t>(a.m) * w.n);
  for (int j = 0; j < w.n; ++j) {
    const uint8_t* u = w.codes.data() + static_cast<size_t>(j) * k;
    for (int g = 0; g < groups; ++g) {
      const double s = fp16_to_float(w.scales[static_cast<size_t>(j) * groups + g]);
      const WeightAffine f = detail::weight_affine(w, j, g);
      for (int c = g * w.group_size; c < std::min(k, (g + 1) * w.group_size); ++c) {
        wrow[c] = s * (f.scale * static_cast<int>(u[c]) - f.offset);
      }
    }
    for (int i = 0; i < a.m; ++i) {
      const double* ar = ad.data() + static_cast<size_t>(i) * k;
      double p0 = 0, p1 = 0, p2 = 0, p3 = 0;
      int c = 0;
      for (; c + 4 <= k; c += 4) {
        p0 += ar[c] * wrow[c];
        p1 += ar[c + 1] * wrow[c + 1];
        p2 += ar[c + 2] * wrow[c + 2];
        p3 += ar[c + 3] * wrow[c + 3];
      }
      for (; c < k; ++c) p0 += ar[c] * wrow[c];
      out[static_cast<size_t>(i) * w.n + j] = static_cast<float>((p0 + p1) + (p2 + p3));
    }
  }
  return out;
}

}  // namespace lowbit
