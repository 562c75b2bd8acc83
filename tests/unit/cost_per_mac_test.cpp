// Per-MAC core cost (model/cost/per_mac_cost.h): a hand-made characterization gives the
// hand-computed area per MAC/cycle and energy per MAC, by switching activity where the entry has
// runs and by the global estimate otherwise; bad entries are one line naming file and key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "model/cost/characterization.h"
#include "model/cost/per_mac_cost.h"

namespace lowbit {
namespace {

using OJson = nlohmann::ordered_json;

OJson lut_entry() {
  return OJson::parse(R"({
    "top": "lutcore_tile", "params": {"M": 2, "N": 8, "K": 4, "G": 4, "Fp16": 1, "DqLanes": 4},
    "power_period_ns": 10.0,
    "breakdown": {"precompute": {"area_um2": 100.0}, "table_registers": {"area_um2": 60.0},
                  "array": {"area_um2": 200.0}, "dequant": {"area_um2": 40.0}},
    "power_at_ref_activity": {"activity": 0.1, "by_component": {
      "precompute": {"dynamic_w": 0.002, "leakage_w": 0.0001},
      "table_registers": {"dynamic_w": 0.001, "leakage_w": 0.0001},
      "array": {"dynamic_w": 0.004, "leakage_w": 0.0002},
      "dequant": {"dynamic_w": 0.5, "leakage_w": 0.5}}},
    "measured_activity": {"2": {"activations": 0.2, "index": 0.5},
                          "4": {"activations": 0.1, "index": 0.4}},
    "energy_method": "global_activity"
  })");
}

OJson mac_entry() {
  return OJson::parse(R"({
    "top": "mac_array", "params": {"Rows": 4, "Cols": 4, "Fp16": 1},
    "power_period_ns": 10.0,
    "breakdown": {"pe_array": {"area_um2": 160.0}, "weight_dequant": {"area_um2": 32.0},
                  "dequant": {"area_um2": 50.0}},
    "power_at_ref_activity": {"activity": 0.1, "by_component": {
      "pe_array": {"dynamic_w": 0.004, "leakage_w": 0.0002},
      "weight_dequant": {"dynamic_w": 0.002, "leakage_w": 0.0001},
      "dequant": {"dynamic_w": 0.9, "leakage_w": 0.9}}},
    "measured_activity": {"4": 0.25},
    "energy_method": "switching_activity",
    "activity": {"per_bits": {"4": {
      "counts": {"cycles": 100, "steps": 80},
      "pj_per_cycle_by_component": {"pe_array": {"comb": 10.0, "clock": 6.0},
                                    "weight_dequant": {"comb": 4.0},
                                    "dequant": {"comb": 100.0}}}}}
  })");
}

const OJson kComponentActivity = OJson::parse(
    R"({"array": "index", "precompute": "activations", "table_registers": "activations"})");

TEST(CostPerMac, GlobalActivityByComponentClass) {
  const OJson e = lut_entry();
  const CoreCost core(e, kComponentActivity, "f.json: units.lut");
  EXPECT_EQ(core.unit().name(), "lutcore");
  EXPECT_EQ(core.components(),
            (std::vector<std::string>{"precompute", "table_registers", "array"}));
  EXPECT_DOUBLE_EQ(core.area_um2(), 360.0);
  EXPECT_DOUBLE_EQ(core.macs_per_cycle(2), 32.0);  // M N K / b: the tile walks b planes
  const PerMacCost w2 = core.per_mac(2, ActivityData::kInt8);
  EXPECT_DOUBLE_EQ(w2.area_um2, 360.0 / 32);
  // dyn = 0.002 * 0.2/0.1 + 0.001 * 0.2/0.1 + 0.004 * 0.5/0.1 = 0.026 W, leak 0.0004 W, 10 ns:
  // 264 pJ per cycle over 32 MACs (dequant is outside the core).
  EXPECT_NEAR(w2.energy_pj, 264.0 / 32, 1e-12);
  EXPECT_FALSE(w2.nearest_bits.has_value());
  EXPECT_EQ(w2.energy_method, "global_activity");
  // W3 is not measured: the nearer-and-smaller width 2 gives the activity, 64/3 MACs per cycle.
  const PerMacCost w3 = core.per_mac(3, ActivityData::kInt8);
  ASSERT_TRUE(w3.nearest_bits.has_value());
  EXPECT_EQ(*w3.nearest_bits, 2);
  EXPECT_NEAR(w3.area_um2, 360.0 * 3 / 64, 1e-12);
  EXPECT_NEAR(w3.energy_pj, 264.0 * 3 / 64, 1e-12);
}

TEST(CostPerMac, SwitchingActivityRunsElseGlobal) {
  const OJson e = mac_entry();
  const CoreCost core(e, OJson(), "f.json: units.mac");
  EXPECT_EQ(core.components(), (std::vector<std::string>{"pe_array", "weight_dequant"}));
  EXPECT_DOUBLE_EQ(core.macs_per_cycle(4), 16.0);
  // (16 + 4) pJ/cycle x 100 cycles over 16 x 80 MACs, + 0.0003 W x 10 ns = 3 pJ per 16 MACs.
  const PerMacCost i8 = core.per_mac(4, ActivityData::kInt8);
  EXPECT_EQ(i8.energy_method, "switching_activity");
  EXPECT_NEAR(i8.energy_pj, 2000.0 / 1280 + 3.0 / 16, 1e-12);
  EXPECT_DOUBLE_EQ(i8.area_um2, 192.0 / 16);
  // W2 has no run: the W4 run, unscaled (a PE array's MACs do not depend on the width).
  const PerMacCost w2 = core.per_mac(2, ActivityData::kInt8);
  ASSERT_TRUE(w2.nearest_bits.has_value());
  EXPECT_EQ(*w2.nearest_bits, 4);
  EXPECT_NEAR(w2.energy_pj, i8.energy_pj, 1e-12);
  // No FP16 runs: the global estimate, (0.004 + 0.002) x 0.25/0.1 + 0.0003 W x 10 ns / 16.
  const PerMacCost f16 = core.per_mac(4, ActivityData::kFp16);
  EXPECT_EQ(f16.energy_method, "global_activity");
  EXPECT_NEAR(f16.energy_pj, 153.0 / 16, 1e-12);
}

