// E8M0: the OCP MX shared scale, an unsigned power of two 2^(code-127); code 0xFF is NaN.
#pragma once

#include <cstdint>

namespace lowbit {

inline constexpr int kE8M0Bias = 127;
inline constexpr uint8_t kE8M0Nan = 0xFF;
inline constexpr int kE8M0MinExp = -127;  ///< code 0x00
inline constexpr int kE8M0MaxExp = 127;   ///< code 0xFE

/// 2^(code-127) exactly; 0xFF gives NaN. There is no sign, no zero and no infinity.
double e8m0_decode(uint8_t code);
/// Code of 2^exp, exp clamped to [-127, 127].
uint8_t e8m0_from_exponent(int exp);
/// Nearest power of two to x (in value; the tie 1.5 * 2^k goes to the even code), clamped to
/// [2^-127, 2^127]. NaN, infinities, zero and negative x have no representation: they give 0xFF.
uint8_t e8m0_encode(double x);

}  // namespace lowbit
