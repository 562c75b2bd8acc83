// KV-cache storage formats: FP16, or INT8 / INT4 codes with FP16 scales per token (one per head
// vector) or per group of elements along the head dimension (docs/decoder.md, "KV cache").
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lowbit {

enum class KvFormat : uint8_t { kFp16, kInt8, kInt4 };

/// How one K or V head vector is stored in DRAM.
struct KvCacheSpec {
  KvFormat format = KvFormat::kFp16;
  int group = 0;  ///< INT formats: elements per FP16 scale along head_dim; 0 = one per token

  /// Bytes of one stored head vector of head_dim elements: codes plus FP16 scales.
  uint64_t vector_bytes(int head_dim) const;
};

/// "fp16", "int8", "int4"; throws std::invalid_argument listing them otherwise.
KvFormat parse_kv_format(const std::string& name);
const char* kv_format_name(KvFormat f);
const std::vector<std::string>& allowed_kv_formats();

/// KV bytes one decoder layer reads for one token at context `context` (K and V of every cached
/// position and KV head): 2 x context x kv_heads x vector_bytes(head_dim).
uint64_t kv_read_bytes_per_layer(const KvCacheSpec& spec, int context, int kv_heads, int head_dim);
/// KV bytes one decoder layer writes per new token (its K and V): 2 x kv_heads x vector_bytes.
uint64_t kv_write_bytes_per_layer(const KvCacheSpec& spec, int kv_heads, int head_dim);

/// Stores a head vector in the format and reads it back as the vector unit sees it (FP32):
/// FP16: round to nearest even. INT8 / INT4 (symmetric, qmax 127 / 7): per scale group
/// s = fp16(max|x| / qmax) (an all-zero group gets s = 1), code = clamp(rne(x / s), -qmax, qmax)
/// in FP32, read back as code * s in FP32. |out - x| <= s / 2 (+ FP32 rounding) per element.
/// It is kv_store_vector followed by kv_load_vector.
void kv_store_load(std::span<const float> x, const KvCacheSpec& spec, std::span<float> out);

/// Writes a head vector in its stored layout (vector_bytes(x.size()) bytes at `stored`): FP16
/// values; or the INT8 codes (INT4: two per byte, element 2i in the low nibble, two's
/// complement), then the FP16 scales, one per group (one per vector when group is 0).
void kv_store_vector(std::span<const float> x, const KvCacheSpec& spec, uint8_t* stored);
/// Reads a stored head vector back as the vector unit sees it: FP16 -> FP32, or code x scale in
/// FP32.
void kv_load_vector(const uint8_t* stored, const KvCacheSpec& spec, std::span<float> out);

}  // namespace lowbit
