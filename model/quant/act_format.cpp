// The activation-format registry (act_format.h).
#include "model/quant/act_format.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

#include "model/quant/act_quant.h"

namespace lowbit {

const std::vector<ActivationFormat>& activation_formats() {
  static const std::vector<ActivationFormat> v = {
      {"int8", ActFormat::kInt8, nullptr,
       "A: INT8 codes (int8), real activation = code * A_scale of its row (FP32)"},
      {"fp16", ActFormat::kFp16, nullptr, "A: IEEE 754 binary16 bit patterns (uint16)"},
      {"fp8_e4m3", ActFormat::kFp16, &kFp8E4M3,
       "A_codes: OCP OFP8 E4M3 codes (uint8), sign = bit 7, e = bits 6..3 (bias 7), m = bits "
       "2..0; value = (-1)^sign * (e == 0 ? 2^-6 * m / 8 : 2^(e - 7) * (1 + m / 8)), S.1111.111 "
       "is NaN, no infinities (max 448); no scale: the value is the activation. A: the same values "
       "as IEEE binary16 bit patterns (uint16), what the units receive"},
      {"fp8_e5m2", ActFormat::kFp16, &kFp8E5M2,
       "A_codes: OCP OFP8 E5M2 codes (uint8), sign = bit 7, e = bits 6..2 (bias 15), m = bits "
       "1..0; value = (-1)^sign * (e == 0 ? 2^-14 * m / 4 : 2^(e - 15) * (1 + m / 4)), e = 31 is "
       "inf (m = 0) or NaN (max finite 57344); no scale: the value is the activation. A: the same "
       "values as IEEE binary16 bit patterns (uint16), what the units receive"},
  };
  return v;
}

const std::vector<std::string>& activation_format_names() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> names;
    for (const auto& f : activation_formats()) names.emplace_back(f.name);
    return names;
  }();
  return v;
}

const ActivationFormat& activation_format(std::string_view name) {
  for (const auto& f : activation_formats()) {
    if (f.name == name) return f;
  }
  throw std::invalid_argument(fmt::format("activation format '{}' is unknown; allowed: {}", name,
                                          fmt::join(activation_format_names(), ", ")));
}

Activations quantize_activations(const std::vector<float>& a, int m, int k, std::string_view name) {
  const ActivationFormat& f = activation_format(name);
  if (f.fp8) return quantize_activations_fp8(a, m, k, *f.fp8);
  return f.data == ActFormat::kFp16 ? quantize_activations_fp16(a, m, k)
                                    : quantize_activations_int8(a, m, k);
}

}  // namespace lowbit
