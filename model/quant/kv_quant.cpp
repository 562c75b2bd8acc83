// KV-cache storage formats (kv_quant.h).
#include "model/quant/kv_quant.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "model/formats/fp16.h"

namespace lowbit {

uint64_t KvCacheSpec::vector_bytes(int head_dim) const {
  const uint64_t d = static_cast<uint64_t>(head_dim);
  if (format == KvFormat::kFp16) return 2 * d;
  const uint64_t scales = group == 0 ? 1 : (d + group - 1) / group;
  const uint64_t codes = format == KvFormat::kInt8 ? d : (d + 1) / 2;
  return codes + 2 * scales;
}

const std::vector<std::string>& allowed_kv_formats() {
  static const std::vector<std::string> v = {"fp16", "int8", "int4"};
  return v;
}

KvFormat parse_kv_format(const std::string& name) {
  if (name == "fp16") return KvFormat::kFp16;
  if (name == "int8") return KvFormat::kInt8;
  if (name == "int4") return KvFormat::kInt4;
  throw std::invalid_argument("KV format '" + name + "'; allowed: fp16, int8, int4");
}

const char* kv_format_name(KvFormat f) {
  switch (f) {
    case KvFormat::kFp16:
      return "fp16";
    case KvFormat::kInt8:
      return "int8";
    case KvFormat::kInt4:
      return "int4";
  }
  return "?";
}

uint64_t kv_read_bytes_per_layer(const KvCacheSpec& spec, int context, int kv_heads, int head_dim) {
  return 2ull * static_cast<uint64_t>(context) * static_cast<uint64_t>(kv_heads) *
         spec.vector_bytes(head_dim);
}

uint64_t kv_write_bytes_per_layer(const KvCacheSpec& spec, int kv_heads, int head_dim) {
  return 2ull * static_cast<uint64_t>(kv_heads) * spec.vector_bytes(head_dim);
}

void kv_store_vector(std::span<const float> x, const KvCacheSpec& spec, uint8_t* stored) {
  const auto put16 = [](uint8_t* p, uint16_t v) {
    p[0] = static_cast<uint8_t>(v);
    p[1] = static_cast<uint8_t>(v >> 8);
  };
  if (spec.format == KvFormat::kFp16) {
    for (size_t i = 0; i < x.size(); ++i) put16(stored + 2 * i, fp16_from_float(x[i]));
    return;
  }
  const bool int8 = spec.format == KvFormat::kInt8;
  const float qmax = int8 ? 127.0f : 7.0f;
  const size_t g = spec.group == 0 ? x.size() : static_cast<size_t>(spec.group);
  uint8_t* scales = stored + (int8 ? x.size() : (x.size() + 1) / 2);
  if (!int8) std::fill(stored, scales, uint8_t{0});
  for (size_t g0 = 0; g0 < x.size(); g0 += g) {
    const size_t g1 = std::min(x.size(), g0 + g);
    float amax = 0.0f;
    for (size_t i = g0; i < g1; ++i) amax = std::max(amax, std::fabs(x[i]));
    uint16_t sh = fp16_from_float(amax / qmax);
    float s = fp16_to_float(sh);
    if (std::isinf(s) || std::isnan(s)) {
      throw std::invalid_argument("kv_store_load: value beyond the FP16 scale range");
    }
    if (amax == 0.0f) s = 1.0f;
    if (s == 0.0f) s = 0x1p-24f;  // below the smallest FP16 scale: the smallest one
    sh = fp16_from_float(s);      // exact: 1 and 2^-24 are FP16 values
    put16(scales + 2 * (g0 / g), sh);
    for (size_t i = g0; i < g1; ++i) {
      const auto c = static_cast<int>(std::clamp(std::nearbyint(x[i] / s), -qmax, qmax));
      if (int8) {
        stored[i] = static_cast<uint8_t>(static_cast<int8_t>(c));
      } else {
        stored[i / 2] |= static_cast<uint8_t>((c & 0xF) << (4 * (i % 2)));
      }
    }
  }
}

void kv_load_vector(const uint8_t* stored, const KvCacheSpec& spec, std::span<float> out) {
  const auto get16 = [](const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); };
  if (spec.format == KvFormat::kFp16) {
    for (size_t i = 0; i < out.size(); ++i) out[i] = fp16_to_float(get16(stored + 2 * i));
    return;
  }
  const bool int8 = spec.format == KvFormat::kInt8;
  const size_t g = spec.group == 0 ? out.size() : static_cast<size_t>(spec.group);
  const uint8_t* scales = stored + (int8 ? out.size() : (out.size() + 1) / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int c;
    if (int8) {
      c = static_cast<int8_t>(stored[i]);
    } else {
      c = (stored[i / 2] >> (4 * (i % 2))) & 0xF;
      if (c >= 8) c -= 16;
    }
    out[i] = static_cast<float>(c) * fp16_to_float(get16(scales + 2 * (i / g)));
  }
}

namespace {

// out[i] = fp16_round_float(x[i]): fp16_round_float's normal-range rounding (fp16.h) for every
// element without a branch (so the loop vectorizes; AVX-512 and AVX2 clones on x86-64, chosen at
// load time), then the elements outside that range (subnormal results, zeros, overflow, inf,
// NaN: rare in a KV cache) again through fp16_round_float itself. Integer operations only: every
// clone gives the same bits.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
void fp16_round_row(const float* x, float* out, size_t n) {
  uint32_t outside = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t b = std::bit_cast<uint32_t>(x[i]);
    outside |= static_cast<uint32_t>(!fp16_detail::rounds_to_normal(b));
    out[i] = std::bit_cast<float>(fp16_detail::round_normal_bits(b));
  }
  if (outside == 0) return;
  for (size_t i = 0; i < n; ++i) {
    if (!fp16_detail::rounds_to_normal(std::bit_cast<uint32_t>(x[i]))) {
      out[i] = fp16_round_float(x[i]);
    }
  }
}

}  // namespace

void kv_store_load(std::span<const float> x, const KvCacheSpec& spec, std::span<float> out) {
  if (x.size() != out.size()) throw std::invalid_argument("kv_store_load: lengths differ");
  if (spec.format == KvFormat::kFp16) {  // the store and load below, in one rounding per value
    fp16_round_row(x.data(), out.data(), x.size());
    return;
  }
  thread_local std::vector<uint8_t> stored;  // called per cached position: no allocation each
  stored.resize(spec.vector_bytes(static_cast<int>(x.size())));
  kv_store_vector(x, spec, stored.data());
  kv_load_vector(stored.data(), spec, out);
}

}  // namespace lowbit
