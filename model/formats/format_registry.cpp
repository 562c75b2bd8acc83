// The format registry: one FormatInfo per scalar format, built once in a function-local static.
#include "model/formats/format_registry.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "model/formats/bitmod_types.h"
#include "model/formats/e8m0.h"
#include "model/formats/int_formats.h"
#include "model/formats/mx.h"

namespace lowbit {
namespace {

std::string hex_code(uint32_t code, int bits) {
  return fmt::format("0x{:0{}X}", code, (bits + 3) / 4);
}

FormatInfo make_int(int bits, bool is_signed) {
  const IntSpec spec{bits, is_signed};
  FormatInfo f;
  f.name = fmt::format("{}int{}", is_signed ? "" : "u", bits);
  f.bits = bits;
  f.code_count = 1u << bits;
  f.summary =
      is_signed
          ? fmt::format("{}-bit two's complement integer", bits)
          : fmt::format("{}-bit unsigned integer (zero point applied by the quantizer)", bits);
  f.decode_fn = [spec](uint32_t c) { return static_cast<double>(int_decode(spec, c)); };
  f.encode_fn = [spec](double x, Overflow) { return int_encode(spec, x); };
  f.lowest = spec.min_value();
  f.max_finite = spec.max_value();
  f.specials = "none; out-of-range values saturate, NaN -> 0";
  return f;
}

FormatInfo make_float(std::string name, const MinifloatSpec& spec, std::string summary) {
  FormatInfo f;
  f.name = std::move(name);
  f.bits = spec.bits();
  f.code_count = spec.bits() >= 32 ? 0 : (1u << spec.bits());
  f.summary = std::move(summary);
  f.decode_fn = [spec](uint32_t c) { return minifloat_decode(spec, c); };
  f.encode_fn = [spec](double x, Overflow o) { return minifloat_encode(spec, x, o); };
  f.lowest = -spec.max_finite();
  f.max_finite = spec.max_finite();
  f.min_normal = spec.min_normal();
  f.min_subnormal = spec.min_subnormal();
  const uint32_t sign = spec.sign_mask();
  const uint32_t exp_ones = ((1u << spec.exp_bits) - 1) << spec.man_bits;
  switch (spec.specials) {
    case FloatSpecials::kNone:
      f.specials = "no inf, no NaN: overflow and inf saturate to max, NaN -> +0";
      break;
    case FloatSpecials::kNanOnly: {
      const uint32_t nan = exp_ones | ((1u << spec.man_bits) - 1);
      f.specials = fmt::format("no inf; NaN = {} and {}", hex_code(nan, f.bits),
                               hex_code(sign | nan, f.bits));
      break;
    }
    case FloatSpecials::kIeee:
      f.specials = fmt::format("+-inf = {} / {}; NaN = exponent all ones, mantissa != 0",
                               hex_code(exp_ones, f.bits), hex_code(sign | exp_ones, f.bits));
      break;
  }
  return f;
}

FormatInfo make_bitmod(BitmodType type) {
  FormatInfo f;
  f.name = fmt::format("bitmod_{}", bitmod_type_name(type));
  f.bits = bitmod_bits(type);
  f.code_count = 1u << f.bits;
  f.summary = "BitMoD element type, sign-magnitude code (values before the group scale)";
  f.decode_fn = [type](uint32_t c) { return bitmod_decode(type, c); };
  f.encode_fn = [type](double x, Overflow) { return bitmod_encode(type, x); };
  const std::vector<double> values = bitmod_values(type);
  f.lowest = values.front();
  f.max_finite = values.back();
  const uint32_t neg_zero = 1u << (f.bits - 1);
  const double special = bitmod_decode(type, neg_zero);
  f.specials = special != 0.0
                   ? fmt::format("special value {} at code {}", special, hex_code(neg_zero, f.bits))
                   : fmt::format("none; code {} is a second zero", hex_code(neg_zero, f.bits));
  return f;
}

std::vector<FormatInfo> build_registry() {
  std::vector<FormatInfo> all;
  for (int b = 2; b <= 8; ++b) all.push_back(make_int(b, true));
  for (int b = 2; b <= 8; ++b) all.push_back(make_int(b, false));
  {
    FormatInfo f;
    f.name = "binary";
    f.bits = 1;
    f.code_count = 2;
    f.summary = "1-bit weight {-1, +1}: code 0 = -1, code 1 = +1";
    f.decode_fn = [](uint32_t c) { return static_cast<double>(binary_decode(c)); };
    f.encode_fn = [](double x, Overflow) { return binary_encode(x); };
    f.lowest = -1;
    f.max_finite = 1;
    f.specials = "no zero: x < 0 -> -1, else +1 (NaN -> +1)";
    all.push_back(std::move(f));
  }
  {
    FormatInfo f;
    f.name = "ternary";
    f.bits = 2;
    f.code_count = 3;
    f.summary = "BitNet b1.58 weight {-1, 0, +1}: codes 0, 1, 2";
    f.decode_fn = [](uint32_t c) { return static_cast<double>(ternary_decode(c)); };
    f.encode_fn = [](double x, Overflow) { return ternary_encode(x); };
    f.lowest = -1;
    f.max_finite = 1;
    f.specials = "code 3 unused; saturates, NaN -> 0";
    all.push_back(std::move(f));
  }
  all.push_back(make_float("fp4_e2m1", kFp4E2M1, "OCP MX FP4 E2M1, bias 1"));
  all.push_back(make_float("fp6_e2m3", kFp6E2M3, "OCP MX FP6 E2M3, bias 1"));
  all.push_back(make_float("fp6_e3m2", kFp6E3M2, "OCP MX FP6 E3M2, bias 3"));
  all.push_back(make_float("fp8_e4m3", kFp8E4M3, "OCP OFP8 E4M3 (FN), bias 7"));
  all.push_back(make_float("fp8_e5m2", kFp8E5M2, "OCP OFP8 E5M2 (IEEE-like), bias 15"));
  all.push_back(make_float("fp16", kFp16Spec, "IEEE 754 binary16"));
  all.push_back(make_float("bf16", kBf16Spec, "bfloat16 (top half of binary32)"));
  {
    FormatInfo f;
    f.name = "e8m0";
    f.bits = 8;
    f.code_count = 256;
    f.summary = "OCP MX shared scale: unsigned power of two 2^(code-127)";
    f.decode_fn = [](uint32_t c) { return e8m0_decode(static_cast<uint8_t>(c)); };
    f.encode_fn = [](double x, Overflow) { return static_cast<uint32_t>(e8m0_encode(x)); };
    f.lowest = e8m0_decode(0x00);
    f.max_finite = e8m0_decode(0xFE);
    f.specials = "NaN = 0xFF; no sign, no zero, no inf (x <= 0, inf, NaN -> 0xFF)";
    all.push_back(std::move(f));
  }
  for (BitmodType t : bitmod_all_types()) all.push_back(make_bitmod(t));
  return all;
}

}  // namespace

std::span<const FormatInfo> all_formats() {
  static const std::vector<FormatInfo> registry = build_registry();
  return registry;
}

const FormatInfo* find_format(std::string_view name) {
  for (const FormatInfo& f : all_formats())
    if (f.name == name) return &f;
  return nullptr;
}

std::string small_format_names() {
  std::string names;
  for (const FormatInfo& f : all_formats()) {
    if (f.bits > 8) continue;
    if (!names.empty()) names += ", ";
    names += f.name;
  }
  return names;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  return fmt::format("{}", v);
}

std::vector<FormatTableRow> format_table() {
  std::vector<FormatTableRow> rows;
  for (const FormatInfo& f : all_formats()) {
    rows.push_back({f.name, fmt::format("{}", f.bits), format_number(f.lowest),
                    format_number(f.max_finite), f.min_normal ? format_number(*f.min_normal) : "-",
                    f.min_subnormal ? format_number(*f.min_subnormal) : "-", f.specials});
  }
  for (MxElement e : mx_all_elements()) {
    // A block value is X * P with X in [2^-127, 2^127] (E8M0) and P an element value.
    const double elem_max = mx_element_max(e);
    // MXINT8 has no subnormals: its smallest positive value is not listed in that column.
    const double elem_min_sub = mx_element_min_positive(e);
    rows.push_back(
        {std::string(mx_format_name(e)), fmt::format("{}+8/{}", mx_element_bits(e), kMxBlockSize),
         format_number(-elem_max * e8m0_decode(0xFE)), format_number(elem_max * e8m0_decode(0xFE)),
         "-",
         e == MxElement::kInt8 ? std::string("-") : format_number(elem_min_sub * e8m0_decode(0x00)),
         "block of 32 + E8M0 scale; NaN/inf input -> scale 0xFF (NaN block)"});
  }
  return rows;
}

std::vector<CodeValue> format_codes(std::string_view name) {
  const FormatInfo* f = find_format(name);
  if (f == nullptr)
    throw std::invalid_argument(
        fmt::format("unknown format '{}' (allowed: {})", name, small_format_names()));
  if (f->bits > 8)
    throw std::invalid_argument(
        fmt::format("format '{}' has {} bits; codes are listed for "
                    "formats of 8 bits or fewer (allowed: {})",
                    name, f->bits, small_format_names()));
  std::vector<CodeValue> codes;
  for (uint32_t c = 0; c < f->code_count; ++c) codes.push_back({c, f->decode(c)});
  return codes;
}

}  // namespace lowbit
