// Integer weight formats: signed/unsigned INT2..INT8, binary {-1,+1} and ternary {-1,0,+1}.
#pragma once

#include <cstdint>

namespace lowbit {

/// Describes intN (two's complement code) or uintN (code = value), N = 2..8.
struct IntSpec {
  int bits = 8;
  bool is_signed = true;

  int min_value() const { return is_signed ? -(1 << (bits - 1)) : 0; }
  int max_value() const { return is_signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1; }
};

/// Value of a code (the low `bits` bits; signed codes are two's complement).
int int_decode(const IntSpec& spec, uint32_t code);
/// Rounds x to nearest, ties to even, then saturates to [min_value, max_value]; NaN gives 0.
/// The result is the format's code (two's complement for signed).
uint32_t int_encode(const IntSpec& spec, double x);

/// Binary (1-bit) weights: code 1 is +1, code 0 is -1 (as WeightKind::kBinary: w = 2u - 1).
int binary_decode(uint32_t code);
/// Sign of x: x < 0 gives -1 (code 0); everything else, +-0 and NaN included, gives +1 (code 1).
uint32_t binary_encode(double x);

/// Ternary (BitNet b1.58) weights in 2 bits: codes 0, 1, 2 are -1, 0, +1 (as WeightKind::kTernary);
/// code 3 is unused and invalid.
int ternary_decode(uint32_t code);
/// Rounds to nearest (ties to even: +-0.5 -> 0, +-1.5 -> +-1 after clamping) and clamps to
/// [-1, 1]; NaN gives 0 (code 1).
uint32_t ternary_encode(double x);

}  // namespace lowbit
