// Unit tests of the lutcore parameter parser: defaults, named configs, one-line errors.
#include "model/arch/lutcore/lutcore_params.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace lowbit {
namespace {

std::string source_dir() {
  const char* s = std::getenv("LOWBIT_SOURCE_DIR");
  return s ? s : ".";
}

// Returns the error message of parsing `text`, or "" when it parses.
std::string error_of(const std::string& text) {
  try {
    lutcore_params_from_json(nlohmann::json::parse(text), "cfg.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(LutcoreParams, DefaultsWhenKeysAbsent) {
  const auto p = lutcore_params_from_json(nlohmann::json::parse(R"({"lutcore": {}})"), "x");
  EXPECT_EQ(p.m, 2);
  EXPECT_EQ(p.n, 64);
  EXPECT_EQ(p.k, 4);
  EXPECT_EQ(p.g, 4);
  EXPECT_TRUE(p.fp16);
  EXPECT_EQ(p.entries(), 8);
  EXPECT_EQ(p.acc_bits(), 64);
  EXPECT_EQ(p.dequant_lanes, 16);
  EXPECT_EQ(p.dequant_chunks(), 8);
  EXPECT_TRUE(p.symmetric);
}

TEST(LutcoreParams, NamedConfigsParse) {
  const auto d = lutcore_params_from_file(source_dir() + "/configs/lutcore_m2n64k4.json");
  EXPECT_EQ(d.n, 64);
  const auto s = lutcore_params_from_file(source_dir() + "/configs/lutcore_m2n8k4.json");
  EXPECT_EQ(s.n, 8);
  const auto o = lutcore_params_from_file(source_dir() + "/configs/lutcore_m3n5k6g2.json");
  EXPECT_EQ(o.tables_per_row(), 3);
  EXPECT_EQ(o.acc_bits(), 32);
  EXPECT_TRUE(o.symmetric);  // no "symmetric" key: symmetrization on
  const auto ns = lutcore_params_from_file(source_dir() + "/configs/lutcore_m2n8k4_nosym.json");
  EXPECT_FALSE(ns.symmetric);
  EXPECT_EQ(ns.entries(), 16);
  EXPECT_EQ(ns.n, s.n);
  EXPECT_EQ(ns.dequant_lanes, s.dequant_lanes);
}

TEST(LutcoreParams, SymmetricParsesDefaultsToTrueAndRejectsNonBool) {
  const auto on = lutcore_params_from_json(nlohmann::json::parse(R"({"lutcore": {}})"), "x");
  EXPECT_TRUE(on.symmetric);
  EXPECT_EQ(on.entries(), 8);  // g = 4: 2^(g-1) stored entries
  const auto off = lutcore_params_from_json(
      nlohmann::json::parse(R"({"lutcore": {"g": 2, "k": 4, "symmetric": false}})"), "x");
  EXPECT_FALSE(off.symmetric);
  EXPECT_EQ(off.entries(), 4);  // g = 2: all 2^g entries
  const auto explicit_on =
      lutcore_params_from_json(nlohmann::json::parse(R"({"lutcore": {"symmetric": true}})"), "x");
  EXPECT_TRUE(explicit_on.symmetric);
  for (const char* bad : {R"(1)", R"(0)", R"("false")", R"(null)", R"([true])"}) {
    const auto e = error_of(std::string(R"({"lutcore": {"symmetric": )") + bad + "}}");
    EXPECT_NE(e.find("cfg.json: lutcore.symmetric: not a boolean; allowed: true or false"),
              std::string::npos)
        << bad << ": " << e;
  }
}

TEST(LutcoreParams, IgnoresOtherTopLevelKeys) {
  EXPECT_EQ(error_of(R"({"clock": {"mhz": 500}, "lutcore": {"n": 16}})"), "");
}

TEST(LutcoreParams, RejectsUnknownKeyNamingFileAndKey) {
  const auto e = error_of(R"({"lutcore": {"n": 8, "banks": 2}})");
  EXPECT_NE(e.find("cfg.json"), std::string::npos) << e;
  EXPECT_NE(e.find("lutcore.banks"), std::string::npos) << e;
  EXPECT_NE(e.find("allowed keys: m, n, k, g, fp16, dequant_lanes, symmetric"), std::string::npos)
      << e;
  EXPECT_EQ(e.find('\n'), std::string::npos);
}

TEST(LutcoreParams, RejectsOutOfRangeAndWrongTypes) {
  EXPECT_NE(error_of(R"({"lutcore": {"g": 5}})").find("lutcore.g: 5 out of range"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"lutcore": {"m": 0}})").find("[1, 16]"), std::string::npos);
  EXPECT_NE(error_of(R"({"lutcore": {"n": "8"}})").find("not an integer"), std::string::npos);
  EXPECT_NE(error_of(R"({"lutcore": {"fp16": 1}})").find("not a boolean"), std::string::npos);
  EXPECT_NE(error_of(R"({"lutcore": {"k": 6, "g": 4}})").find("not a multiple of g"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"lutcore": {"n": 8, "dequant_lanes": 3}})").find("does not divide n"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"core": "lutcore"})").find("lutcore: missing"), std::string::npos);
}

TEST(LutcoreParams, MissingFileIsAConfigError) {
  EXPECT_THROW(lutcore_params_from_file("/nonexistent/lutcore.json"), ConfigError);
}

}  // namespace
}  // namespace lowbit
