// Every registry format of 8 bits or fewer, exhaustively: round trip, ordering, nearest rounding
// with the documented tie rule, specials; plus the `lowbit formats` table rows and --codes listing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "model/formats/format_registry.h"

namespace lowbit {
namespace {

bool is_bitmod(const FormatInfo& f) { return f.name.rfind("bitmod_", 0) == 0; }

// Distinct finite values of a format, ascending, with the code encode() must return for each.
std::map<double, uint32_t> finite_values(const FormatInfo& f) {
  std::map<double, uint32_t> values;
  for (uint32_t c = 0; c < f.code_count; ++c) {
    const double v = f.decode(c);
    if (!std::isfinite(v)) continue;
    const double key = v == 0.0 ? 0.0 : v;  // -0 and +0 are one value here
    if (!values.contains(key)) values[key] = c;
  }
  return values;
}

TEST(FormatsRegistry, NamesAreUniqueAndComplete) {
  std::set<std::string> names;
  for (const FormatInfo& f : all_formats()) EXPECT_TRUE(names.insert(f.name).second) << f.name;
  for (const char* required : {"int2",
                               "int3",
                               "int4",
                               "int8",
                               "uint2",
                               "uint4",
                               "uint8",
                               "binary",
                               "ternary",
                               "fp4_e2m1",
                               "fp6_e2m3",
                               "fp6_e3m2",
                               "fp8_e4m3",
                               "fp8_e5m2",
                               "fp16",
                               "bf16",
                               "e8m0",
                               "bitmod_int3",
                               "bitmod_fp3",
                               "bitmod_fp3_er_pos",
                               "bitmod_fp3_er_neg",
                               "bitmod_fp3_ea_pos",
                               "bitmod_fp3_ea_neg",
                               "bitmod_int4",
                               "bitmod_flint4",
                               "bitmod_fp4",
                               "bitmod_fp4_er_pos",
                               "bitmod_fp4_er_neg",
                               "bitmod_fp4_ea_pos",
                               "bitmod_fp4_ea_neg"})
    EXPECT_NE(find_format(required), nullptr) << required;
  EXPECT_EQ(find_format("fp7"), nullptr);
}

TEST(FormatsRegistry, EveryCodeRoundTrips) {
  for (const FormatInfo& f : all_formats()) {
    if (f.bits > 8) continue;
    for (uint32_t c = 0; c < f.code_count; ++c) {
      const double v = f.decode(c);
      if (std::isnan(v)) {
        EXPECT_TRUE(std::isnan(f.decode(f.encode(v)))) << f.name << " code " << c;
        continue;
      }
      const uint32_t back = f.encode(v);
      // Redundant codes (a BitMoD second zero) come back as the canonical code of their value.
      EXPECT_EQ(f.decode(back), v) << f.name << " code " << c;
      if (!is_bitmod(f) || v != 0.0) {
        EXPECT_EQ(back, c) << f.name << " code " << c;
      }
      if (std::isfinite(v)) {  // (inf saturates to max finite in kSaturate mode)
        EXPECT_EQ(f.encode(v, Overflow::kSaturate), back) << f.name << " code " << c;
      }
    }
  }
}

TEST(FormatsRegistry, ValuesAreOrderedAndRoundToNearest) {
  for (const FormatInfo& f : all_formats()) {
    if (f.bits > 8) continue;
    const std::map<double, uint32_t> values = finite_values(f);
    ASSERT_GE(values.size(), 2u) << f.name;
    EXPECT_EQ(values.begin()->first, f.lowest) << f.name;
    EXPECT_EQ(values.rbegin()->first, f.max_finite) << f.name;
    for (auto it = values.begin(); std::next(it) != values.end(); ++it) {
      const auto [a, code_a] = *it;
      const auto [b, code_b] = *std::next(it);
      ASSERT_LT(a, b);
      const double below = a + 0.49 * (b - a);
      const double above = a + 0.51 * (b - a);
      EXPECT_EQ(f.decode(f.encode(below)), a) << f.name << " between " << a << " and " << b;
      EXPECT_EQ(f.decode(f.encode(above)), b) << f.name << " between " << a << " and " << b;
      // Tie rule: the even code for formats with RNE (ternary: the even integer, 0); the smaller
      // magnitude for BitMoD sets.
      const double mid = a + 0.5 * (b - a);
      double want = (code_a & 1u) == 0 ? a : b;
      if (is_bitmod(f)) want = std::fabs(a) <= std::fabs(b) ? a : b;
      if (f.name == "ternary") want = 0.0;
      // Neighbouring values of an RNE format have codes of opposite parity, so "even" is defined.
      if (!is_bitmod(f)) {
        ASSERT_NE(code_a & 1u, code_b & 1u) << f.name << " at " << mid;
      }
      if (f.name != "binary") {  // binary has no tie rule: 0 maps to +1 (sign rule)
        EXPECT_EQ(f.decode(f.encode(mid)), want) << f.name << " at " << mid;
      }
    }
  }
}

TEST(FormatsRegistry, OutOfRangeAndSpecialInputs) {
  for (const FormatInfo& f : all_formats()) {
    if (f.bits > 8 || f.name == "e8m0" || f.name == "binary") continue;
    const double huge = f.max_finite * 4.0;
    const bool has_special = f.name == "fp8_e4m3" || f.name == "fp8_e5m2";
    EXPECT_EQ(f.decode(f.encode(huge, Overflow::kSaturate)), f.max_finite) << f.name;
    EXPECT_EQ(f.decode(f.encode(-huge, Overflow::kSaturate)), f.lowest) << f.name;
    EXPECT_EQ(f.decode(f.encode(INFINITY, Overflow::kSaturate)), f.max_finite) << f.name;
    if (has_special) {
      const double v = f.decode(f.encode(huge));
      EXPECT_TRUE(f.name == "fp8_e4m3" ? std::isnan(v) : std::isinf(v)) << f.name;
    } else {
      EXPECT_EQ(f.decode(f.encode(huge)), f.max_finite) << f.name;
      EXPECT_EQ(f.decode(f.encode(NAN)), 0.0) << f.name;  // no NaN: documented as 0
    }
  }
}

TEST(FormatsRegistry, TableRowsCarryTheFacts) {
  const std::vector<FormatTableRow> rows = format_table();
  std::map<std::string, FormatTableRow> by_name;
  for (const FormatTableRow& r : rows) by_name[r.name] = r;
  EXPECT_EQ(rows.size(), all_formats().size() + 6);  // + the six MX block formats
  EXPECT_EQ(by_name["fp8_e4m3"].max_finite, "448");
  EXPECT_EQ(by_name["fp8_e4m3"].min_finite, "-448");
  EXPECT_EQ(by_name["fp8_e4m3"].min_subnormal, "0.001953125");
  EXPECT_EQ(by_name["fp8_e4m3"].specials, "no inf; NaN = 0x7F and 0xFF");
  EXPECT_EQ(by_name["fp8_e5m2"].max_finite, "57344");
  EXPECT_EQ(by_name["fp4_e2m1"].max_finite, "6");
  EXPECT_EQ(by_name["fp4_e2m1"].min_subnormal, "0.5");
  EXPECT_EQ(by_name["fp6_e2m3"].max_finite, "7.5");
  EXPECT_EQ(by_name["fp6_e3m2"].max_finite, "28");
  EXPECT_EQ(by_name["fp6_e3m2"].min_subnormal, "0.0625");
  EXPECT_EQ(by_name["fp16"].max_finite, "65504");
  EXPECT_EQ(by_name["fp16"].bits, "16");
  EXPECT_EQ(by_name["int4"].min_finite, "-8");
  EXPECT_EQ(by_name["int4"].min_subnormal, "-");
  EXPECT_EQ(by_name["uint8"].max_finite, "255");
  EXPECT_EQ(by_name["bitmod_fp3_ea_neg"].min_finite, "-6");
  EXPECT_EQ(by_name["bitmod_fp4_er_pos"].specials, "special value 10 at code 0x8");
  EXPECT_EQ(by_name["mxfp4"].bits, "4+8/32");
  EXPECT_EQ(by_name["mxfp8_e4m3"].max_finite, format_number(448.0 * std::ldexp(1.0, 127)));
}

TEST(FormatsRegistry, CodesListing) {
  const std::vector<CodeValue> fp4 = format_codes("fp4_e2m1");
  ASSERT_EQ(fp4.size(), 16u);
  EXPECT_EQ(fp4[7].value, 6.0);
  EXPECT_EQ(fp4[15].value, -6.0);
  EXPECT_EQ(format_codes("ternary").size(), 3u);
  EXPECT_EQ(format_codes("e8m0").size(), 256u);
  EXPECT_THROW(format_codes("fp16"), std::invalid_argument);  // wider than 8 bits
  try {
    format_codes("nope");
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'nope'"), std::string::npos);
    EXPECT_NE(msg.find("fp8_e4m3"), std::string::npos);  // names the allowed formats
    EXPECT_EQ(msg.find('\n'), std::string::npos);        // one line
  }
  EXPECT_EQ(small_format_names().find("fp16"), std::string::npos);
}

}  // namespace
}  // namespace lowbit