// bitmod sends each K step as two slice beats (beat_cycles 2): a beat of R x C products takes two
// cycles, and the run's steps count beats, so both the MACs per cycle and the run's MACs halve.
// Its core includes the column type decoders (weight_dequant) beside the PEs and row converters.
TEST(CostPerMac, TwoCycleBeatsHalveTheMacs) {
  OJson e = mac_entry();
  e["top"] = "bitmod_array";
  e["params"] = OJson::parse(R"({"Rows": 4, "Cols": 4, "Fp16": 1, "DqStages": 6})");
  e["breakdown"]["row_converters"] = OJson::parse(R"({"area_um2": 8.0})");
  e["power_at_ref_activity"]["by_component"]["row_converters"] =
      OJson::parse(R"({"dynamic_w": 0.0, "leakage_w": 0.0})");
  const CoreCost core(e, OJson(), "f.json: units.bitmod");
  EXPECT_EQ(core.components(),
            (std::vector<std::string>{"pe_array", "row_converters", "weight_dequant"}));
  EXPECT_DOUBLE_EQ(core.macs_per_cycle(4), 8.0);
  // (16 + 4) pJ/cycle x 100 cycles over 16 x 80 / 2 MACs, + 0.0003 W x 10 ns = 3 pJ per 8 MACs.
  const PerMacCost i8 = core.per_mac(4, ActivityData::kInt8);
  EXPECT_NEAR(i8.energy_pj, 2000.0 / 640 + 3.0 / 8, 1e-12);
  EXPECT_DOUBLE_EQ(i8.area_um2, 200.0 / 8);
}

TEST(CostPerMac, BadEntriesNameFileAndKey) {
  OJson e = mac_entry();
  e["top"] = "foo_array";
  try {
    CoreCost c(e, OJson(), "f.json: units.x");
    FAIL() << "accepted an unregistered top";
  } catch (const CostInputError& err) {
    const std::string m = err.what();
    EXPECT_NE(m.find("f.json: units.x.top"), std::string::npos) << m;
    EXPECT_NE(m.find("allowed: lutcore_tile"), std::string::npos) << m;
  }
  OJson g = lut_entry();
  g.erase("measured_activity");
  const CoreCost core(g, kComponentActivity, "f.json: units.lut");
  try {
    (void)core.per_mac(2, ActivityData::kInt8);
    FAIL() << "no activity, yet an energy";
  } catch (const CostInputError& err) {
    EXPECT_NE(std::string(err.what()).find("f.json: units.lut.measured_activity: missing"),
              std::string::npos)
        << err.what();
  }
  const CoreCost no_map(lut_entry(), OJson(), "f.json: units.lut");
  EXPECT_THROW((void)no_map.per_mac(2, ActivityData::kInt8), CostInputError);
}

TEST(CostPerMac, DocumentListsUnitsAndScaledStandIns) {
  OJson doc;
  doc["schema"] = "lowbit.characterization";
  doc["schema_version"] = 1;
  doc["node"] = "nangate45";
  doc["lutcore_component_activity"] = kComponentActivity;
  doc["units"]["lb_fp32_add"] = {{"top", "lb_fp32_add"}};  // an operator, no core: left out
  OJson mac = mac_entry();
  OJson scaled = mac_entry();
  scaled["params"] = {{"Rows", 8}, {"Cols", 8}, {"Fp16", 1}};
  scaled["config"] = "mac_8x8";
  mac["scaled"] = scaled;
  doc["units"]["mac_rep"] = mac;
  doc["units"]["lut"] = lut_entry();
  const auto path = std::filesystem::temp_directory_path() /
                    ("lowbit_per_mac_test_" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << doc.dump();
  const OJson out = per_mac_document(path, {2, 4});
  std::filesystem::remove(path);
  EXPECT_EQ(out["schema"], "lowbit.per_mac");
  ASSERT_EQ(out["units"].size(), 2u);
  EXPECT_FALSE(out["units"].contains("lb_fp32_add"));
  EXPECT_EQ(out["units"]["lut"]["unit"], "lutcore");
  EXPECT_NEAR(out["units"]["lut"]["per_mac"]["int8"]["2"]["energy_pj_per_mac"].get<double>(),
              264.0 / 32, 1e-12);
  EXPECT_TRUE(out["units"]["lut"]["per_mac"]["int8"]["2"]["nearest_bits"].is_null());
  const OJson& s = out["units"]["mac_rep"]["scaled"];
  EXPECT_EQ(s["config"], "mac_8x8");
  EXPECT_DOUBLE_EQ(s["per_mac"]["int8"]["4"]["macs_per_cycle"].get<double>(), 64.0);
  EXPECT_DOUBLE_EQ(s["per_mac"]["int8"]["2"]["area_um2_per_mac_cycle"].get<double>(), 3.0);
}

}  // namespace
}  // namespace lowbit
