// The parameter declarations (model/arch): one declaration per parameter drives the typed structs,
// the parsers, docs/params.md and rtl/params.json (the file CMake and rtl/synth read).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "model/arch/hw_config.h"
#include "model/arch/lutcore/lutcore_params.h"
#include "model/arch/param_doc.h"
#include "model/arch/pe_array_params.h"
#include "model/arch/top_params.h"
#include "model/arch/unit_registry.h"
#include "model/arch/vector_params.h"
#include "model/arch/vector_timing.h"

namespace lowbit {
namespace {

std::filesystem::path source_dir() {
  const char* src = std::getenv("LOWBIT_SOURCE_DIR");
  return std::filesystem::path(src ? src : LOWBIT_SOURCE_DIR_FALLBACK);
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// The struct's member initializers and the declared defaults are the same values.
template <class P>
void expect_defaults_match(const std::vector<ParamField<P>>& fields) {
  const nlohmann::json declared = read_param_tree(nullptr, param_infos_of(fields), "t", "x");
  EXPECT_EQ(params_to_tree(P{}, fields), declared);
  EXPECT_EQ(params_to_tree(params_from_tree(declared, fields), fields), declared);
}

TEST(ArchParams, StructDefaultsAreTheDeclaredDefaults) {
  expect_defaults_match(top_param_fields());
  expect_defaults_match(lutcore_param_fields());
  expect_defaults_match(pe_array_param_fields());
  expect_defaults_match(vector_param_fields());
}

TEST(ArchParams, VectorSubtreeParsesAndRejectsBadKvKeys) {
  const nlohmann::json ok = {
      {"vector", {{"lanes", 128}, {"kv_cache", {{"format", "int4"}, {"group", 32}}}}}};
  const VectorParams p = vector_params_from_json(ok, "c.json");
  EXPECT_EQ(p.lanes, 128);
  EXPECT_EQ(p.kv_cache().format, KvFormat::kInt4);
  EXPECT_EQ(p.kv_cache().group, 32);
  EXPECT_EQ(vector_params_from_json(nlohmann::json::object(), "c.json").kv_cache().format,
            KvFormat::kFp16);
  const auto message = [](const nlohmann::json& j) {
    try {
      (void)vector_params_from_json(j, "c.json");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({{"vector", {{"kv_cache", {{"format", "int3"}}}}}}),
            "c.json: vector.kv_cache.format: 'int3'; allowed: fp16, int8, int4");
  EXPECT_NE(message({{"vector", {{"lanes", 0}}}}).find("vector.lanes"), std::string::npos);
  EXPECT_NE(message({{"vector", {{"kv_cache", {{"group", 32}}}}}}).find("allowed: 0"),
            std::string::npos);
}

TEST(ArchParams, EveryUnitIsRegisteredOnceWithValidDefaults) {
  std::set<std::string> names;
  std::set<int> opcodes;
  for (const IUnitSpec* u : unit_specs()) {
    EXPECT_TRUE(names.insert(std::string(u->name())).second) << u->name();
    EXPECT_TRUE(opcodes.insert(static_cast<int>(u->opcode())).second) << u->name();
    EXPECT_EQ(find_unit_spec(u->name()), u);
    const nlohmann::json tree = read_param_tree(nullptr, u->params(), "t", u->name());
    u->check(tree, "t");
    const UnitGeometry g = u->geometry(tree);
    EXPECT_GT(g.rows, 0);
    EXPECT_GT(g.tile_cols, 0);
    EXPECT_GT(g.beat_k, 0);
    EXPECT_LE(g.min_weight_bits, g.max_weight_bits);
    EXPECT_FALSE(u->cost().events.empty()) << u->name();
    for (const ParamInfo& p : u->params()) {
      EXPECT_GE(p.default_value, p.min_value) << u->name() << "." << p.path;
      EXPECT_LE(p.default_value, p.max_value) << u->name() << "." << p.path;
    }
  }
  EXPECT_EQ(find_unit_spec("nope"), nullptr);
}

TEST(ArchParams, HwConfigRoundTripsThroughToJson) {
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "configs")) {
    if (entry.path().extension() != ".json") continue;
    const HwConfig hw = load_hw_config(entry.path().string());
    const HwConfig again = hw_config_from_json(hw.to_json(), "again");
    EXPECT_EQ(again.to_json(), hw.to_json()) << entry.path();
    EXPECT_EQ(again.unit, hw.unit);
  }
}

TEST(ArchParams, UnknownCoreNamesTheRegisteredUnits) {
  try {
    hw_config_from_json(nlohmann::json::parse(R"({"core": "tpu"})"), "c.json");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "c.json: core: 'tpu' is not a core; allowed: " + unit_names());
  }
}

// docs/params.md and rtl/params.json are generated from the declarations; regenerate with
// LOWBIT_UPDATE_GOLDEN=1 (never edit them by hand).
TEST(ArchParams, GeneratedFilesMatchTheDeclarations) {
  const auto json_path = source_dir() / "rtl/params.json";
  const std::string json = params_json().dump(2) + "\n";
  const auto doc = source_dir() / "docs/params.md";
  std::string text = read(doc);
  const std::string begin = "<!-- BEGIN GENERATED PARAMETER TABLES -->\n";
  const std::string end = "<!-- END GENERATED PARAMETER TABLES -->";
  const size_t b = text.find(begin), e = text.find(end);
  ASSERT_NE(b, std::string::npos) << doc;
  ASSERT_NE(e, std::string::npos) << doc;
  const std::string current = text.substr(b + begin.size(), e - b - begin.size());
  const std::string generated = params_markdown();
  if (std::getenv("LOWBIT_UPDATE_GOLDEN") && (current != generated || read(json_path) != json)) {
    text.replace(b + begin.size(), e - b - begin.size(), generated);
    std::ofstream(doc) << text;
    std::ofstream(json_path) << json;
    GTEST_SKIP() << "regenerated " << doc << " and " << json_path;
  }
  EXPECT_EQ(current, generated) << "run with LOWBIT_UPDATE_GOLDEN=1 to regenerate docs/params.md";
  EXPECT_EQ(read(json_path), json) << "run with LOWBIT_UPDATE_GOLDEN=1 to regenerate " << json_path;
}

}  // namespace
}  // namespace lowbit

