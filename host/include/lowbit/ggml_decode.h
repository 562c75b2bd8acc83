// GGUF tensor data to lowbit weights: exact mappings of ggml blocks, and float tensors to floats.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lowbit/gguf_file.h"
#include "model/quant/tensors.h"

namespace lowbit {

/// How a ggml type lands on the hardware's weight formats (docs/models.md):
///  - Q4_0 (32 weights: FP16 d, 4-bit q, w = d (q - 8)) -> uint4, zero point 8, group 32;
///  - Q5_0 (32 weights: FP16 d, 5-bit q, w = d (q - 16)) -> uint5, zero point 16, group 32;
///  - Q8_0 (32 weights: FP16 d, int8 q, w = d q) -> int8 (code q + 128), group 32;
///  - TQ2_0 / TQ1_0 (256 weights: FP16 d, trits t in {0,1,2}, w = d (t - 1)) -> ternary
///    (code t), group 128 with the block's d in both of its groups;
///  - F32 / F16 / BF16: plain floats, quantized by lowbit's quantizers;
///  - anything else is rejected (kFloat... == false and kExact... == false).
enum class GgmlMapping { kExact, kFloat, kUnsupported };
GgmlMapping ggml_mapping(uint32_t type);

/// The ggml types lowbit reads, for messages: "Q4_0, Q5_0, Q8_0, TQ1_0, TQ2_0, F32, F16, BF16".
const char* ggml_supported_types();

/// The lowbit weight format and group size an exactly mapped type becomes ("uint4", 32), ...
struct ExactFormat {
  const char* format;
  int group_size;
};
ExactFormat ggml_exact_format(uint32_t type);

/// Decodes an exactly mapped 2-D tensor (ne[0] = k, ne[1] = n) without requantization. A block
/// scale that is FP16 inf/NaN or a TQ2_0 code 3 (value 2, not ternary) throws InputError naming
/// `origin`, the tensor and the block.
QuantizedWeights decode_ggml_exact(const GgufTensor& t, const std::string& origin);

/// Decodes an F32 / F16 / BF16 tensor to floats in file order; a non-finite value throws
/// InputError naming `origin`, the tensor and the element.
std::vector<float> decode_ggml_floats(const GgufTensor& t, const std::string& origin);

}  // namespace lowbit
