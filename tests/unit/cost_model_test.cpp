// Cost model: a hand-made characterization and stats tree give the hand-computed energy and area;
// missing units or events are reported, never 0; schema errors are one line naming file and key.
#include "model/cost/cost_model.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "model/cost/characterization.h"

namespace lowbit {
namespace {

using Json = nlohmann::json;

Json leaf(double v) { return {{"value", v}, {"unit", "events"}, {"description", "test"}}; }

Json characterization_doc() {
  return Json::parse(R"({
    "schema": "lowbit.characterization", "schema_version": 1, "node": "nangate45",
    "event_counters": {
      "plane_b<b>": "stats.core.tile<i>.array.planes",
      "table_b<b>": "stats.core.tile<i>.precompute.tables",
      "dequant_lane": "stats.core.tile<i>.dequant.dequants",
      "step_b<b>": "stats.core.array<i>.accumulate.steps",
      "dequant": "stats.core.array<i>.drain.dequants",
      "output_beat": "stats.core.array<i>.output.beats"
    },
    "units": {
      "lut_small": {
        "top": "lutcore_tile", "params": {"M": 2, "N": 8, "K": 4, "G": 4, "Fp16": 0, "DqLanes": 4},
        "config": "lut_small", "area_um2": 300.0, "fmax_mhz": 500.0, "leakage_w": 0.001,
        "power_period_ns": 10.0,
        "breakdown": {"precompute": {"area_um2": 100.0}, "array": {"area_um2": 200.0}},
        "energy_pj": {
          "default_activity": {"plane_b2": 1.0, "table_b2": 0.25, "dequant_lane": 2.0},
          "measured_activity": {"plane_b2": 3.0, "table_b2": 0.5}
        }
      },
      "mixpe_rep": {
        "top": "mixpe_array", "params": {"Rows": 8, "Cols": 8, "Fp16": 0}, "config": null,
        "area_um2": 16.0, "leakage_w": 0.0016, "power_period_ns": 10.0,
        "breakdown": {"pe_array": {"area_um2": 10.0}, "dequant": {"area_um2": 5.0},
                      "control": {"area_um2": 1.0}},
        "power_at_ref_activity": {"activity": 0.1, "by_component": {
          "pe_array": {"dynamic_w": 0.003, "leakage_w": 0.001},
          "dequant": {"dynamic_w": 0.001, "leakage_w": 0.0005},
          "control": {"dynamic_w": 0.001, "leakage_w": 0.0001}}},
        "energy_pj": {"default_activity": {"step_b4": 40.0, "dequant": 10.0, "output_beat": 5.0}},
        "scaled": {"config": "mixpe_16x16", "method": "scaled", "rule": "test rule",
                   "area_um2": 52.0,
                   "breakdown_area_um2": {"pe_array": 40.0, "dequant": 10.0, "control": 1.0},
                   "factors": {"pe_array": 4.0, "dequant": 2.0, "control": 1.0}}
      }
    }
  })");
}

Json buffer(double kib) { return {{"kib", kib}, {"width_bytes", 8}, {"banks", 1}}; }

Json top() {
  return {{"tiles", 2},
          {"clock_mhz", 1000.0},
          {"buffers",
           {{"act", buffer(8)}, {"weight", buffer(8)}, {"scale", buffer(8)}, {"out", buffer(8)}}}};
}

Json buffer_stats(double rd, double wr) {
  return {{"read_bytes", leaf(rd)}, {"write_bytes", leaf(wr)}};
}

Json common_stats() {
  return {{"dram", {{"bytes_read", leaf(100)}, {"bytes_written", leaf(28)}}},
          {"buffers",
           {{"act", buffer_stats(80, 16)},
            {"weight", buffer_stats(64, 64)},
            {"scale", buffer_stats(0, 0)},
            {"out", buffer_stats(8, 8)}}}};
}

Json lut_tile() {
  return {{"io", {{"beats_in", leaf(10)}}},
          {"array", {{"planes", leaf(20)}}},
          {"precompute", {{"tables", leaf(40)}}},
          {"dequant", {{"dequants", leaf(8)}}}};
}

Json lut_stats_doc(int n = 8) {
  Json stats = common_stats();
  stats["core"] = {{"macs", leaf(1)}, {"tile0", lut_tile()}, {"tile1", lut_tile()}};
  return {{"workload", "test"},
          {"config",
           {{"name", "lut_small"},
            {"core", "lutcore"},
            {"lutcore",
             {{"m", 2}, {"n", n}, {"k", 4}, {"g", 4}, {"fp16", false}, {"dequant_lanes", 4}}},
            {"top", top()}}},
          {"metrics", {{"seconds", 1e-6}, {"ops", 1000.0}}},
          {"tiling", Json::array({{{"layer", "l0"}, {"act_datapath", "int8"}}})},
          {"stats", stats}};
}

// 8 KiB, 64 bits, one bank: Horowitz's 10 pJ anchor; area = bit cells / 0.7 + 2000 um^2.
constexpr double kBufferAccessPj = 10.0;
constexpr double kBufferAreaUm2 = 8192.0 * 8 * 0.346 / 0.70 + 2000.0;
constexpr double kDramPjPerByte = 8.0 * 1300.0 / 64.0;

const CostTerm* term(const std::vector<CostTerm>& ts, const std::string& name) {
  for (const CostTerm& t : ts) {
    if (t.component == name) return &t;
  }
  return nullptr;
}

TEST(CostModel, HandComputedEnergyAndAreaOfALutcoreRun) {
  const Characterization ch = parse_characterization(characterization_doc(), "hand.json");
  const CostBreakdown c = evaluate_cost(lut_stats_doc(), "stats.json", ch);
  EXPECT_EQ(c.unit_entry, "lut_small");
  ASSERT_TRUE(c.weight_bits.has_value());
  EXPECT_EQ(*c.weight_bits, 2);  // 40 planes / 20 beats
  // plane_b2 measured 3 pJ x 40 planes; table_b2 measured 0.5 x 80; dequant_lane has no measured
  // value: default 2 pJ x 16; leakage 1 mW x 2 tiles x 1 us.
  EXPECT_DOUBLE_EQ(*term(c.energy, "tile.array+registers")->value, 120.0);
  EXPECT_DOUBLE_EQ(*term(c.energy, "tile.precompute")->value, 40.0);
  EXPECT_DOUBLE_EQ(*term(c.energy, "tile.dequant")->value, 32.0);
  EXPECT_NEAR(*term(c.energy, "tile.leakage")->value, 2000.0, 1e-9);
  EXPECT_NEAR(*term(c.energy, "buffers.act")->value, 12 * kBufferAccessPj, 1e-9);
  EXPECT_NEAR(*term(c.energy, "buffers.weight")->value, 16 * kBufferAccessPj, 1e-9);
  EXPECT_NEAR(*term(c.energy, "buffers.scale")->value, 0.0, 1e-12);  // a real 0: no accesses
  EXPECT_NEAR(*term(c.energy, "buffers.out")->value, 2 * kBufferAccessPj, 1e-9);
  EXPECT_NEAR(*term(c.energy, "dram")->value, 128 * kDramPjPerByte, 1e-9);
  ASSERT_TRUE(c.energy_pj.has_value());
  EXPECT_NEAR(*c.energy_pj, 120 + 40 + 32 + 2000 + 300 + 128 * kDramPjPerByte, 1e-6);
  ASSERT_TRUE(c.area_um2.has_value());
  EXPECT_DOUBLE_EQ(*term(c.area, "tile.precompute")->value, 200.0);
  EXPECT_DOUBLE_EQ(*term(c.area, "tile.array")->value, 400.0);
  EXPECT_NEAR(*c.area_um2, 600.0 + 4 * kBufferAreaUm2, 1e-6);
  EXPECT_TRUE(c.not_characterized.empty());
  EXPECT_FALSE(c.inside_boundary.empty());
  EXPECT_FALSE(c.outside_boundary.empty());
  // 1000 MHz in the config, fmax 500 MHz in the entry: said, not hidden.
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_NE(c.notes[0].find("fmax"), std::string::npos);
}

TEST(CostModel, TableSymmetrizationSelectsItsOwnUnit) {
  // lutcore.symmetric = false is another design (RTL Sym = 0): never costed as the symmetric tile.
  Json doc = lut_stats_doc();
  doc["config"]["lutcore"]["symmetric"] = false;
  const Characterization ch = parse_characterization(characterization_doc(), "hand.json");
  const CostBreakdown off = evaluate_cost(doc, "stats.json", ch);
  EXPECT_TRUE(off.unit_entry.empty());
  EXPECT_NE(off.method.find("\"Sym\":0"), std::string::npos) << off.method;
  // A unit synthesized with Sym = 0 matches it, and no longer matches the symmetric config.
  Json chdoc = characterization_doc();
  chdoc["units"]["lut_small"]["params"]["Sym"] = 0;
  const Characterization ch_off = parse_characterization(chdoc, "hand.json");
  EXPECT_EQ(evaluate_cost(doc, "stats.json", ch_off).unit_entry, "lut_small");
  doc["config"]["lutcore"]["symmetric"] = true;
  EXPECT_EQ(evaluate_cost(doc, "stats.json", ch).unit_entry, "lut_small");
  EXPECT_TRUE(evaluate_cost(doc, "stats.json", ch_off).unit_entry.empty());
}

TEST(CostModel, DefaultActivityOptionUsesTheDefaultEnergies) {
  const Characterization ch = parse_characterization(characterization_doc(), "hand.json");
  CostOptions o;
  o.activity = "default";
  const CostBreakdown c = evaluate_cost(lut_stats_doc(), "stats.json", ch, o);
  EXPECT_DOUBLE_EQ(*term(c.energy, "tile.array+registers")->value, 40.0);
  EXPECT_DOUBLE_EQ(*term(c.energy, "tile.precompute")->value, 20.0);
}

// Layers on the FP16 datapath are priced with the energies simulated on FP16 activations where
// the entry has them; otherwise with the INT8-data ones, and a note says so (issue 15).
TEST(CostModel, Fp16LayersUseTheFp16DataEnergies) {
  Json chdoc = characterization_doc();
  chdoc["units"]["lut_small"]["energy_pj"]["measured_activity_fp16"] = {{"plane_b2", 5.0},
                                                                        {"table_b2", 0.75}};
  const Characterization ch = parse_characterization(chdoc, "hand.json");
  Json doc = lut_stats_doc();
  const CostBreakdown i8 = evaluate_cost(doc, "stats.json", ch);
  EXPECT_DOUBLE_EQ(*term(i8.energy, "tile.array+registers")->value, 120.0);  // 3 pJ x 40
  doc["tiling"][0]["act_datapath"] = "fp16";
  const CostBreakdown f16 = evaluate_cost(doc, "stats.json", ch);
  EXPECT_DOUBLE_EQ(*term(f16.energy, "tile.array+registers")->value, 200.0);  // 5 pJ x 40
  EXPECT_DOUBLE_EQ(*term(f16.energy, "tile.precompute")->value, 60.0);        // 0.75 x 80
  EXPECT_NE(term(f16.energy, "tile.precompute")->source.find("FP16 data"), std::string::npos);
  EXPECT_NE(f16.activity.find("FP16"), std::string::npos) << f16.activity;
  ASSERT_EQ(f16.notes.size(), 1u);  // the fmax note only

  // No FP16-data run in the entry: INT8-data energies, said in a note.
  const CostBreakdown none =
      evaluate_cost(doc, "stats.json", parse_characterization(characterization_doc(), "hand.json"));
  EXPECT_DOUBLE_EQ(*term(none.energy, "tile.array+registers")->value, 120.0);
  ASSERT_EQ(none.notes.size(), 2u);
  EXPECT_NE(none.notes[0].find("no energies simulated on FP16"), std::string::npos);

  // Layers on both datapaths, or a record older than the key: INT8 data, with the reason.
  doc["tiling"].push_back({{"layer", "l1"}, {"act_datapath", "int8"}});
  const CostBreakdown mixed = evaluate_cost(doc, "stats.json", ch);
  EXPECT_DOUBLE_EQ(*term(mixed.energy, "tile.array+registers")->value, 120.0);
  ASSERT_EQ(mixed.notes.size(), 2u);
  EXPECT_NE(mixed.notes[0].find("both the INT8 and the FP16"), std::string::npos);
  doc["tiling"] = Json::array({{{"layer", "l0"}}});
  EXPECT_NE(evaluate_cost(doc, "stats.json", ch).notes[0].find("older than the key"),
            std::string::npos);

  // A datapath the kit does not have is a one-line error naming the key.
  doc["tiling"][0]["act_datapath"] = "bf16";
  try {
    evaluate_cost(doc, "stats.json", ch);
    FAIL() << "expected CostInputError";
  } catch (const CostInputError& e) {
    EXPECT_NE(std::string(e.what()).find("stats.json: tiling[].act_datapath"), std::string::npos)
        << e.what();
  }
}

TEST(CostModel, AnUncharacterizedUnitIsReportedNotZero) {
  const Characterization ch = parse_characterization(characterization_doc(), "hand.json");
  const CostBreakdown c = evaluate_cost(lut_stats_doc(16), "stats.json", ch);
  EXPECT_TRUE(c.unit_entry.empty());
  EXPECT_NE(c.method.find("not characterized"), std::string::npos);
  EXPECT_FALSE(c.energy_pj.has_value());
  EXPECT_FALSE(c.area_um2.has_value());
  const CostTerm* t = term(c.energy, "tile.array+registers");
  ASSERT_NE(t, nullptr);
  EXPECT_FALSE(t->value.has_value());
  EXPECT_FALSE(t->missing.empty());
  EXPECT_FALSE(term(c.area, "tile")->value.has_value());
  EXPECT_FALSE(c.not_characterized.empty());
  // The characterized parts are still there, and the JSON says "not characterized" with null.
  EXPECT_TRUE(term(c.energy, "buffers.weight")->value.has_value());
  const auto j = cost_to_json(c);
  EXPECT_TRUE(j["energy_pj"].is_null());
  EXPECT_EQ(j["energy_terms_pj"][0]["status"], "not characterized");
  EXPECT_TRUE(j["energy_terms_pj"][0]["value"].is_null());
}

TEST(CostModel, AMissingEventEnergyIsReported) {
  const Characterization ch = parse_characterization(characterization_doc(), "hand.json");
  CostOptions o;
  o.weight_bits = 3;  // no plane_b3 / table_b3 in the entry
  const CostBreakdown c = evaluate_cost(lut_stats_doc(), "stats.json", ch, o);
  EXPECT_FALSE(term(c.energy, "tile.array+registers")->value.has_value());
  EXPECT_NE(term(c.energy, "tile.array+registers")->missing.find("plane_b3"), std::string::npos);
  EXPECT_FALSE(c.energy_pj.has_value());
  EXPECT_TRUE(c.area_um2.has_value());  // area does not depend on the bits
  EXPECT_FALSE(c.notes.empty());        // 3 given, the stats say 2
}

// One mixpe_16x16 tile (the scaled entry's config) after 10 INT4 steps, 4 dequants, 2 beats.
Json mixpe_16x16_stats_doc() {
  Json array = {{"accumulate", {{"steps", leaf(10)}, {"weight_bits", leaf(10 * 4)}}},
                {"drain", {{"dequants", leaf(4)}}},
                {"output", {{"beats", leaf(2)}}}};
  Json stats = common_stats();
  stats["core"] = {{"array0", array}};
  Json t = top();
  t["tiles"] = 1;
  return {{"config",
           {{"name", "mixpe_16x16"},
            {"core", "mixpe"},
            {"mixpe", {{"rows", 16}, {"cols", 16}, {"fp16", false}}},
            {"top", t}}},
          {"metrics", {{"seconds", 1e-6}}},
          {"stats", stats}};
}

// lut_stats_doc's run under an 8 x 8 mac config (the tests set the array's counters).
Json mac_8x8_stats_doc() {
  Json doc = lut_stats_doc();
  doc["config"] = {{"name", "m"},
                   {"core", "mac"},
                   {"mac", {{"rows", 8}, {"cols", 8}, {"fp16", false}}},
                   {"top", top()}};
  return doc;
}

TEST(CostModel, ScaledEntryUsesItsDocumentedScaling) {
  const Characterization ch = parse_characterization(characterization_doc(), "hand.json");
  const CostBreakdown c = evaluate_cost(mixpe_16x16_stats_doc(), "stats.json", ch);
  EXPECT_EQ(c.unit_entry, "mixpe_rep");
  EXPECT_EQ(*c.weight_bits, 4);
  // Step: everything but dequant/output_scale, power-weighted factors (3 mW x 4 + 1 mW x 1) / 4 mW.
  EXPECT_NEAR(*term(c.energy, "array.step")->value, 40.0 * 3.25 * 10, 1e-9);
  EXPECT_NEAR(*term(c.energy, "array.dequant")->value, 40.0, 1e-9);  // unchanged per event
  EXPECT_NEAR(*term(c.energy, "array.output_scale")->value, 10.0, 1e-9);
  // Leakage by component: 1 mW x 4 + 0.5 mW x 2 + 0.1 mW x 1 = 5.1 mW for 1 us.
  EXPECT_NEAR(*term(c.energy, "array.leakage")->value, 5100.0, 1e-6);
  EXPECT_DOUBLE_EQ(*term(c.area, "array.pe_array")->value, 40.0);
  EXPECT_NEAR(*c.area_um2, 51.0 + 4 * kBufferAreaUm2, 1e-6);
}

TEST(CostModel, ScaledSwitchingActivityEntryWeightsComponentsBySimulatedEnergy) {
  // A switching-activity entry: its events came from simulated energy per cycle per component,
  // so the scaling weights are those (1 pJ pe_array, 3 pJ control), not the reference power.
  Json d = characterization_doc();
  d["units"]["mixpe_rep"]["dynamic_pj_per_cycle_by_component"] = {
      {"pe_array", 1.0}, {"dequant", 2.0}, {"control", 3.0}};
  const Characterization ch = parse_characterization(d, "hand.json");
  const CostBreakdown c = evaluate_cost(mixpe_16x16_stats_doc(), "stats.json", ch);
  // Step: (1 pJ x 4 + 3 pJ x 1) / 4 pJ = 1.75 (the reference power would give 3.25).
  EXPECT_NEAR(*term(c.energy, "array.step")->value, 40.0 * 1.75 * 10, 1e-9);
}

TEST(CostModel, MacWithoutWeightBitsReportsWhy) {
  Json doc = mac_8x8_stats_doc();
  doc["stats"]["core"] = {{"array0", {{"accumulate", {{"steps", leaf(5)}}}}}};
  const Characterization ch = parse_characterization(characterization_doc(), "hand.json");
  const CostBreakdown c = evaluate_cost(doc, "stats.json", ch);
  EXPECT_NE(term(c.energy, "array.step")->missing.find("weight bit width"), std::string::npos);
  EXPECT_FALSE(c.energy_pj.has_value());
}

TEST(CostModel, MacWeightBitsComeFromTheStepCounter) {
  Json doc = mac_8x8_stats_doc();
  doc["stats"]["core"] = {
      {"array0", {{"accumulate", {{"steps", leaf(5)}, {"weight_bits", leaf(20)}}}}}};
  const Characterization ch = parse_characterization(characterization_doc(), "hand.json");
  const CostBreakdown c = evaluate_cost(doc, "stats.json", ch);
  ASSERT_TRUE(c.weight_bits.has_value());
  EXPECT_EQ(*c.weight_bits, 4);  // 20 / 5
  // Mixed widths (5 steps, 17 bits) give no width, and say so.
  doc["stats"]["core"]["array0"]["accumulate"]["weight_bits"] = leaf(17);
  const CostBreakdown mixed = evaluate_cost(doc, "stats.json", ch);
  EXPECT_FALSE(mixed.weight_bits.has_value());
  EXPECT_NE(mixed.weight_bits_source.find("mixed"), std::string::npos);
}

TEST(CostModel, ProjectionIsLabelledAndScalesOnChipTerms) {
  const Characterization ch = parse_characterization(characterization_doc(), "hand.json");
  CostOptions o;
  o.project_to_nm = 22.5;  // half of 45 nm: area x 1/4, energy x 1/2
  const CostBreakdown c = evaluate_cost(lut_stats_doc(), "stats.json", ch, o);
  ASSERT_TRUE(c.projection.has_value());
  EXPECT_NE(c.projection->method.find("PROJECTION"), std::string::npos);
  EXPECT_NEAR(*c.projection->area_um2, *c.area_um2 / 4, 1e-6);
  EXPECT_NEAR(*c.projection->energy_pj, (120 + 40 + 32 + 300) / 2.0 + 2000 + 128 * kDramPjPerByte,
              1e-6);
  EXPECT_EQ(cost_to_json(c)["projection"]["label"], "projection");
}

void expect_error(const Json& doc, const std::string& key) {
  try {
    parse_characterization(doc, "bad.json");
    ADD_FAILURE() << "no error for " << key;
  } catch (const CostInputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind("bad.json: ", 0), 0u) << what;
    EXPECT_NE(what.find(key), std::string::npos) << what;
  }
}

