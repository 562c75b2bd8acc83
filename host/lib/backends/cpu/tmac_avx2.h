// Internal: the T-MAC AVX2 microkernel (32 weight rows x one activation row), plain data only.
//
// This header is included by the AVX2 translation unit and by its caller, so it holds no inline
// code: nothing compiled with -mavx2 may be picked by the linker for code that runs without AVX2.
#pragma once

#include <cstdint>

namespace lowbit::cpu {

/// Rows per block: one vpshufb lookup serves 32 weight rows.
inline constexpr int kTmacRows = 32;
/// Chunks (of 4 activations) per int16 accumulation segment: a table entry lies in [-512, 508],
/// so 64 of them sum to [-32768, 32512], which int16 holds (docs/cpu-reference.md).
inline constexpr int kTmacSegmentChunks = 64;

/// Everything one call reads and writes. Layouts (all built by tmac_kernel.cpp):
///   idx       [planes][pairs][32]: byte q = nibble of chunk 2c (low) | chunk 2c+1 (high) for
///             row q of the block; nibble bit j = bit `plane` of the code at chunk start + j
///   tables    [pairs][4][16]: lo bytes of chunk 2c, hi bytes of chunk 2c, lo/hi of chunk 2c+1;
///             entry T[idx] = sum_j bit_j(idx) a_j, stored as lo = T & 0xFF, hi = T >> 8 (signed)
///   pair_begin[groups + 1]: first pair of each group (a group's chunks never share a pair)
///   sum_a     [groups]: sum of the row's activations per group
///   zeros     [groups][32] zero points (kUnsigned) or null: then S = alpha*sum(u a) - beta*sum(a)
///   scales    [groups][32] FP32 (exact FP16 values)
struct TmacBlockArgs {
  const uint8_t* idx = nullptr;
  int planes = 0;
  int pairs = 0;
  const uint8_t* tables = nullptr;
  const int32_t* pair_begin = nullptr;
  int groups = 0;
  const int32_t* sum_a = nullptr;
  int alpha = 1;
  int beta = 0;
  const int32_t* zeros = nullptr;
  const float* scales = nullptr;
  float act_scale = 1.0f;
  float* out = nullptr;  ///< 32 outputs: out[q] = dequant.h(S_g for row q) * act_scale
};

/// Computes one block row. Requires AVX2 (the caller checks __builtin_cpu_supports("avx2")).
void tmac_block_avx2(const TmacBlockArgs& args);

}  // namespace lowbit::cpu
