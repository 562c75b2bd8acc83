// Canonical weight format names: parsing, listing and validation.
#include "model/quant/weight_format.h"

#include <stdexcept>

#include "fmt/format.h"

namespace lowbit {

std::string WeightFormat::name() const {
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
    std::vector<std::string> v{"binary", "ternary"};
    for (int b = 2; b <= 8; ++b) v.push_back(fmt::format("int{}", b));
    for (int b = 2; b <= 8; ++b) v.push_back(fmt::format("uint{}", b));
    return v;
  }();
  return names;
}

WeightFormat parse_weight_format(std::string_view name) {
  if (name == "binary") return {WeightKind::kBinary, 1};
  if (name == "ternary") return {WeightKind::kTernary, 2};
  auto parse_bits = [&](std::string_view prefix, WeightKind kind, WeightFormat* out) {
    if (name.size() != prefix.size() + 1 || name.substr(0, prefix.size()) != prefix) return false;
    const char c = name.back();
    if (c < '2' || c > '8') return false;
    *out = {kind, c - '0'};
    return true;
  };
  WeightFormat f;
  if (parse_bits("int", WeightKind::kSigned, &f) || parse_bits("uint", WeightKind::kUnsigned, &f)) {
    return f;
  }
  std::string all;
  for (const auto& n : weight_format_names()) all += (all.empty() ? "" : ", ") + n;
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

}  // namespace lowbit
