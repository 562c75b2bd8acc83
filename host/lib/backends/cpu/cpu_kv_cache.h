// The KV cache as a CPU implementation holds it (docs/cpu-reference.md, "Whole decoder blocks"):
// one sequence's K and V of every KV head in the stored format (FP16 bits, or INT8 / INT4 codes
// with FP16 scales per token or per group along head_dim), written per position and dequantized to
// FP32 head by head for the attention matmuls. A stored-then-loaded vector equals kv_store_load's
// result (the accelerator's and the golden model's view of the same cache) bit for bit, except
// that an INT code of 0 reads back as +0 where kv_store_load's FP32 code may give -0.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/quant/kv_quant.h"

namespace lowbit {

class CpuKvCache {
 public:
  /// Room for `positions` positions of K and V of `kv_heads` heads of head_dim elements. Throws
  /// std::invalid_argument on a non-positive size or a group that does not divide head_dim.
  CpuKvCache(const KvCacheSpec& spec, int kv_heads, int head_dim, int positions);

  /// Stores one head vector (head_dim elements) of K (value = false) or V at (head, position).
  /// Throws std::invalid_argument for a value beyond the FP16 scale range (as kv_store_load).
  void store(bool value, int head, int position, std::span<const float> x);
  /// Dequantizes positions 0 .. n - 1 of one head of K or V to FP32, out[n][head_dim].
  void load(bool value, int head, int n, float* out) const;

  /// Bytes the stored cache occupies (codes and scales of every position).
  uint64_t bytes() const;
  int positions() const { return positions_; }

 private:
  size_t vector_index(bool value, int head, int position) const;
  KvCacheSpec spec_;
  int kv_heads_, head_dim_, positions_;
  int group_;                     ///< elements per scale (head_dim when one scale per token)
  int scales_per_vec_;            ///< INT formats
  int code_bytes_;                ///< bytes of one vector's INT codes (0 for FP16)
  std::vector<uint16_t> halves_;  ///< FP16: [K/V][head][position][head_dim] FP16 bits
  std::vector<uint8_t> codes_;    ///< INT8 / INT4: [K/V][head][position][code_bytes]
  std::vector<uint16_t> scales_;  ///< [K/V][head][position][scales_per_vec] FP16 bits
};

/// FP16 bit patterns to FP32 (exact); F16C when the CPU has it, else the portable conversion.
void cpu_fp16_to_f32(const uint16_t* in, size_t n, float* out);

}  // namespace lowbit