TEST(CostModel, SchemaErrorsNameTheFileAndTheKey) {
  Json d = characterization_doc();
  d["schema"] = "something.else";
  expect_error(d, "schema");
  d = characterization_doc();
  d["schema_version"] = 2;
  expect_error(d, "schema_version");
  d = characterization_doc();
  d["units"]["lut_small"]["area_um2"] = "big";
  expect_error(d, "units.lut_small.area_um2");
  d = characterization_doc();
  d["units"]["lut_small"]["energy_pj"]["measured_activity"]["plane_b2"] = -1.0;
  expect_error(d, "units.lut_small.energy_pj.measured_activity.plane_b2");
  d = characterization_doc();
  d["units"]["mixpe_rep"].erase("breakdown");
  expect_error(d, "units.mixpe_rep.breakdown");
  d = characterization_doc();
  d["units"]["mixpe_rep"]["scaled"]["factors"]["pe_array"] = "x";
  expect_error(d, "units.mixpe_rep.scaled.factors.pe_array");
}

// The stats counter of each event is the characterization's ("event_counters"): the entry's own
// map first, then the file's; an event neither maps is not characterized (never 0).
TEST(CostModel, EventCountersComeFromTheCharacterization) {
  Json d = characterization_doc();
  // The entry says plane_b2 counts precompute.tables (80 over both tiles), not array.planes (40).
  d["units"]["lut_small"]["event_counters"] = {{"plane_b2", "stats.core.tile<i>.precompute.tables"},
                                               {"op", nullptr}};
  Characterization ch = parse_characterization(d, "hand.json");
  CostBreakdown c = evaluate_cost(lut_stats_doc(), "stats.json", ch);
  const CostTerm* plane = term(c.energy, "tile.array+registers");
  ASSERT_TRUE(plane->count.has_value());
  EXPECT_DOUBLE_EQ(*plane->count, 80.0);
  EXPECT_DOUBLE_EQ(*plane->value, 3.0 * 80);
  EXPECT_NE(plane->source.find("stats core.tile*.precompute.tables"), std::string::npos)
      << plane->source;
  EXPECT_DOUBLE_EQ(*term(c.energy, "tile.precompute")->count, 80.0);  // the file's map
  // Without the file's entry for dequant_lane, that event has no counter: not characterized.
  d = characterization_doc();
  d["event_counters"].erase("dequant_lane");
  ch = parse_characterization(d, "hand.json");
  c = evaluate_cost(lut_stats_doc(), "stats.json", ch);
  const CostTerm* dq = term(c.energy, "tile.dequant");
  EXPECT_FALSE(dq->value.has_value());
  EXPECT_NE(dq->missing.find("no event_counters entry for 'dequant_lane'"), std::string::npos)
      << dq->missing;
  EXPECT_FALSE(c.energy_pj.has_value());
  // A counter path that is not one is a schema error naming the key.
  d = characterization_doc();
  d["event_counters"]["dequant"] = "core.array.drain";
  expect_error(d, "event_counters.dequant");
  d = characterization_doc();
  d["units"]["lut_small"]["event_counters"] = {{"plane_b2", 5}};
  expect_error(d, "units.lut_small.event_counters.plane_b2");
}

