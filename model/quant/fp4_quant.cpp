// FP4 E2M1 and MXFP4 weight quantizers (model/quant/fp4_quant.h).
#include "model/quant/fp4_quant.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <stdexcept>

#include "fmt/format.h"
#include "model/formats/fp16.h"
#include "model/formats/minifloat.h"
#include "model/formats/mx.h"
#include "model/quant/parallel_rows.h"

namespace lowbit {

QuantizedWeights fp4_quantize(const std::vector<float>& w, int n, int k, WeightCodec codec,
                              int group_size) {
  if (!weight_codec_is_fp4(codec)) {
    throw std::invalid_argument("fp4_quantize: the codec is not fp4_e2m1 or mxfp4");
  }
  if (codec == WeightCodec::kMxfp4 && group_size != kMxfp4GroupSize) {
    throw std::invalid_argument(fmt::format(
        "weight format mxfp4: group size {} (allowed: 32, the OCP MX block)", group_size));
  }
  if (n <= 0 || k <= 0 || group_size <= 0 || w.size() != static_cast<size_t>(n) * k) {
    throw std::invalid_argument(
        fmt::format("fp4_quantize: {} values, {}x{} matrix, group {}", w.size(), n, k, group_size));
  }
  QuantizedWeights q;
  q.n = n;
  q.k = k;
  q.bits = 4;
  q.kind = WeightKind::kSigned;
  q.codec = codec;
  q.group_size = group_size;
  const int groups = q.groups();
  q.codes.assign(static_cast<size_t>(n) * k, 0);
  q.scales.assign(static_cast<size_t>(n) * groups, 0);
  q.zeros.assign(static_cast<size_t>(n) * groups, 0);
  parallel_rows(n, k, 0, [&](int row) {
    const float* src = w.data() + static_cast<size_t>(row) * k;
    uint8_t* dst = q.codes.data() + static_cast<size_t>(row) * k;
    for (int g = 0; g < groups; ++g) {
      const int k0 = g * group_size, len = std::min(group_size, k - k0);
      uint16_t& field = q.scales[static_cast<size_t>(row) * groups + g];
      if (codec == WeightCodec::kMxfp4) {
        const MxBlock b = mx_encode_block(
            MxElement::kFp4E2M1, std::span<const float>(src + k0, static_cast<size_t>(len)));
        field = b.scale;
        for (int c = 0; c < len; ++c) dst[k0 + c] = b.codes[c];
        continue;
      }
      double amax = 0;
      for (int c = 0; c < len; ++c)
        amax = std::max(amax, std::fabs(static_cast<double>(src[k0 + c])));
      uint16_t h = fp16_from_double(amax / 6.0);
      if ((h & 0x7FFF) >= 0x7C00) h = 0x7BFF;  // saturate to the largest finite FP16
      field = h;
      const double s = fp16_to_float(h);
      for (int c = 0; c < len; ++c) {
        dst[k0 + c] =
            s == 0.0 ? uint8_t{0}
                     : static_cast<uint8_t>(minifloat_encode(
                           kFp4E2M1, static_cast<double>(src[k0 + c]) / s, Overflow::kSaturate));
      }
    }
  });
  return q;
}

}  // namespace lowbit
