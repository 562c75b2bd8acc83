// OCP MX block encode/decode on top of the minifloat and E8M0 codecs.
#include "model/formats/mx.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "model/formats/e8m0.h"
#include "model/formats/minifloat.h"

namespace lowbit {
namespace {

constexpr std::array<MxElement, 6> kAll{MxElement::kFp8E4M3, MxElement::kFp8E5M2,
                                        MxElement::kFp6E2M3, MxElement::kFp6E3M2,
                                        MxElement::kFp4E2M1, MxElement::kInt8};

const MinifloatSpec* float_spec(MxElement e) {
  switch (e) {
    case MxElement::kFp8E4M3:
      return &kFp8E4M3;
    case MxElement::kFp8E5M2:
      return &kFp8E5M2;
    case MxElement::kFp6E2M3:
      return &kFp6E2M3;
    case MxElement::kFp6E3M2:
      return &kFp6E3M2;
    case MxElement::kFp4E2M1:
      return &kFp4E2M1;
    case MxElement::kInt8:
      return nullptr;
  }
  return nullptr;
}

constexpr int kMxInt8FracBits = 6;
constexpr int kMxInt8MaxCode = 127;

}  // namespace

std::span<const MxElement> mx_all_elements() { return kAll; }

std::string_view mx_format_name(MxElement e) {
  switch (e) {
    case MxElement::kFp8E4M3:
      return "mxfp8_e4m3";
    case MxElement::kFp8E5M2:
      return "mxfp8_e5m2";
    case MxElement::kFp6E2M3:
      return "mxfp6_e2m3";
    case MxElement::kFp6E3M2:
      return "mxfp6_e3m2";
    case MxElement::kFp4E2M1:
      return "mxfp4";
    case MxElement::kInt8:
      return "mxint8";
  }
  return "";
}

int mx_element_bits(MxElement e) {
  const MinifloatSpec* spec = float_spec(e);
  return spec != nullptr ? spec->bits() : 8;
}

int mx_element_emax(MxElement e) {
  const MinifloatSpec* spec = float_spec(e);
  if (spec == nullptr) return 0;
  return spec->max_finite_exp_field() - spec->bias;
}

double mx_element_max(MxElement e) {
  const MinifloatSpec* spec = float_spec(e);
  return spec != nullptr ? spec->max_finite() : std::ldexp(kMxInt8MaxCode, -kMxInt8FracBits);
}

double mx_element_min_positive(MxElement e) {
  const MinifloatSpec* spec = float_spec(e);
  return spec != nullptr ? spec->min_subnormal() : std::ldexp(1.0, -kMxInt8FracBits);
}

double mx_element_decode(MxElement e, uint8_t code) {
  const MinifloatSpec* spec = float_spec(e);
  if (spec != nullptr) return minifloat_decode(*spec, code);
  return std::ldexp(static_cast<double>(static_cast<int8_t>(code)), -kMxInt8FracBits);
}

uint8_t mx_element_encode(MxElement e, double x) {
  const MinifloatSpec* spec = float_spec(e);
  if (spec != nullptr) return static_cast<uint8_t>(minifloat_encode(*spec, x, Overflow::kSaturate));
  if (std::isnan(x)) return 0;
  double r = std::nearbyint(std::ldexp(x, kMxInt8FracBits));  // exact scaling, RNE
  if (r > kMxInt8MaxCode) r = kMxInt8MaxCode;
  if (r < -kMxInt8MaxCode) r = -kMxInt8MaxCode;
  return static_cast<uint8_t>(static_cast<int8_t>(r));
}

int mx_shared_exponent(MxElement e, double amax) {
  int exp = 0;
  std::frexp(amax, &exp);  // amax = f 2^exp, f in [0.5, 1): floor(log2(amax)) = exp - 1
  return exp - 1 - mx_element_emax(e);
}

MxBlock mx_encode_block(MxElement e, std::span<const float> values) {
  if (values.empty() || values.size() > static_cast<size_t>(kMxBlockSize))
    throw std::invalid_argument("an MX block holds 1 to 32 values");
  MxBlock block;
  double amax = 0.0;
  for (float v : values) {
    if (!std::isfinite(v)) {
      block.scale = kE8M0Nan;
      return block;
    }
    amax = std::fmax(amax, std::fabs(static_cast<double>(v)));
  }
  if (amax == 0.0) {
    block.scale = e8m0_from_exponent(kE8M0MinExp);
    for (size_t i = 0; i < values.size(); ++i)
      block.codes[i] = mx_element_encode(e, static_cast<double>(values[i]));  // keeps -0
    return block;
  }
  block.scale = e8m0_from_exponent(mx_shared_exponent(e, amax));
  const int scale_exp = static_cast<int>(block.scale) - kE8M0Bias;
  for (size_t i = 0; i < values.size(); ++i)
    block.codes[i] = mx_element_encode(e, std::ldexp(static_cast<double>(values[i]), -scale_exp));
  return block;
}

void mx_decode_block(MxElement e, const MxBlock& block, std::span<double> out) {
  if (out.size() > static_cast<size_t>(kMxBlockSize))
    throw std::invalid_argument("an MX block holds at most 32 values");
  const double x = e8m0_decode(block.scale);
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = std::isnan(x) ? x : x * mx_element_decode(e, block.codes[i]);
}

}  // namespace lowbit