TEST(CostModel, UnreadableFilesAndBadStatsAreOneLineErrors) {
  EXPECT_THROW(load_characterization("/nonexistent/char.json"), CostInputError);
  const Characterization ch = parse_characterization(characterization_doc(), "hand.json");
  Json doc = lut_stats_doc();
  doc.erase("stats");
  EXPECT_THROW(evaluate_cost(doc, "s.json", ch), CostInputError);
  CostOptions o;
  o.dram_spec = "ddr9";
  EXPECT_THROW(evaluate_cost(lut_stats_doc(), "s.json", ch, o), CostInputError);
}

// Found by fuzz_report (seed 20261213): a stats.json with dram.bytes_read 6.7e39 reached a cast
// to uint64 (undefined behaviour). Counters the cost model uses as integers are checked first, and
// a bit-width ratio that is no width is never cast.
TEST(CostModel, CountersBeyondTheirRangeAreOneLineErrorsNotCasts) {
  const Characterization ch = parse_characterization(characterization_doc(), "hand.json");
  for (const double bad : {6.7e39, -1.0, 1e16 + 0.5, 2.5}) {
    Json doc = lut_stats_doc();
    doc["stats"]["dram"]["bytes_read"] = leaf(bad);
    try {
      evaluate_cost(doc, "s.json", ch);
      ADD_FAILURE() << "no error for bytes_read " << bad;
    } catch (const CostInputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("s.json: stats.dram.bytes_read.value: "), std::string::npos) << what;
      EXPECT_NE(what.find("allowed: a byte count, an integer in [0, 2^53]"), std::string::npos)
          << what;
    }
  }
  // A step counter of 1e30 weight bits over 1 step: no weight width, said, nothing cast.
  Json doc = mac_8x8_stats_doc();
  doc["stats"]["core"] = {
      {"array0", {{"accumulate", {{"steps", leaf(1)}, {"weight_bits", leaf(1e30)}}}}}};
  const CostBreakdown c = evaluate_cost(doc, "stats.json", ch);
  EXPECT_FALSE(c.weight_bits.has_value());
  EXPECT_NE(c.weight_bits_source.find("not a weight bit width"), std::string::npos)
      << c.weight_bits_source;
}

