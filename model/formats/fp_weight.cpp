// Group scales of the FP4 weight codecs (model/formats/fp_weight.h).
#include "model/formats/fp_weight.h"

#include <bit>

#include "model/formats/fp16.h"

namespace lowbit {

uint32_t weight_group_scale_bits(WeightCodec codec, uint16_t field) {
  const uint32_t f32 = std::bit_cast<uint32_t>(fp16_to_float(field));
  switch (codec) {
    case WeightCodec::kFp4E2M1: {
      // Halve by decrementing the exponent: an FP16 value is a normal FP32 value (exponent field
      // 103 .. 142), so this is exact; zero (field 0), inf and NaN (field 255) stay as they are.
      const uint32_t exp = (f32 >> 23) & 0xFFu;
      return (exp == 0 || exp == 0xFF) ? f32 : f32 - (1u << 23);
    }
    case WeightCodec::kMxfp4: {
      const uint32_t x = field & 0xFFu;
      if (x == 0xFF) return 0x7FC00000u;
      if (x <= 1) return 0x00200000u << x;  // 2^-128, 2^-127: FP32 subnormals
      return (x - 1) << 23;                 // 2^(x - 128), biased exponent x - 1
    }
    case WeightCodec::kAffine:
    case WeightCodec::kBitmod:
      break;
  }
  return f32;
}

float weight_group_scale(WeightCodec codec, uint16_t field) {
  return std::bit_cast<float>(weight_group_scale_bits(codec, field));
}

}  // namespace lowbit
