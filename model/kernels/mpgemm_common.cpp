// Operand checks, activation integer views and the shared dequantization driver.
#include <cmath>
#include <stdexcept>

#include "fmt/format.h"
#include "model/kernels/mpgemm.h"
#include "model/kernels/mpgemm_internal.h"
#include "model/quant/act_quant.h"
#include "model/quant/group_quant.h"

namespace lowbit {

int64_t fp16_to_fixed(uint16_t h) {
  const int e = (h >> 10) & 0x1F;
  const int64_t m = h & 0x3FF;
  // value * 2^24: subnormal m * 2^-24 -> m; normal (1024 + m) * 2^(e-25) -> (1024 + m) << (e-1).
  const int64_t mag = e == 0 ? m : (1024 + m) << (e - 1);
  return (h & 0x8000) ? -mag : mag;
}

float activation_scale(const Activations& a, int row) {
  return a.format == ActFormat::kInt8 ? a.row_scales[row] : std::ldexp(1.0f, -kFp16FixedShift);
}

void check_mpgemm_operands(const Activations& a, const QuantizedWeights& w) {
  check_activations(a);
  check_quantized_weights(w);
  if (weight_codec_is_fp4(w.codec)) {
    throw std::invalid_argument(
        "mpgemm: FP4 weights (fp4_e2m1, mxfp4) have a per-codec group scale; allowed: fp4_gemm "
        "(model/kernels/fp4_gemm.h)");
  }
  if (w.codec != WeightCodec::kAffine) {
    throw std::invalid_argument(
        "mpgemm: BitMoD weights have a datatype per group, not an affine code map; allowed: "
        "bitmod_gemm (model/kernels/bitmod_gemm.h)");
  }
  if (a.k != w.k) {
    throw std::invalid_argument(
        fmt::format("mpgemm: activations have K={} but weights have K={}", a.k, w.k));
  }
  if (a.format == ActFormat::kFp16 && std::min(w.group_size, w.k) > kMaxFp16GroupLength) {
    throw std::invalid_argument(
        fmt::format("mpgemm: FP16 activations need a weight group of at most {} elements (got {})",
                    kMaxFp16GroupLength, std::min(w.group_size, w.k)));
  }
}

std::vector<float> dequantize_group_sums(const Activations& a, const QuantizedWeights& w,
                                         const std::vector<int64_t>& sums) {
  check_mpgemm_operands(a, w);
  const size_t groups = w.groups();
  if (sums.size() != static_cast<size_t>(a.m) * w.n * groups) {
    throw std::invalid_argument(fmt::format("dequantize_group_sums: {} sums, expected {}x{}x{}",
                                            sums.size(), a.m, w.n, groups));
  }
  return detail::run_with_dequant(a, w, [&](int i, int j, int64_t* out) {
    const int64_t* src = sums.data() + (static_cast<size_t>(i) * w.n + j) * groups;
    std::copy(src, src + groups, out);
  });
}

namespace detail {

std::vector<int64_t> activations_as_int(const Activations& a) {
  std::vector<int64_t> out(static_cast<size_t>(a.m) * a.k);
  if (a.format == ActFormat::kInt8) {
    for (size_t i = 0; i < out.size(); ++i) out[i] = a.int8[i];
  } else {
    for (size_t i = 0; i < out.size(); ++i) out[i] = fp16_to_fixed(a.fp16[i]);
  }
  return out;
}

}  // namespace detail
}  // namespace lowbit
