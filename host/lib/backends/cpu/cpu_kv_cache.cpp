// The CPU's stored KV cache (cpu_kv_cache.h).
#include "host/lib/backends/cpu/cpu_kv_cache.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/formats/fp16.h"

namespace lowbit {
namespace cpu {
void fp16_to_f32_f16c(const uint16_t* in, size_t n, float* out);
}  // namespace cpu

void cpu_fp16_to_f32(const uint16_t* in, size_t n, float* out) {
  static const bool f16c = __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx");
  if (f16c) {
    cpu::fp16_to_f32_f16c(in, n, out);
    return;
  }
  for (size_t i = 0; i < n; ++i) out[i] = fp16_to_float(in[i]);
}

CpuKvCache::CpuKvCache(const KvCacheSpec& spec, int kv_heads, int head_dim, int positions)
    : spec_(spec), kv_heads_(kv_heads), head_dim_(head_dim), positions_(positions) {
  if (kv_heads <= 0 || head_dim <= 0 || positions <= 0 || spec.group < 0 ||
      (spec.group > 0 && head_dim % spec.group != 0)) {
    throw std::invalid_argument("CpuKvCache: bad shape or KV group");
  }
  group_ = spec.group == 0 ? head_dim : spec.group;
  scales_per_vec_ = spec.format == KvFormat::kFp16 ? 0 : head_dim / group_;
  code_bytes_ = spec.format == KvFormat::kFp16   ? 0
                : spec.format == KvFormat::kInt8 ? head_dim
                                                 : (head_dim + 1) / 2;
  const size_t vectors = 2ull * kv_heads * static_cast<size_t>(positions);
  if (spec.format == KvFormat::kFp16) halves_.assign(vectors * head_dim, 0);
  codes_.assign(vectors * code_bytes_, 0);
  scales_.assign(vectors * scales_per_vec_, 0);
}

size_t CpuKvCache::vector_index(bool value, int head, int position) const {
  if (head < 0 || head >= kv_heads_ || position < 0 || position >= positions_) {
    throw std::invalid_argument("CpuKvCache: head or position out of range");
  }
  return ((value ? 1ull : 0ull) * kv_heads_ + head) * positions_ + position;
}

uint64_t CpuKvCache::bytes() const {
  return 2 * halves_.size() + codes_.size() + 2 * scales_.size();
}

void CpuKvCache::store(bool value, int head, int position, std::span<const float> x) {
  if (x.size() != static_cast<size_t>(head_dim_)) {
    throw std::invalid_argument("CpuKvCache::store: vector length differs from head_dim");
  }
  const size_t v = vector_index(value, head, position);
  if (spec_.format == KvFormat::kFp16) {
    uint16_t* h = halves_.data() + v * head_dim_;
    for (int i = 0; i < head_dim_; ++i) h[i] = fp16_from_float(x[i]);
    return;
  }
  uint8_t* codes = codes_.data() + v * code_bytes_;
  // The rule of kv_store_load: s = fp16(max|x| / qmax) (1 for an all-zero group, the smallest
  // FP16 scale when it rounds to 0), code = clamp(rne(x / s), -qmax, qmax).
  const bool int8 = spec_.format == KvFormat::kInt8;
  const float qmax = int8 ? 127.0f : 7.0f;
  uint16_t* scales = scales_.data() + v * scales_per_vec_;
  if (!int8) std::fill(codes, codes + code_bytes_, 0);
  for (int g = 0; g < scales_per_vec_; ++g) {
    const int g0 = g * group_, g1 = g0 + group_;
    float amax = 0.0f;
    for (int i = g0; i < g1; ++i) amax = std::max(amax, std::fabs(x[i]));
    uint16_t sh = fp16_from_float(amax / qmax);
    float s = fp16_to_float(sh);
    if (std::isinf(s) || std::isnan(s)) {
      throw std::invalid_argument("CpuKvCache::store: value beyond the FP16 scale range");
    }
    if (amax == 0.0f) s = 1.0f;
    if (s == 0.0f) s = 0x1p-24f;
    sh = fp16_from_float(s);  // exact: 1 and 2^-24 are FP16 values
    scales[g] = sh;
    for (int i = g0; i < g1; ++i) {
      const auto c = static_cast<int8_t>(std::clamp(std::nearbyint(x[i] / s), -qmax, qmax));
      if (int8) {
        codes[i] = static_cast<uint8_t>(c);
      } else {
        codes[i / 2] |= static_cast<uint8_t>((c & 0xF) << (4 * (i % 2)));
      }
    }
  }
}

void CpuKvCache::load(bool value, int head, int n, float* out) const {
  if (n < 0 || n > positions_) throw std::invalid_argument("CpuKvCache::load: n out of range");
  if (n == 0) return;
  const size_t v0 = vector_index(value, head, 0);
  const size_t d = static_cast<size_t>(head_dim_);
  if (spec_.format == KvFormat::kFp16) {
    // Consecutive positions of a head are contiguous: one conversion of n x head_dim values.
    cpu_fp16_to_f32(halves_.data() + v0 * d, static_cast<size_t>(n) * d, out);
    return;
  }
  const bool int8 = spec_.format == KvFormat::kInt8;
  std::vector<float> s(static_cast<size_t>(scales_per_vec_));
  for (int p = 0; p < n; ++p) {
    const uint8_t* codes = codes_.data() + (v0 + p) * code_bytes_;
    cpu_fp16_to_f32(scales_.data() + (v0 + p) * scales_per_vec_, s.size(), s.data());
    float* o = out + static_cast<size_t>(p) * d;
    for (int g = 0; g < scales_per_vec_; ++g) {
      const float sg = s[static_cast<size_t>(g)];
      for (int i = g * group_; i < (g + 1) * group_; ++i) {
        // INT4: the nibble moved to the top of a byte, then an arithmetic shift sign-extends it
        // (branch-free, so the loop vectorizes).
        const int c =
            int8 ? static_cast<int8_t>(codes[i])
                 : static_cast<int8_t>(static_cast<uint8_t>(codes[i / 2] << (4 * (1 - (i % 2))))) >>
                       4;
        o[i] = static_cast<float>(c) * sg;
      }
    }
  }
}

}  // namespace lowbit
