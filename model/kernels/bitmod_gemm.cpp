// BitMoD GEMM golden: the bitmod array's arithmetic on whole matrices.
#include "model/kernels/bitmod_gemm.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "model/formats/bitmod_unified.h"
#include "model/kernels/dequant.h"
#include "model/kernels/mpgemm.h"

namespace lowbit {

std::vector<float> bitmod_gemm(const Activations& a, const BitmodWeights& w,
                               std::vector<int64_t>* group_sums) {
  const int groups = w.groups();
  const auto ng = static_cast<size_t>(w.n) * groups;
  if (a.k != w.k || w.group_size <= 0 || w.codes.size() != static_cast<size_t>(w.n) * w.k ||
      w.scales.size() != ng || w.types.size() != ng) {
    throw std::invalid_argument(fmt::format(
        "bitmod_gemm: operands do not fit (activations K={}, weights {}x{} in groups of {})", a.k,
        w.n, w.k, w.group_size));
  }
  const bool fp16 = a.format == ActFormat::kFp16;
  if (a.m < 0 || (fp16 ? a.fp16.size() : a.int8.size()) != static_cast<size_t>(a.m) * a.k ||
      (!fp16 && a.row_scales.size() != static_cast<size_t>(a.m))) {
    throw std::invalid_argument("bitmod_gemm: activation sizes do not match m x k");
  }
  if (fp16 && std::min(w.group_size, w.k) > kMaxFp16GroupLength) {
    throw std::invalid_argument(
        fmt::format("bitmod_gemm: FP16 activations need a weight group of at most {} elements",
                    kMaxFp16GroupLength));
  }
  std::vector<float> out(static_cast<size_t>(a.m) * w.n);
  if (group_sums) group_sums->assign(static_cast<size_t>(a.m) * ng, 0);
  for (int i = 0; i < a.m; ++i) {
    for (int j = 0; j < w.n; ++j) {
      float acc = 0.0f;
      for (int g = 0; g < groups; ++g) {
        const size_t gi = static_cast<size_t>(j) * groups + g;
        const auto type = static_cast<uint32_t>(w.types[gi]);
        int64_t s = 0;
        for (int k = g * w.group_size; k < std::min(w.k, (g + 1) * w.group_size); ++k) {
          const size_t ai = static_cast<size_t>(i) * a.k + k;
          const int64_t x = fp16 ? fp16_to_fixed(a.fp16[ai]) : a.int8[ai];
          s += x * bitmod_value_int(type, w.codes[static_cast<size_t>(j) * w.k + k]);
        }
        if (group_sums) (*group_sums)[static_cast<size_t>(i) * ng + gi] = s;
        acc = dequant_step(acc, s, w.scales[gi]);
      }
      out[static_cast<size_t>(i) * w.n + j] = dequant_finish(acc, activation_scale(a, i));
    }
  }
  return out;
}

}  // namespace lowbit
