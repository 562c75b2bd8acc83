// KV-cache storage formats (kv_quant.h).
#include "model/quant/kv_quant.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

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

void kv_store_load(std::span<const float> x, const KvCacheSpec& spec, std::span<float> out) {
  if (x.size() != out.size()) throw std::invalid_argument("kv_store_load: lengths differ");
  if (spec.format == KvFormat::kFp16) {
    for (size_t i = 0; i < x.size(); ++i) out[i] = fp16_to_float(fp16_from_float(x[i]));
    return;
  }
  const float qmax = spec.format == KvFormat::kInt8 ? 127.0f : 7.0f;
  const size_t g = spec.group == 0 ? x.size() : static_cast<size_t>(spec.group);
  for (size_t g0 = 0; g0 < x.size(); g0 += g) {
    const size_t g1 = std::min(x.size(), g0 + g);
    float amax = 0.0f;
    for (size_t i = g0; i < g1; ++i) amax = std::max(amax, std::fabs(x[i]));
    float s = fp16_to_float(fp16_from_float(amax / qmax));
    if (std::isinf(s) || std::isnan(s)) {
      throw std::invalid_argument("kv_store_load: value beyond the FP16 scale range");
    }
    if (amax == 0.0f) s = 1.0f;
    if (s == 0.0f) s = 0x1p-24f;  // below the smallest FP16 scale: the smallest one
    for (size_t i = g0; i < g1; ++i) {
      const float c = std::clamp(std::nearbyint(x[i] / s), -qmax, qmax);
      out[i] = c * s;
    }
  }
}

}  // namespace lowbit
