// Activation quantizers (INT8 per-row absmax, FP16 RNE, FP8 RNE saturating) and their exact
// dequantization.
#include "model/quant/act_quant.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "fmt/format.h"
#include "model/formats/fp16.h"
#include "model/formats/minifloat.h"

namespace lowbit {
namespace {

void check_input(const std::vector<float>& a, int m, int k, const char* who) {
  if (m <= 0 || k <= 0 || a.size() != static_cast<size_t>(m) * k) {
    throw std::invalid_argument(
        fmt::format("{}: {} values do not form a {}x{} matrix", who, a.size(), m, k));
  }
  for (float v : a) {
    if (!std::isfinite(v)) throw std::invalid_argument(fmt::format("{}: non-finite value", who));
  }
}

}  // namespace

Activations quantize_activations_int8(const std::vector<float>& a, int m, int k) {
  check_input(a, m, k, "quantize_activations_int8");
  Activations out;
  out.m = m;
  out.k = k;
  out.format = ActFormat::kInt8;
  out.int8.resize(a.size());
  out.row_scales.resize(m);
  for (int i = 0; i < m; ++i) {
    const float* row = a.data() + static_cast<size_t>(i) * k;
    float amax = 0;
    for (int c = 0; c < k; ++c) amax = std::max(amax, std::fabs(row[c]));
    const float scale = amax == 0.0f ? 1.0f : amax / 127.0f;
    out.row_scales[i] = scale;
    for (int c = 0; c < k; ++c) {
      const float q = std::clamp(std::nearbyint(row[c] / scale), -127.0f, 127.0f);
      out.int8[static_cast<size_t>(i) * k + c] = static_cast<int8_t>(q);
    }
  }
  return out;
}

Activations quantize_activations_fp16(const std::vector<float>& a, int m, int k) {
  check_input(a, m, k, "quantize_activations_fp16");
  Activations out;
  out.m = m;
  out.k = k;
  out.format = ActFormat::kFp16;
  out.fp16.resize(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    out.fp16[i] = fp16_from_float(a[i]);
    if ((out.fp16[i] & 0x7C00) == 0x7C00) {
      throw std::invalid_argument(
          fmt::format("quantize_activations_fp16: {} overflows FP16 (max 65504)", a[i]));
    }
  }
  return out;
}

namespace {

bool is_fp8_spec(const MinifloatSpec& s) {
  const auto same = [&](const MinifloatSpec& t) {
    return s.exp_bits == t.exp_bits && s.man_bits == t.man_bits && s.bias == t.bias &&
           s.specials == t.specials;
  };
  return same(kFp8E4M3) || same(kFp8E5M2);
}

void check_fp8_spec(const MinifloatSpec& spec, const char* who) {
  if (!is_fp8_spec(spec)) {
    throw std::invalid_argument(
        fmt::format("{}: E{}M{} is not an OCP FP8 format; allowed: E4M3, "
                    "E5M2",
                    who, spec.exp_bits, spec.man_bits));
  }
}

}  // namespace

uint16_t fp8_to_fp16_bits(const MinifloatSpec& spec, uint32_t code) {
  check_fp8_spec(spec, "fp8_to_fp16_bits");
  if (code > 0xFF) throw std::invalid_argument("fp8_to_fp16_bits: code over 8 bits");
  // minifloat_encode is exact here: the decoded value is an FP16 value (or inf / NaN).
  return static_cast<uint16_t>(
      minifloat_encode(kFp16Spec, minifloat_decode(spec, code), Overflow::kSpecial));
}

uint32_t fp8_code_of_fp16(const MinifloatSpec& spec, uint16_t h) {
  check_fp8_spec(spec, "fp8_code_of_fp16");
  const uint32_t code = minifloat_encode(spec, minifloat_decode(kFp16Spec, h), Overflow::kSpecial);
  if (fp8_to_fp16_bits(spec, code) != h) {
    throw std::invalid_argument(fmt::format(
        "fp8_code_of_fp16: FP16 0x{:04X} is not an E{}M{} value", h, spec.exp_bits, spec.man_bits));
  }
  return code;
}

Activations quantize_activations_fp8(const std::vector<float>& a, int m, int k,
                                     const MinifloatSpec& spec) {
  check_input(a, m, k, "quantize_activations_fp8");
  check_fp8_spec(spec, "quantize_activations_fp8");
  Activations out;
  out.m = m;
  out.k = k;
  out.format = ActFormat::kFp16;
  out.fp16.resize(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    out.fp16[i] = fp8_to_fp16_bits(spec, minifloat_encode(spec, a[i], Overflow::kSaturate));
  }
  return out;
}

std::vector<double> dequantize_activations(const Activations& a) {
  check_activations(a);
  std::vector<double> out(static_cast<size_t>(a.m) * a.k);
  for (int i = 0; i < a.m; ++i) {
    for (int c = 0; c < a.k; ++c) {
      const size_t idx = static_cast<size_t>(i) * a.k + c;
      out[idx] = a.format == ActFormat::kInt8
                     ? static_cast<double>(a.int8[idx]) * static_cast<double>(a.row_scales[i])
                     : static_cast<double>(fp16_to_float(a.fp16[idx]));
    }
  }
  return out;
}

void check_activations(const Activations& a) {
  if (a.m <= 0 || a.k <= 0) {
    throw std::invalid_argument(fmt::format("activations: need m, k > 0 (got {}x{})", a.m, a.k));
  }
  const size_t elems = static_cast<size_t>(a.m) * a.k;
  if (a.format == ActFormat::kInt8) {
    if (a.int8.size() != elems || a.row_scales.size() != static_cast<size_t>(a.m)) {
      throw std::invalid_argument(
          fmt::format("INT8 activations {}x{}: expected {} codes and {} row scales, got {} and {}",
                      a.m, a.k, elems, a.m, a.int8.size(), a.row_scales.size()));
    }
    for (float s : a.row_scales) {
      if (!std::isfinite(s)) throw std::invalid_argument("INT8 activations: non-finite row scale");
    }
  } else {
    if (a.fp16.size() != elems) {
      throw std::invalid_argument(fmt::format("FP16 activations {}x{}: expected {} values, got {}",
                                              a.m, a.k, elems, a.fp16.size()));
    }
    for (uint16_t h : a.fp16) {
      if ((h & 0x7C00) == 0x7C00) {
        throw std::invalid_argument("FP16 activations: inf or NaN has no fixed-point value");
      }
    }
  }
}

}  // namespace lowbit
