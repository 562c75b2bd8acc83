// E8M0 power-of-two scale codec.
#include "model/formats/e8m0.h"

#include <cmath>
#include <limits>

namespace lowbit {

double e8m0_decode(uint8_t code) {
  if (code == kE8M0Nan) return std::numeric_limits<double>::quiet_NaN();
  return std::ldexp(1.0, static_cast<int>(code) - kE8M0Bias);
}

uint8_t e8m0_from_exponent(int exp) {
  if (exp < kE8M0MinExp) exp = kE8M0MinExp;
  if (exp > kE8M0MaxExp) exp = kE8M0MaxExp;
  return static_cast<uint8_t>(exp + kE8M0Bias);
}

uint8_t e8m0_encode(double x) {
  if (!(x > 0.0) || std::isinf(x)) return kE8M0Nan;
  int exp = 0;
  const double f = std::frexp(x, &exp);  // x = f 2^exp, f in [0.5, 1): between 2^(exp-1) and 2^exp
  int k = exp - 1;
  // Midpoint of [2^k, 2^(k+1)] is 1.5 2^k, i.e. f = 0.75. The tie goes to the even code (k+127).
  if (f > 0.75 || (f == 0.75 && ((k + kE8M0Bias) & 1) != 0)) ++k;
  return e8m0_from_exponent(k);
}

}  // namespace lowbit
