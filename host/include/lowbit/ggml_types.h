// ggml tensor types as stored in GGUF files: id, name, block size and bytes per block.
#pragma once

#include <cstdint>
#include <string>

namespace lowbit {

/// ggml type ids (ggml.h `enum ggml_type`; the ids are part of the GGUF format, gaps are removed
/// types). Only the ones lowbit treats specially are named here; ggml_type_info knows them all.
enum class GgmlType : uint32_t {
  kF32 = 0,
  kF16 = 1,
  kQ4_0 = 2,
  kQ4_1 = 3,
  kQ5_0 = 6,
  kQ5_1 = 7,
  kQ8_0 = 8,
  kQ2_K = 10,
  kQ3_K = 11,
  kQ4_K = 12,
  kQ5_K = 13,
  kQ6_K = 14,
  kQ8_K = 15,
  kBF16 = 30,
  kTQ1_0 = 34,
  kTQ2_0 = 35,
};

/// Storage of one ggml type: `block_elements` weights (along ne[0]) take `block_bytes` bytes.
struct GgmlTypeInfo {
  uint32_t id;
  const char* name;
  uint32_t block_elements;
  uint32_t block_bytes;
};

/// The type with this id, or nullptr for an id ggml does not define (or has removed).
const GgmlTypeInfo* ggml_type_info(uint32_t id);

/// "Q4_0", ... or "type <id>" for an unknown id.
std::string ggml_type_name(uint32_t id);

}  // namespace lowbit
