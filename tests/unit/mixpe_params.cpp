// Unit test of the mixpe / mac array config parser (plain C++, compiled in: no SystemC needed).
#include <gtest/gtest.h>

#include <string>

#include "model/arch/pe_array_params.h"

namespace lowbit {
namespace {

std::string source_dir() {
  const char* env = std::getenv("LOWBIT_SOURCE_DIR");
  return env ? env : ".";
}

TEST(MixpeParams, NamedConfigsParse) {
  const auto big = pe_array_params_from_file(source_dir() + "/configs/mixpe_64x64.json", "mixpe");
  EXPECT_EQ(big.rows, 64);
  EXPECT_EQ(big.cols, 64);
  EXPECT_FALSE(big.fp16);
  EXPECT_EQ(big.mixpe_acc_bits(), 32);
  const auto small = pe_array_params_from_file(source_dir() + "/configs/mixpe_8x8.json", "mixpe");
  EXPECT_EQ(small.rows, 8);
  EXPECT_TRUE(small.fp16);
  EXPECT_EQ(small.mixpe_acc_bits(), 64);
  EXPECT_EQ(pe_array_params_from_file(source_dir() + "/configs/mac_64x64.json", "mac").cols, 64);
  EXPECT_TRUE(pe_array_params_from_file(source_dir() + "/configs/mac_8x8.json", "mac").fp16);
}

std::string error_of(const std::string& text, const char* unit = "mixpe") {
  try {
    pe_array_params_from_json(nlohmann::json::parse(text), unit, "cfg.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(MixpeParams, BadInputIsOneLineNamingFileKeyAndAllowed) {
  EXPECT_EQ(error_of(R"({"mixpe": {"rows": 65}})"),
            "cfg.json: mixpe.rows: 65 out of range; allowed: an integer in [1, 64] rows");
  EXPECT_EQ(
      error_of(R"({"mixpe": {"row": 8}})"),
      "cfg.json: mixpe.row: unknown key; allowed keys: rows, cols, fp16, systolic, pe_stages, "
      "dequant_stages");
  EXPECT_EQ(error_of(R"({"mixpe": {"dequant_stages": 7}})"),
            "cfg.json: mixpe.dequant_stages: 7 out of range; allowed: an integer in [0, 6] stages");
  EXPECT_EQ(error_of(R"({"mac": {"pe_stages": 2}})", "mac"),
            "cfg.json: mac.pe_stages: 2 out of range; allowed: an integer in [0, 1] stages");
  EXPECT_EQ(error_of(R"({"mixpe": {"fp16": 1}})"),
            "cfg.json: mixpe.fp16: not a boolean; allowed: true or false");
  EXPECT_EQ(error_of(R"({"mac": {"cols": 0}})", "mac"),
            "cfg.json: mac.cols: 0 out of range; allowed: an integer in [1, 64] columns");
  EXPECT_EQ(error_of(R"({"lutcore": {}})"),
            "cfg.json: mixpe: missing; allowed: an object with keys rows, cols, fp16, systolic, "
            "pe_stages, dequant_stages");
  // Other top-level keys are not this parser's business.
  EXPECT_EQ(error_of(R"({"clock": {"mhz": 500}, "mixpe": {"rows": 4}})"), "");
  EXPECT_THROW(pe_array_params_from_file("/nonexistent.json", "mixpe"), ConfigError);
}

TEST(MixpeParams, DeclaredOnce) {
  const auto infos = param_infos_of(pe_array_param_fields());
  ASSERT_EQ(infos.size(), 6u);
  const PeArrayParams defaults;
  EXPECT_EQ(infos[0].default_value, defaults.rows);
  EXPECT_EQ(infos[1].default_value, defaults.cols);
  EXPECT_EQ(infos[2].default_value, defaults.fp16 ? 1 : 0);
  EXPECT_EQ(infos[3].default_value, defaults.systolic ? 1 : 0);
  EXPECT_EQ(infos[4].default_value, defaults.pe_stages);
  EXPECT_EQ(infos[5].default_value, defaults.dequant_stages);
}

// The latencies the control and the cycle formula use (docs/mixpe.md), from the parameters.
TEST(MixpeParams, PipelineLatencies) {
  PeArrayParams p;
  p.rows = 8;
  p.cols = 8;
  EXPECT_EQ(p.fill_latency(false), 0);
  EXPECT_EQ(p.fill_latency(true), 0);
  EXPECT_EQ(p.drain_latency(), 0);
  EXPECT_EQ(p.drain_gap(), 0);
  p.systolic = true;
  p.pe_stages = 1;
  p.dequant_stages = 6;
  // Input register + C - 1 hops + the PE register; mac adds its weight dequantizer (6 + 2).
  EXPECT_EQ(p.fill_latency(false), 8 + 1);
  EXPECT_EQ(p.fill_latency(true), 8 + 1 + 8);
  // Row select, zero-point product, subtract, the 4 + 6 + 6 + 6 FP32 stages and a register after
  // int-to-float, multiply and add: 3 + 22 + 3.
  EXPECT_EQ(p.drain_latency(), 28);
  EXPECT_EQ(p.drain_gap(), 13);
  p.dequant_stages = 2;
  EXPECT_EQ(p.drain_latency(), 3 + (2 + 2 + 2 + 2) + 3);
  EXPECT_EQ(p.weight_dequant_latency(), 4);
}

}  // namespace
}  // namespace lowbit
