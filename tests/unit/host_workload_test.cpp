// Workload parsing: presets load, bad input is one InputError line naming file and key.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "lowbit/error.h"
#include "lowbit/workload.h"

namespace lowbit {
namespace {

using nlohmann::json;

std::filesystem::path source_dir() {
  const char* dir = std::getenv("LOWBIT_SOURCE_DIR");
  return dir ? dir : LOWBIT_SOURCE_DIR_FALLBACK;
}

json minimal() {
  return json::parse(R"({"name": "t", "layers": [{"name": "a", "n": 8, "k": 16}]})");
}

std::string error_of(const json& doc) {
  try {
    workload_from_json(doc, "w.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(WorkloadParse, EveryPresetLoadsWithRealShapes) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "workloads")) {
    if (entry.path().extension() != ".json") continue;
    const Workload w = load_workload(entry.path());
    EXPECT_FALSE(w.layers.empty()) << entry.path();
    EXPECT_FALSE(w.not_modelled.empty()) << entry.path() << " must state what is not modelled";
    ++count;
  }
  EXPECT_GE(count, 3);
  const Workload l2 = load_workload(source_dir() / "workloads/llama2_7b_decode_w2a8.json");
  ASSERT_EQ(l2.layers.size(), 7u);
  EXPECT_EQ(l2.layers[4].name, "gate_proj");
  EXPECT_EQ(l2.layers[4].n, 11008);
  EXPECT_EQ(l2.layers[4].k, 4096);
  EXPECT_EQ(l2.layers[6].n, 4096);
  EXPECT_EQ(l2.layers[6].k, 11008);
  EXPECT_EQ(l2.layers[0].repeat, 32);
  const Workload l3 = load_workload(source_dir() / "workloads/llama3_8b_decode_w4a8.json");
  EXPECT_EQ(l3.layers[1].n, 1024);  // 8 KV heads x 128
}

TEST(WorkloadParse, DefaultsApplyAndLayersOverride) {
  json doc = minimal();
  doc["defaults"] = {{"weight_format", "int3"}, {"group_size", 64}, {"seed", 10}};
  doc["layers"].push_back({{"name", "b"}, {"n", 4}, {"k", 4}, {"weight_format", "binary"}});
  const Workload w = workload_from_json(doc, "w.json");
  EXPECT_EQ(w.layers[0].weight_format, "int3");
  EXPECT_EQ(w.layers[0].group_size, 64);
  EXPECT_EQ(w.layers[0].seed, 10u);
  EXPECT_EQ(w.layers[1].weight_format, "binary");
  EXPECT_EQ(w.layers[1].seed, 11u);  // distinct data per layer
}

TEST(WorkloadParse, UnknownKeyNamesFileKeyAndAllowed) {
  json doc = minimal();
  doc["layers"][0]["bits"] = 4;
  const std::string e = error_of(doc);
  EXPECT_NE(e.find("w.json: layers[0].bits: unknown key; allowed: name"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos);
}

TEST(WorkloadParse, OutOfRangeAndBadChoicesAreErrors) {
  json doc = minimal();
  doc["layers"][0]["k"] = 0;
  EXPECT_NE(error_of(doc).find("layers[0].k: 0 is out of range"), std::string::npos);
  doc = minimal();
  doc["layers"][0]["group_size"] = 48;
  EXPECT_NE(error_of(doc).find("allowed: 32, 64, 128"), std::string::npos);
  doc = minimal();
  doc["layers"][0]["weight_format"] = "int9";
  EXPECT_NE(error_of(doc).find("\"int9\" is not allowed; allowed: binary"), std::string::npos);
  doc = minimal();
  doc["layers"][0].erase("n");
  EXPECT_NE(error_of(doc).find("layers[0].n: is required"), std::string::npos);
  doc = minimal();
  doc["layers"] = json::array();
  EXPECT_NE(error_of(doc).find("layers: is required"), std::string::npos);
}

TEST(WorkloadParse, MalformedFileIsInputError) {
  const auto path = std::filesystem::temp_directory_path() / "lowbit_bad_workload.json";
  {
    std::ofstream(path) << "{\"name\": \"x\", \"layers\": [";
  }
  EXPECT_THROW(load_workload(path), InputError);
  std::filesystem::remove(path);
  EXPECT_THROW(load_workload("/nonexistent/w.json"), InputError);
}

}  // namespace
}  // namespace lowbit
