// Group-wise weight quantizers (int, uint, ternary absmean, binary) with FP16 scales.
#include "model/quant/group_quant.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "fmt/format.h"
#include "model/formats/fp16.h"
#include "model/quant/bitmod_quant.h"
#include "model/quant/fp4_quant.h"
#include "model/quant/parallel_rows.h"

namespace lowbit {
namespace {

// Rounds a non-negative scale to FP16, saturating at the largest finite value (65504).
uint16_t scale_to_fp16(double s) {
  const uint16_t h = fp16_from_double(s);
  return (h & 0x7FFF) >= 0x7C00 ? uint16_t{0x7BFF} : h;
}

// Round to nearest, ties to even, for the quotients below, exactly as std::nearbyint in the
// default rounding mode but without its libm call (x86-64 without SSE4.1 has no rounding
// instruction): for |x| <= 2^51, (x + 1.5 * 2^52) - 1.5 * 2^52 rounds x to an integer with ties to
// even. Larger |x| are first clamped to +-2^20, which no caller can tell apart: every result is
// clamped to at most +-255 afterwards. (The sign of a zero result may differ; no caller sees it.)
double rne(double x) {
  constexpr double kBound = 0x1.0p20;
  constexpr double kMagic = 0x1.8p52;
  const double bounded = std::clamp(x, -kBound, kBound);
  return (bounded + kMagic) - kMagic;
}

// One row's groups: each group reads only what its format needs (max and min are exact in float,
// the absmean sum stays an in-order double sum), then every code is the rounded quotient. Every
// operation is an IEEE double or float operation on one element (no FMA: -ffp-contract=off; no
// reassociation), so the AVX2 and AVX-512 clones GCC builds on x86-64 (4 or 8 quotients per
// division instead of SSE2's 2) give the same codes; chosen at load time.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
void quantize_row(const float* src, uint8_t* dst, uint16_t* scales, uint8_t* zeros, int k,
                  int groups, int group_size, WeightKind kind, int b, bool per_tensor,
                  double tensor_absmean) {
  for (int g = 0; g < groups; ++g) {
    const int start = g * group_size;
    const int end = std::min(k, start + group_size);
    double ideal = 0, lo = 0;
    switch (kind) {
      case WeightKind::kBinary:
      case WeightKind::kTernary: {
        if (per_tensor) {
          ideal = tensor_absmean;
          break;
        }
        double asum = 0;
        for (int c = start; c < end; ++c) asum += std::fabs(static_cast<double>(src[c]));
        ideal = asum / (end - start);
        break;
      }
      case WeightKind::kSigned: {
        float amax = 0;
        for (int c = start; c < end; ++c) amax = std::max(amax, std::fabs(src[c]));
        ideal = static_cast<double>(amax) / ((1 << (b - 1)) - 1);
        break;
      }
      case WeightKind::kUnsigned: {
        float fmin = 0, fmax = 0;  // 0 included so that it is representable
        for (int c = start; c < end; ++c) {
          fmin = std::min(fmin, src[c]);
          fmax = std::max(fmax, src[c]);
        }
        lo = fmin;
        ideal = (static_cast<double>(fmax) - lo) / ((1 << b) - 1);
        break;
      }
    }
    const uint16_t s16 = scale_to_fp16(ideal);
    const double s = fp16_to_float(s16);
    scales[g] = s16;
    switch (kind) {
      case WeightKind::kBinary:
        for (int c = start; c < end; ++c) dst[c] = src[c] >= 0.0f ? 1 : 0;
        break;
      case WeightKind::kTernary:
        if (s == 0) {
          std::fill(dst + start, dst + end, uint8_t{1});
          break;
        }
        for (int c = start; c < end; ++c) {
          dst[c] = static_cast<uint8_t>(std::clamp(rne(src[c] / s), -1.0, 1.0) + 1);
        }
        break;
      case WeightKind::kSigned: {
        const double qmax = (1 << (b - 1)) - 1;
        const double offset = 1 << (b - 1);
        if (s == 0) {
          std::fill(dst + start, dst + end, static_cast<uint8_t>(offset));
          break;
        }
        for (int c = start; c < end; ++c) {
          dst[c] = static_cast<uint8_t>(std::clamp(rne(src[c] / s), -qmax, qmax) + offset);
        }
        break;
      }
      case WeightKind::kUnsigned: {
        if (s == 0) {
          std::fill(dst + start, dst + end, uint8_t{0});
          zeros[g] = 0;
          break;
        }
        const double umax = (1 << b) - 1;
        const double z = std::clamp(rne(-lo / s), 0.0, umax);
        zeros[g] = static_cast<uint8_t>(z);
        for (int c = start; c < end; ++c) {
          dst[c] = static_cast<uint8_t>(std::clamp(rne(src[c] / s) + z, 0.0, umax));
        }
        break;
      }
    }
  }
}

}  // namespace

QuantizedWeights quantize_weights(const std::vector<float>& w, int n, int k, WeightFormat format,
                                  int group_size) {
  check_weight_format(format);
  if (n <= 0 || k <= 0 || w.size() != static_cast<size_t>(n) * k) {
    throw std::invalid_argument(
        fmt::format("quantize_weights: {} values do not form a {}x{} matrix", w.size(), n, k));
  }
  if (group_size < 0) {
    throw std::invalid_argument(fmt::format("quantize_weights: group_size {} < 0", group_size));
  }
  for (float v : w) {
    if (!std::isfinite(v)) throw std::invalid_argument("quantize_weights: non-finite weight");
  }
  if (format.codec == WeightCodec::kBitmod) {
    // BitMoD: per group the datatype of the lowest squared error (bitmod_quant.h).
    const int g = (group_size == kWholeRow || group_size > k) ? k : group_size;
    return bitmod_to_quantized(bitmod_quantize(w, n, k, format.bits, {}, g));
  }
  if (weight_codec_is_fp4(format.codec)) {
    // FP4 E2M1 (FP16 group scale) or MXFP4 (blocks of 32 only, E8M0 scale): fp4_quant.h.
    const int g = format.codec == WeightCodec::kMxfp4           ? group_size
                  : (group_size == kWholeRow || group_size > k) ? k
                                                                : group_size;
    return fp4_quantize(w, n, k, format.codec, g);
  }
  QuantizedWeights q;
  q.n = n;
  q.k = k;
  q.bits = format.bits;
  q.kind = format.kind;
  q.group_size = (group_size == kWholeRow || group_size > k) ? k : group_size;
  const int groups = q.groups();
  q.codes.assign(static_cast<size_t>(n) * k, 0);
  q.scales.assign(static_cast<size_t>(n) * groups, 0);
  q.zeros.assign(static_cast<size_t>(n) * groups, 0);

  // BitNet b1.58: one absmean over the whole tensor when there is one group per row.
  double tensor_absmean = 0;
  const bool per_tensor = format.kind == WeightKind::kTernary && groups == 1;
  if (per_tensor) {
    for (float v : w) tensor_absmean += std::fabs(static_cast<double>(v));
    tensor_absmean /= static_cast<double>(w.size());
  }

  // Rows are independent, so they are quantized in parallel; the result does not depend on the
  // thread count.
  parallel_rows(n, k, 0, [&](int row) {
    quantize_row(w.data() + static_cast<size_t>(row) * k,
                 q.codes.data() + static_cast<size_t>(row) * k,
                 q.scales.data() + static_cast<size_t>(row) * groups,
                 q.zeros.data() + static_cast<size_t>(row) * groups, k, groups, q.group_size,
                 format.kind, format.bits, per_tensor, tensor_absmean);
  });
  return q;
}

std::vector<float> dequantize_weights(const QuantizedWeights& q) {
  check_quantized_weights(q);
  std::vector<float> out(static_cast<size_t>(q.n) * q.k);
  for (int row = 0; row < q.n; ++row) {
    for (int c = 0; c < q.k; ++c) {
      const float s = q.scale_value(row, c / q.group_size);
      out[static_cast<size_t>(row) * q.k + c] = s * static_cast<float>(q.value(row, c));
    }
  }
  return out;
}

void check_quantized_weights(const QuantizedWeights& q) {
  check_weight_format(WeightFormat{q.kind, q.bits, q.codec});
  if (q.n <= 0 || q.k <= 0 || q.group_size <= 0) {
    throw std::invalid_argument(
        fmt::format("quantized weights: need n, k, group_size > 0 (got n={} k={} group_size={})",
                    q.n, q.k, q.group_size));
  }
  const size_t elems = static_cast<size_t>(q.n) * q.k;
  const size_t grp = static_cast<size_t>(q.n) * q.groups();
  if (q.codes.size() != elems || q.scales.size() != grp || q.zeros.size() != grp) {
    throw std::invalid_argument(fmt::format(
        "quantized weights {}x{} group {}: expected {} codes, {} scales, {} zeros; got {}, {}, {}",
        q.n, q.k, q.group_size, elems, grp, grp, q.codes.size(), q.scales.size(), q.zeros.size()));
  }
  const unsigned limit =
      q.kind == WeightKind::kTernary && q.codec == WeightCodec::kAffine ? 2u : (1u << q.bits) - 1u;
  uint8_t mx = 0;
  for (uint8_t c : q.codes) mx = std::max(mx, c);
  if (mx > limit) {
    throw std::invalid_argument(fmt::format(
        "quantized weights: code {} out of range for {} bits (max {})", mx, q.bits, limit));
  }
  if (q.codec == WeightCodec::kMxfp4) {
    if (q.group_size != kMxfp4GroupSize) {
      throw std::invalid_argument(
          fmt::format("quantized weights: mxfp4 with group size {} (allowed: 32, the OCP MX block)",
                      q.group_size));
    }
    for (uint16_t s : q.scales) {
      if (s > 0xFE) {
        throw std::invalid_argument(fmt::format(
            "quantized weights: mxfp4 block scale field 0x{:x} is not a finite E8M0 code "
            "(allowed: 0x00 .. 0xFE)",
            s));
      }
    }
    return;
  }
  for (uint16_t s : q.scales) {
    if ((s & 0x7C00) == 0x7C00) {
      throw std::invalid_argument("quantized weights: a group scale is FP16 inf or NaN");
    }
  }
  if (q.codec == WeightCodec::kBitmod) {
    for (uint8_t t : q.zeros) {
      if (t >= kBitmodTypeCount) {
        throw std::invalid_argument(
            fmt::format("quantized weights: BitMoD type id {} is not a datatype; allowed: 0 .. {}",
                        t, kBitmodTypeCount - 1));
      }
      if (bitmod_bits(static_cast<BitmodType>(t)) != q.bits) {
        throw std::invalid_argument(
            fmt::format("quantized weights: BitMoD type {} is not a {}-bit datatype",
                        bitmod_type_name(static_cast<BitmodType>(t)), q.bits));
      }
    }
  }
}

}  // namespace lowbit
