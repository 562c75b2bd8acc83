// Weight formats by canonical name ("binary", "ternary", "int2".."int8", "uint2".."uint8").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/quant/tensors.h"

namespace lowbit {

/// A group-quantized integer weight format: how codes map to values (kind) and their width.
struct WeightFormat {
  WeightKind kind = WeightKind::kSigned;
  int bits = 4;

  /// Canonical name, e.g. "int4"; parse_weight_format(name()) returns this format.
  std::string name() const;
  bool operator==(const WeightFormat&) const = default;
};

/// Parses a canonical name. Throws std::invalid_argument naming the bad input and every valid name.
WeightFormat parse_weight_format(std::string_view name);

/// Every valid canonical name, in a fixed order (binary, ternary, int2..int8, uint2..uint8).
const std::vector<std::string>& weight_format_names();

/// Checks that (kind, bits) is a legal combination; throws std::invalid_argument otherwise.
void check_weight_format(WeightKind kind, int bits);

}  // namespace lowbit
