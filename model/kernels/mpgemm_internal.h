// Shared plumbing of the golden kernels: activations as integers, the weight affine map, drivers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "model/kernels/dequant.h"
#include "model/kernels/mpgemm.h"

namespace lowbit::detail {

/// Activations as integers a_int [m][k] (INT8 codes or FP16 * 2^24), int64.
std::vector<int64_t> activations_as_int(const Activations& a);

/// The affine map w = scale * u - offset (lowbit::weight_affine) of row `row`, group `group`.
inline WeightAffine weight_affine(const QuantizedWeights& w, int row, int group) {
  const uint32_t zero =
      w.kind == WeightKind::kUnsigned ? w.zeros[static_cast<size_t>(row) * w.groups() + group] : 0u;
  return lowbit::weight_affine(w.kind, w.bits, zero);
}

/// Activation rows per block of the output loops: a block's per-row data (INT8/fixed-point rows,
/// LUT tables) stays in L2 while every weight row passes by once per block.
inline constexpr int kRowBlock = 8;

/// Runs sums(i, j, out[groups]) for every output, then the dequant.h order. Outputs are
/// independent, so the loop order (row blocks, weight rows, rows of the block) is free.
template <class SumsFn>
std::vector<float> run_with_dequant(const Activations& a, const QuantizedWeights& w,
                                    SumsFn&& sums) {
  const int groups = w.groups();
  std::vector<float> out(static_cast<size_t>(a.m) * w.n);
  std::vector<int64_t> s(groups);
  for (int i0 = 0; i0 < a.m; i0 += kRowBlock) {
    const int i1 = std::min(a.m, i0 + kRowBlock);
    for (int j = 0; j < w.n; ++j) {
      const uint16_t* scales = w.scales.data() + static_cast<size_t>(j) * groups;
      for (int i = i0; i < i1; ++i) {
        sums(i, j, s.data());
        float acc = 0.0f;
        for (int g = 0; g < groups; ++g) acc = dequant_step(acc, s[g], scales[g]);
        out[static_cast<size_t>(i) * w.n + j] = dequant_finish(acc, activation_scale(a, i));
      }
    }
  }
  return out;
}

/// Collects sums(i, j, out) into [m][n][groups].
template <class SumsFn>
std::vector<int64_t> collect_sums(const Activations& a, const QuantizedWeights& w, SumsFn&& sums) {
  const int groups = w.groups();
  std::vector<int64_t> out(static_cast<size_t>(a.m) * w.n * groups);
  for (int i = 0; i < a.m; ++i) {
    for (int j = 0; j < w.n; ++j)
      sums(i, j, out.data() + (static_cast<size_t>(i) * w.n + j) * groups);
  }
  return out;
}

}  // namespace lowbit::detail