TEST(CostModel, CheckedInCharacterizationFilesParse) {
  for (const char* node : {"nangate45", "sky130hd"}) {
    const std::string path =
        std::string(LOWBIT_SOURCE_DIR_FALLBACK) + "/rtl/synth/characterization/" + node + ".json";
    const Characterization ch = load_characterization(path);
    EXPECT_EQ(ch.node, node);
    EXPECT_FALSE(ch.units.empty());
  }
}

// Issue 15: FP16 activations are priced from runs on FP16 data. Every switching-activity entry of
// an FP16-capable unit (params Fp16 = 1) must carry them, so a characterization regenerated with
// --no-fp16-data cannot land unnoticed.
TEST(CostModel, Fp16CapableSwitchingEntriesHaveFp16DataEnergies) {
  for (const char* node : {"nangate45", "sky130hd"}) {
    const std::string path =
        std::string(LOWBIT_SOURCE_DIR_FALLBACK) + "/rtl/synth/characterization/" + node + ".json";
    const Characterization ch = load_characterization(path);
    std::ifstream f(path);
    const Json doc = Json::parse(f);  // energy_method is not part of CharUnit
    int checked = 0;
    for (const CharUnit& u : ch.units) {
      if (!u.params.contains("Fp16") || u.params.at("Fp16") != 1) continue;
      if (u.energy_measured.empty()) continue;
      if (doc.at("units").at(u.name).value("energy_method", "") != "switching_activity") continue;
      ++checked;
      EXPECT_FALSE(u.energy_measured_fp16.empty()) << node << " units." << u.name;
      for (const auto& [event, pj] : u.energy_measured_fp16) {
        EXPECT_GT(pj, 0.0) << node << " units." << u.name << " " << event;
      }
    }
    EXPECT_GT(checked, 0) << node;
  }
}

}  // namespace
}  // namespace lowbit