namespace lowbit {
namespace {

TEST(VectorTiming, LanesLatenciesAndTheKvStreamOverlappingAttention) {
  VectorParams p;
  p.lanes = 10;
  BlockWork w;
  w.elements[static_cast<int>(VectorOp::kRmsNorm)] = 95;  // 10 cycles
  w.invocations[static_cast<int>(VectorOp::kRmsNorm)] = 2;
  w.elements[static_cast<int>(VectorOp::kScores)] = 1000;  // 100 cycles
  w.invocations[static_cast<int>(VectorOp::kScores)] = 1;
  w.kv_read_bytes = 3000;
  w.kv_write_bytes = 200;
  const VectorTiming t = vector_timing(p, w, 16.0);  // KV: 200 cycles
  EXPECT_EQ(t.op_cycles[static_cast<int>(VectorOp::kRmsNorm)], 10 + 2 * p.latency_rmsnorm);
  EXPECT_EQ(t.op_cycles[static_cast<int>(VectorOp::kScores)], 100 + p.latency_scores);
  EXPECT_EQ(t.kv_cycles, 200);
  EXPECT_EQ(t.attention_cycles, 200);  // the stream binds
  EXPECT_EQ(t.total_cycles, 200 + 10 + 2 * p.latency_rmsnorm);
  const VectorTiming fast = vector_timing(p, w, 1000.0);  // compute binds
  EXPECT_EQ(fast.attention_cycles, 100 + p.latency_scores);
}

}  // namespace
}  // namespace lowbit
