// Integer weight format codecs (round to nearest even, saturating).
#include "model/formats/int_formats.h"

#include <cmath>
#include <stdexcept>

namespace lowbit {
namespace {

// RNE rounding then clamping; done in double so huge inputs cannot overflow an int.
int round_clamp(double x, int lo, int hi) {
  if (std::isnan(x)) return 0;
  const double r = std::nearbyint(x);  // default rounding mode: ties to even
  if (r <= lo) return lo;
  if (r >= hi) return hi;
  return static_cast<int>(r);
}

}  // namespace

int int_decode(const IntSpec& spec, uint32_t code) {
  const uint32_t mask = (1u << spec.bits) - 1;
  code &= mask;
  if (spec.is_signed && (code >> (spec.bits - 1)) != 0)
    return static_cast<int>(code) - (1 << spec.bits);
  return static_cast<int>(code);
}

uint32_t int_encode(const IntSpec& spec, double x) {
  const int v = round_clamp(x, spec.min_value(), spec.max_value());
  return static_cast<uint32_t>(v) & ((1u << spec.bits) - 1);
}

int binary_decode(uint32_t code) { return (code & 1u) != 0 ? 1 : -1; }

uint32_t binary_encode(double x) { return x < 0.0 ? 0u : 1u; }

int ternary_decode(uint32_t code) {
  if (code > 2) throw std::out_of_range("ternary code 3 is unused");
  return static_cast<int>(code) - 1;
}

uint32_t ternary_encode(double x) { return static_cast<uint32_t>(round_clamp(x, -1, 1) + 1); }

}  // namespace lowbit
