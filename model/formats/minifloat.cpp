// Generic minifloat codec: exact decode, single-rounding RNE encode from double.
#include "model/formats/minifloat.h"

#include <cmath>
#include <limits>

namespace lowbit {

int MinifloatSpec::max_finite_exp_field() const {
  const int all_ones = (1 << exp_bits) - 1;
  return specials == FloatSpecials::kIeee ? all_ones - 1 : all_ones;
}

uint32_t MinifloatSpec::max_finite_man_field() const {
  const uint32_t all_ones = (1u << man_bits) - 1;
  return specials == FloatSpecials::kNanOnly ? all_ones - 1 : all_ones;
}

uint32_t MinifloatSpec::max_finite_code() const {
  return (static_cast<uint32_t>(max_finite_exp_field()) << man_bits) | max_finite_man_field();
}

double MinifloatSpec::max_finite() const { return minifloat_decode(*this, max_finite_code()); }

double MinifloatSpec::min_normal() const { return std::ldexp(1.0, 1 - bias); }

double MinifloatSpec::min_subnormal() const { return std::ldexp(1.0, 1 - bias - man_bits); }

bool minifloat_is_nan(const MinifloatSpec& spec, uint32_t code) {
  const uint32_t mag = code & (spec.sign_mask() - 1);
  const uint32_t exp_ones = (1u << spec.exp_bits) - 1;
  const uint32_t e = mag >> spec.man_bits;
  const uint32_t m = mag & ((1u << spec.man_bits) - 1);
  switch (spec.specials) {
    case FloatSpecials::kNone:
      return false;
    case FloatSpecials::kIeee:
      return e == exp_ones && m != 0;
    case FloatSpecials::kNanOnly:
      return e == exp_ones && m == (1u << spec.man_bits) - 1;
  }
  return false;
}

double minifloat_decode(const MinifloatSpec& spec, uint32_t code) {
  const bool neg = (code & spec.sign_mask()) != 0;
  const uint32_t e = (code >> spec.man_bits) & ((1u << spec.exp_bits) - 1);
  const uint32_t m = code & ((1u << spec.man_bits) - 1);
  double mag;
  if (minifloat_is_nan(spec, code)) {
    mag = std::numeric_limits<double>::quiet_NaN();
  } else if (spec.specials == FloatSpecials::kIeee && e == (1u << spec.exp_bits) - 1) {
    mag = std::numeric_limits<double>::infinity();
  } else if (e == 0) {
    mag = std::ldexp(static_cast<double>(m), 1 - spec.bias - spec.man_bits);
  } else {
    const double sig = static_cast<double>((1u << spec.man_bits) | m);
    mag = std::ldexp(sig, static_cast<int>(e) - spec.bias - spec.man_bits);
  }
  return neg ? -mag : mag;
}

namespace {

uint32_t nan_code(const MinifloatSpec& spec) {
  const uint32_t exp_ones = (1u << spec.exp_bits) - 1;
  if (spec.specials == FloatSpecials::kNanOnly)
    return (exp_ones << spec.man_bits) | ((1u << spec.man_bits) - 1);
  return (exp_ones << spec.man_bits) | (1u << (spec.man_bits - 1));  // quiet NaN
}

// Code of a magnitude that does not fit: saturate, or the format's inf / NaN.
uint32_t overflow_code(const MinifloatSpec& spec, Overflow overflow) {
  if (overflow == Overflow::kSaturate || spec.specials == FloatSpecials::kNone)
    return spec.max_finite_code();
  if (spec.specials == FloatSpecials::kIeee)
    return ((1u << spec.exp_bits) - 1) << spec.man_bits;  // inf
  return nan_code(spec);
}

}  // namespace

uint32_t minifloat_encode(const MinifloatSpec& spec, double x, Overflow overflow) {
  const uint32_t sign = std::signbit(x) ? spec.sign_mask() : 0;
  if (std::isnan(x)) return spec.has_nan() ? (sign | nan_code(spec)) : 0;
  if (std::isinf(x)) return sign | overflow_code(spec, overflow);
  const double a = std::fabs(x);
  if (a == 0.0) return sign;
  int exp = 0;
  std::frexp(a, &exp);  // a = f 2^exp, f in [0.5, 1): the leading bit has weight 2^(exp-1)
  // Weight of the result's last mantissa bit: the binade's ulp, never below the subnormal ulp.
  const int min_ulp_exp = 1 - spec.bias - spec.man_bits;
  int ulp_exp = exp - 1 - spec.man_bits;
  if (ulp_exp < min_ulp_exp) ulp_exp = min_ulp_exp;
  // Exact power-of-two scaling, then one rounding (default mode: ties to even). scaled < 2^(m+1).
  const double rounded = std::nearbyint(std::ldexp(a, -ulp_exp));
  auto sig = static_cast<uint64_t>(rounded);
  if (sig == 0) return sign;
  if (sig >= (uint64_t{2} << spec.man_bits)) {  // carry out of rounding: 2^(m+1), low bit zero
    sig >>= 1;
    ++ulp_exp;
  }
  if (sig < (uint64_t{1} << spec.man_bits)) return sign | static_cast<uint32_t>(sig);  // subnormal
  const int e_field = ulp_exp + spec.man_bits + spec.bias;
  const auto m_field = static_cast<uint32_t>(sig) & ((1u << spec.man_bits) - 1);
  if (e_field > spec.max_finite_exp_field() ||
      (e_field == spec.max_finite_exp_field() && m_field > spec.max_finite_man_field()))
    return sign | overflow_code(spec, overflow);
  return sign | (static_cast<uint32_t>(e_field) << spec.man_bits) | m_field;
}

}  // namespace lowbit
