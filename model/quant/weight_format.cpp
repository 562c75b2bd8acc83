// Canonical weight format names: the registry table, parsing, listing and validation.
#include "model/quant/weight_format.h"

#include <stdexcept>

#include "fmt/format.h"

namespace lowbit {
namespace {

// The one list of weight formats (name order is the order users see).
const std::vector<WeightFormat>& registry() {
  static const std::vector<WeightFormat> formats = [] {
    std::vector<WeightFormat> v{{WeightKind::kBinary, 1}, {WeightKind::kTernary, 2}};
    for (int b = 2; b <= 8; ++b) v.push_back({WeightKind::kSigned, b});
    for (int b = 2; b <= 8; ++b) v.push_back({WeightKind::kUnsigned, b});
    // BitMoD (arXiv 2411.11745): per group of weights one of the four datatypes of its width,
    // chosen by bitmod_quantize (model/quant/bitmod_quant.h); the kind is not used.
    for (int b = 3; b <= 4; ++b) v.push_back({WeightKind::kSigned, b, WeightCodec::kBitmod});
    // OCP E2M1 codes with an FP16 group scale, and OCP MX v1.0 MXFP4 (blocks of 32, E8M0 scale):
    // model/quant/fp4_quant.h, docs/fp-weights.md.
    v.push_back({WeightKind::kSigned, 4, WeightCodec::kFp4E2M1});
    v.push_back({WeightKind::kSigned, 4, WeightCodec::kMxfp4});
    return v;
  }();
  return formats;
}

}  // namespace

std::string WeightFormat::name() const {
  if (codec == WeightCodec::kBitmod) return fmt::format("bitmod_w{}", bits);
  if (codec == WeightCodec::kFp4E2M1) return "fp4_e2m1";
  if (codec == WeightCodec::kMxfp4) return "mxfp4";
  switch (kind) {
    case WeightKind::kBinary:
      return "binary";
    case WeightKind::kTernary:
      return "ternary";
    case WeightKind::kSigned:
      return fmt::format("int{}", bits);
    case WeightKind::kUnsigned:
      return fmt::format("uint{}", bits);
  }
  return "?";
}

const std::vector<std::string>& weight_format_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const WeightFormat& f : registry()) {
      if (f.codec == WeightCodec::kAffine) v.push_back(f.name());
    }
    return v;
  }();
  return names;
}

const std::vector<std::string>& all_weight_format_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const WeightFormat& f : registry()) v.push_back(f.name());
    return v;
  }();
  return names;
}

WeightFormat parse_weight_format(std::string_view name) {
  for (const WeightFormat& f : registry()) {
    if (f.name() == name) return f;
  }
  std::string all;
  for (const auto& n : all_weight_format_names()) all += (all.empty() ? "" : ", ") + n;
  throw std::invalid_argument(fmt::format("unknown weight format '{}' (allowed: {})", name, all));
}

void check_weight_format(WeightKind kind, int bits) {
  bool ok = false;
  switch (kind) {
    case WeightKind::kBinary:
      ok = bits == 1;
      break;
    case WeightKind::kTernary:
      ok = bits == 2;
      break;
    case WeightKind::kSigned:
    case WeightKind::kUnsigned:
      ok = bits >= 2 && bits <= 8;
      break;
  }
  if (!ok) {
    throw std::invalid_argument(fmt::format(
        "illegal weight format: kind {} with {} bits (binary: 1, ternary: 2, int/uint: 2..8)",
        static_cast<int>(kind), bits));
  }
}

void check_weight_format(const WeightFormat& format) {
  if (format.codec == WeightCodec::kAffine) return check_weight_format(format.kind, format.bits);
  if (weight_codec_is_fp4(format.codec)) {
    if (format.bits != 4) {
      throw std::invalid_argument(fmt::format("illegal weight format: {} with {} bits (allowed: 4)",
                                              format.name(), format.bits));
    }
    return;
  }
  if (format.bits != 3 && format.bits != 4) {
    throw std::invalid_argument(fmt::format(
        "illegal weight format: BitMoD with {} bits (bitmod_w3, bitmod_w4: 3 or 4)", format.bits));
  }
}

}  // namespace lowbit
