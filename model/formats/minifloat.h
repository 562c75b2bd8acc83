// Generic sign/exponent/mantissa codec: every binary float format of the kit is one MinifloatSpec.
#pragma once

#include <cstdint>

namespace lowbit {

/// Which codes of the top exponent are reserved for non-finite values.
enum class FloatSpecials : uint8_t {
  kNone,     ///< every code is finite (OCP MX FP4/FP6): no inf, no NaN
  kIeee,     ///< IEEE 754: exponent all ones is inf (mantissa 0) or NaN (mantissa != 0)
  kNanOnly,  ///< OCP FP8 E4M3 "FN": no inf, only S.1111.111 is NaN
};

/// What happens to a finite value whose rounded magnitude exceeds the largest finite value, and to
/// an infinite input. kSaturate: clamp to +-max finite. kSpecial: +-inf (kIeee) or NaN (kNanOnly).
/// Formats with FloatSpecials::kNone always saturate (they have nothing else to produce).
enum class Overflow : uint8_t { kSaturate, kSpecial };

/// Describes a binary floating-point format of 1 + exp_bits + man_bits bits (at most 32).
/// Value = (-1)^S 2^(E-bias) (1 + M/2^m) for E > 0 and (-1)^S 2^(1-bias) (M/2^m) for E = 0.
struct MinifloatSpec {
  int exp_bits = 0;
  int man_bits = 0;
  int bias = 0;
  FloatSpecials specials = FloatSpecials::kNone;

  int bits() const { return 1 + exp_bits + man_bits; }
  uint32_t sign_mask() const { return 1u << (exp_bits + man_bits); }
  /// Largest biased exponent that still holds finite values.
  int max_finite_exp_field() const;
  /// Largest mantissa field allowed at max_finite_exp_field().
  uint32_t max_finite_man_field() const;
  /// Code of +max finite.
  uint32_t max_finite_code() const;
  double max_finite() const;
  double min_normal() const;
  double min_subnormal() const;
  bool has_inf() const { return specials == FloatSpecials::kIeee; }
  bool has_nan() const { return specials != FloatSpecials::kNone; }
};

/// Decodes a code (bits above bits() must be zero) to its exact value; NaN codes give a quiet NaN
/// with the code's sign.
double minifloat_decode(const MinifloatSpec& spec, uint32_t code);

/// Encodes x with one rounding, to nearest, ties to even. Signed zeros keep their sign, values
/// below half the smallest subnormal round to a signed zero. NaN gives the format's canonical NaN
/// with x's sign (IEEE: quiet NaN, mantissa MSB set; kNanOnly: S.1..1.1..1); for a format without
/// NaN (kNone) NaN encodes as +0. Overflow and infinities follow `overflow` (see Overflow).
uint32_t minifloat_encode(const MinifloatSpec& spec, double x, Overflow overflow);

/// True if the code is a NaN of this format.
bool minifloat_is_nan(const MinifloatSpec& spec, uint32_t code);

// The specs of the kit's float formats (FORMATS.md; OCP OFP8 rev 1.0, OCP MX v1.0, IEEE 754-2019).
inline constexpr MinifloatSpec kFp4E2M1{2, 1, 1, FloatSpecials::kNone};
inline constexpr MinifloatSpec kFp6E2M3{2, 3, 1, FloatSpecials::kNone};
inline constexpr MinifloatSpec kFp6E3M2{3, 2, 3, FloatSpecials::kNone};
inline constexpr MinifloatSpec kFp8E4M3{4, 3, 7, FloatSpecials::kNanOnly};
inline constexpr MinifloatSpec kFp8E5M2{5, 2, 15, FloatSpecials::kIeee};
inline constexpr MinifloatSpec kFp16Spec{5, 10, 15, FloatSpecials::kIeee};
inline constexpr MinifloatSpec kBf16Spec{8, 7, 127, FloatSpecials::kIeee};

}  // namespace lowbit
