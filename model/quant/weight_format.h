// Weight formats by canonical name ("binary", "ternary", "int2".."int8", "uint2".."uint8",
// "bitmod_w3", "bitmod_w4", "fp4_e2m1", "mxfp4"): the one registry of the names `--weights` and
// workloads accept.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/quant/tensors.h"

namespace lowbit {

/// A group-quantized weight format: how codes map to values (kind, or the per-group BitMoD
/// datatype when codec is kBitmod) and their width.
struct WeightFormat {
  WeightKind kind = WeightKind::kSigned;
  int bits = 4;
  WeightCodec codec = WeightCodec::kAffine;

  /// Canonical name, e.g. "int4"; parse_weight_format(name()) returns this format.
  std::string name() const;
  bool operator==(const WeightFormat&) const = default;
};

/// Parses a canonical name. Throws std::invalid_argument naming the bad input and every valid name.
WeightFormat parse_weight_format(std::string_view name);

/// The affine formats' names (every unit but bitmod runs them, every golden kernel of
/// model/kernels/mpgemm.h takes them), in a fixed order (binary, ternary, int2..int8,
/// uint2..uint8).
const std::vector<std::string>& weight_format_names();

/// Every valid canonical name: weight_format_names(), then bitmod_w3, bitmod_w4, fp4_e2m1, mxfp4
/// (what `--weights`
/// and workloads accept; the unit decides which of them it runs).
const std::vector<std::string>& all_weight_format_names();

/// Checks that (kind, bits) is a legal combination of an affine format; throws
/// std::invalid_argument otherwise.
void check_weight_format(WeightKind kind, int bits);

/// Checks a format of any codec (BitMoD: 3 or 4 bits, FP4: 4); throws std::invalid_argument.
void check_weight_format(const WeightFormat& format);

}  // namespace lowbit
