// BitMoD per-group datatype selection by minimum squared error.
#include "model/quant/bitmod_quant.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "model/formats/fp16.h"
#include "model/formats/minifloat.h"

namespace lowbit {

double bitmod_quantize_group(std::span<const float> w, BitmodType type, uint16_t* scale_out,
                             uint8_t* codes_out) {
  double amax = 0.0;
  for (float x : w) amax = std::fmax(amax, std::fabs(static_cast<double>(x)));
  // FP16 scale, saturated so that huge groups clip instead of getting an infinite scale.
  const auto scale_code = static_cast<uint16_t>(
      minifloat_encode(kFp16Spec, amax / bitmod_max_abs(type), Overflow::kSaturate));
  const double scale = fp16_to_float(scale_code);
  *scale_out = scale_code;
  double sse = 0.0;
  for (size_t i = 0; i < w.size(); ++i) {
    const double x = w[i];
    // A zero scale (all-zero group, or max|w| below the FP16 subnormal range) stores code 0.
    const uint32_t code = scale > 0.0 ? bitmod_encode(type, x / scale) : 0u;
    codes_out[i] = static_cast<uint8_t>(code);
    const double err = x - bitmod_decode(type, code) * scale;
    sse += err * err;
  }
  return sse;
}

BitmodWeights bitmod_quantize(const std::vector<float>& w, int n, int k, int bits,
                              std::span<const BitmodType> candidates, int group_size) {
  if (n < 0 || k < 0 || w.size() != static_cast<size_t>(n) * k)
    throw std::invalid_argument("bitmod_quantize: weight size does not match n x k");
  if (group_size <= 0) throw std::invalid_argument("bitmod_quantize: group size must be > 0");
  if (candidates.empty()) candidates = bitmod_candidates(bits);
  if (candidates.empty()) throw std::invalid_argument("bitmod_quantize: bits must be 3 or 4");
  for (BitmodType t : candidates)
    if (bitmod_bits(t) != bits)
      throw std::invalid_argument("bitmod_quantize: a candidate type has another bit width");
  BitmodWeights q;
  q.n = n;
  q.k = k;
  q.bits = bits;
  q.group_size = group_size;
  q.codes.resize(w.size());
  q.scales.resize(static_cast<size_t>(n) * q.groups());
  q.types.resize(q.scales.size());
  std::vector<uint8_t> trial(static_cast<size_t>(group_size));
  for (int r = 0; r < n; ++r) {
    for (int g = 0; g < q.groups(); ++g) {
      const int c0 = g * group_size;
      const int len = std::min(group_size, k - c0);
      const size_t off = static_cast<size_t>(r) * k + c0;
      const std::span<const float> group(&w[off], len);
      const size_t gi = static_cast<size_t>(r) * q.groups() + g;
      double best = INFINITY;
      for (BitmodType t : candidates) {
        uint16_t scale = 0;
        const double sse = bitmod_quantize_group(group, t, &scale, trial.data());
        if (sse < best) {
          best = sse;
          q.types[gi] = t;
          q.scales[gi] = scale;
          std::copy_n(trial.begin(), len, q.codes.begin() + static_cast<std::ptrdiff_t>(off));
        }
      }
    }
  }
  return q;
}

std::vector<float> bitmod_dequantize(const BitmodWeights& q) {
  std::vector<float> out(q.codes.size());
  for (int r = 0; r < q.n; ++r) {
    for (int c = 0; c < q.k; ++c) {
      const size_t gi = static_cast<size_t>(r) * q.groups() + c / q.group_size;
      const size_t i = static_cast<size_t>(r) * q.k + c;
      const double v = bitmod_decode(q.types[gi], q.codes[i]);
      out[i] = static_cast<float>(v * fp16_to_float(q.scales[gi]));
    }
  }
  return out;
}

std::map<BitmodType, int> bitmod_type_histogram(const BitmodWeights& q) {
  std::map<BitmodType, int> hist;
  for (BitmodType t : q.types) ++hist[t];
  return hist;
}

QuantizedWeights bitmod_to_quantized(const BitmodWeights& q) {
  QuantizedWeights w;
  w.n = q.n;
  w.k = q.k;
  w.bits = q.bits;
  w.group_size = q.group_size;
  w.kind = WeightKind::kSigned;
  w.codec = WeightCodec::kBitmod;
  w.codes = q.codes;
  w.scales = q.scales;
  w.zeros.reserve(q.types.size());
  for (BitmodType t : q.types) w.zeros.push_back(static_cast<uint8_t>(t));
  return w;
}

BitmodWeights bitmod_from_quantized(const QuantizedWeights& w) {
  if (w.codec != WeightCodec::kBitmod) {
    throw std::invalid_argument("bitmod_from_quantized: the weights are not BitMoD weights");
  }
  BitmodWeights q;
  q.n = w.n;
  q.k = w.k;
  q.bits = w.bits;
  q.group_size = w.group_size;
  q.codes = w.codes;
  q.scales = w.scales;
  q.types.reserve(w.zeros.size());
  for (uint8_t t : w.zeros) {
    if (t >= kBitmodTypeCount) {
      throw std::invalid_argument("bitmod_from_quantized: a type id is not a BitMoD datatype");
    }
    q.types.push_back(static_cast<BitmodType>(t));
  }
  return q;
}

}  // namespace lowbit
