// Registry of every scalar number format by canonical lowercase name; drives `lowbit formats`.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/formats/minifloat.h"

namespace lowbit {

/// One scalar format: its codes, their values and the conversion from double.
struct FormatInfo {
  std::string name;         ///< canonical lowercase name, e.g. "fp8_e4m3"
  int bits = 0;             ///< storage bits of one code
  uint32_t code_count = 0;  ///< valid codes are 0 .. code_count-1 (ternary: 3 of 4)
  std::string summary;      ///< one line: what the format is
  std::function<double(uint32_t)> decode_fn;
  std::function<uint32_t(double, Overflow)> encode_fn;
  double lowest = 0;                    ///< most negative finite value (E8M0: its smallest value)
  double max_finite = 0;                ///< largest finite value
  std::optional<double> min_normal;     ///< float formats: smallest positive normal
  std::optional<double> min_subnormal;  ///< float formats: smallest positive subnormal
  std::string specials;                 ///< inf / NaN / unused codes / special values, in words

  /// Exact value of a valid code (NaN codes give NaN).
  double decode(uint32_t code) const { return decode_fn(code); }
  /// The code of x: round to nearest even (the format's documented tie rule for BitMoD sets).
  /// `overflow` matters only for formats with inf or NaN: kSpecial (the default, IEEE and OFP8
  /// non-saturating) gives inf / NaN on overflow, kSaturate clamps to +-max finite.
  uint32_t encode(double x, Overflow overflow = Overflow::kSpecial) const {
    return encode_fn(x, overflow);
  }
};

/// Every format, in a fixed order (integers, floats, scale, BitMoD sets).
std::span<const FormatInfo> all_formats();
/// The format called `name`, or nullptr.
const FormatInfo* find_format(std::string_view name);
/// Names of the formats of 8 bits or fewer (those `lowbit formats --codes` accepts), comma-joined.
std::string small_format_names();

/// One printed row of `lowbit formats`: numbers already formatted (shortest round-trip form).
struct FormatTableRow {
  std::string name;
  std::string bits;
  std::string min_finite;  ///< most negative finite value
  std::string max_finite;
  std::string min_normal;     ///< "-" if not a float format
  std::string min_subnormal;  ///< "-" if the format has no subnormals
  std::string specials;
};

/// Rows for every registry format followed by the MX block formats.
std::vector<FormatTableRow> format_table();

/// Every code of a format of 8 bits or fewer with its value (throws std::invalid_argument for an
/// unknown name or a wider format).
struct CodeValue {
  uint32_t code;
  double value;
};
std::vector<CodeValue> format_codes(std::string_view name);

/// Shortest text that reads back as the same double ("448", "0.001953125", "nan", "-inf").
std::string format_number(double v);

}  // namespace lowbit
