// Golden of the dequantize-then-MAC baseline: FP16 weights, exact products, FP32 accumulation.
#include "model/kernels/mac_fp16.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "model/formats/fp16.h"

namespace lowbit {

uint16_t mac_weight_fp16(int w, uint16_t scale_fp16) {
  return mac_weight_fp16_scale32(w, fp16_to_float(scale_fp16));
}

uint16_t mac_weight_fp16_scale32(int w, float scale32) {
  const float prod = static_cast<float>(w) * scale32;
  // The hardware multiplier returns the canonical NaN; keep the golden identical.
  return fp16_from_float(std::isnan(prod) ? std::bit_cast<float>(0x7FC00000u) : prod);
}

namespace {

// One output element over K steps; act(k), code(k) and the group's scale/zero are accessors.
template <class ActF, class WF>
float mac_fp16_element(int k, int group, ActF act, WF w16_of) {
  float out = 0.0f;
  for (int g0 = 0; g0 < k; g0 += group) {
    float acc = 0.0f;
    const int end = std::min(k, g0 + group);
    for (int s = g0; s < end; ++s) {
      const float p = fp16_to_float(act(s)) * fp16_to_float(w16_of(s));
      acc = acc + p;
    }
    out = out + acc;
  }
  return out;
}

}  // namespace

std::vector<float> mac_tile_golden(const ArrayTile& t) {
  if (!t.fp16) return mixpe_tile_golden(t);
  std::vector<float> out(static_cast<size_t>(t.rows) * t.cols);
  for (int r = 0; r < t.rows; ++r) {
    for (int c = 0; c < t.cols; ++c) {
      auto act = [&](int s) { return t.act[static_cast<size_t>(s) * t.rows + r]; };
      auto w16 = [&](int s) {
        const size_t gi = static_cast<size_t>(s / t.group) * t.cols + c;
        const int w = tile_weight_int(t, t.codes[static_cast<size_t>(s) * t.cols + c], t.zeros[gi]);
        return mac_weight_fp16_scale32(w, tile_group_scale(t, t.scales[gi]));
      };
      const float o = mac_fp16_element(t.k, t.group, act, w16);
      out[static_cast<size_t>(r) * t.cols + c] = o * t.act_scale[r];
    }
  }
  return out;
}

std::vector<float> mac_fp16_gemm(const QuantizedWeights& w, const Activations& a) {
  if (a.format != ActFormat::kFp16) throw std::invalid_argument("mac_fp16_gemm: FP16 activations");
  if (a.k != w.k) throw std::invalid_argument("mac_fp16_gemm: K mismatch");
  std::vector<float> out(static_cast<size_t>(a.m) * w.n);
  for (int i = 0; i < a.m; ++i) {
    for (int j = 0; j < w.n; ++j) {
      auto act = [&](int s) { return a.fp16[static_cast<size_t>(i) * a.k + s]; };
      auto w16 = [&](int s) {
        return mac_weight_fp16_scale32(w.value(j, s), w.scale_value(j, s / w.group_size));
      };
      out[static_cast<size_t>(i) * w.n + j] = mac_fp16_element(w.k, w.group_size, act, w16);
    }
  }
  return out;
}

double mac_exact_element(const QuantizedWeights& w, const Activations& a, int i, int j) {
  double sum = 0.0;
  for (int s = 0; s < w.k; ++s) {
    const double av = fp16_to_float(a.fp16[static_cast<size_t>(i) * a.k + s]);
    const double sc = w.scale_value(j, s / w.group_size);
    sum += av * sc * w.value(j, s);
  }
  return sum;
}

double mac_fp16_error_bound(const QuantizedWeights& w, const Activations& a, int i, int j) {
  const int groups = w.groups();
  double weight_err = 0.0;
  double magnitude = 0.0;
  for (int s = 0; s < w.k; ++s) {
    const double av = std::fabs(fp16_to_float(a.fp16[static_cast<size_t>(i) * a.k + s]));
    const float scale = w.scale_value(j, s / w.group_size);
    const int wi = w.value(j, s);
    const double exact_w = static_cast<double>(scale) * wi;
    const double w16 = fp16_to_float(mac_weight_fp16_scale32(wi, scale));
    weight_err += av * std::fabs(w16 - exact_w);
    magnitude += av * std::fabs(w16);
  }
  const double d = std::min(w.group_size, w.k) + groups;
  const double u = std::ldexp(1.0, -24);
  return weight_err + d * u / (1.0 - d * u) * magnitude;
}

}  // namespace lowbit
