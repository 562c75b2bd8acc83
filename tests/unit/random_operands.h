// Random mpGEMM operands for kernel tests: codes, zero points and FP16 scales over their whole
// ranges, INT8 and FP16 activations (shared by the golden-kernel and CPU-reference tests).
#pragma once

#include <cstdint>
#include <random>

#include "model/quant/tensors.h"
#include "model/quant/weight_format.h"

namespace lowbit::test {

// Arbitrary codes over the whole range (including intb's -2^(b-1)), random zero points and FP16
// scales spanning many binades (some subnormal, some negative): the kernels must not depend on
// what the quantizer happens to produce.
inline QuantizedWeights random_weights(std::mt19937_64& rng, int n, int k, WeightFormat f,
                                       int group) {
  QuantizedWeights w;
  w.n = n;
  w.k = k;
  w.bits = f.bits;
  w.kind = f.kind;
  w.group_size = group;
  const int limit = f.kind == WeightKind::kTernary ? 2 : (1 << f.bits) - 1;
  std::uniform_int_distribution<int> code(0, limit);
  w.codes.resize(static_cast<size_t>(n) * k);
  for (auto& c : w.codes) c = static_cast<uint8_t>(code(rng));
  std::uniform_int_distribution<int> zero(0, (1 << f.bits) - 1);
  std::uniform_int_distribution<int> exponent(1, 24);  // FP16 exponent field: 2^-14 .. 2^9
  std::uniform_int_distribution<int> mant(0, 1023);
  std::bernoulli_distribution rare(0.05);
  w.scales.resize(static_cast<size_t>(n) * w.groups());
  w.zeros.resize(w.scales.size());
  for (size_t g = 0; g < w.scales.size(); ++g) {
    uint16_t s = static_cast<uint16_t>((exponent(rng) << 10) | mant(rng));
    if (rare(rng)) s = static_cast<uint16_t>(mant(rng));  // subnormal (or zero)
    if (rare(rng)) s |= 0x8000;
    w.scales[g] = s;
    w.zeros[g] = static_cast<uint8_t>(f.kind == WeightKind::kUnsigned ? zero(rng) : 0);
  }
  return w;
}

inline Activations random_int8(std::mt19937_64& rng, int m, int k) {
  Activations a;
  a.m = m;
  a.k = k;
  a.format = ActFormat::kInt8;
  std::uniform_int_distribution<int> code(-128, 127);
  a.int8.resize(static_cast<size_t>(m) * k);
  for (auto& c : a.int8) c = static_cast<int8_t>(code(rng));
  std::uniform_real_distribution<float> scale(1e-4f, 1.0f);
  for (int i = 0; i < m; ++i) a.row_scales.push_back(scale(rng));
  return a;
}

// Random finite FP16 bit patterns: every magnitude from subnormals to 65504, both signs.
inline Activations random_fp16(std::mt19937_64& rng, int m, int k) {
  Activations a;
  a.m = m;
  a.k = k;
  a.format = ActFormat::kFp16;
  std::uniform_int_distribution<int> bits(0, 0xFFFF);
  a.fp16.resize(static_cast<size_t>(m) * k);
  for (auto& h : a.fp16) {
    do h = static_cast<uint16_t>(bits(rng));
    while ((h & 0x7C00) == 0x7C00);
  }
  return a;
}

}  // namespace lowbit::test
