// Sweep spec parsing, expansion into points, stable content-hash ids, and config key validation.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "lowbit/error.h"
#include "lowbit/sweep_expand.h"
#include "lowbit/sweep_spec.h"

namespace lowbit {
namespace {

using json = nlohmann::json;

std::filesystem::path source_dir() {
  const char* env = std::getenv("LOWBIT_SOURCE_DIR");
  return env ? env : LOWBIT_SOURCE_DIR_FALLBACK;
}

json tiny_spec() {
  return {{"name", "t"},
          {"config", "configs/lutcore_m2n8k4.json"},
          {"parameters",
           {{"top.dram.bandwidth_gbps", {8, 32}}, {"top.tiles", {{"start", 1}, {"stop", 3}}}}},
          {"workloads", {"tests/smoke/sweep/tiny_workload.json"}},
          {"objectives", {{{"metric", "tokens_per_second"}, {"goal", "maximize"}}}}};
}

SweepSpec parse(const json& j) { return sweep_spec_from_json(j, "spec.json", source_dir()); }

TEST(SweepSpec, GridIsTheCartesianProductLastAxisFastest) {
  const auto a = parameter_assignments(parse(tiny_spec()));
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a[0]["top.dram.bandwidth_gbps"], 8);
  EXPECT_EQ(a[0]["top.tiles"], 1);
  EXPECT_EQ(a[2]["top.tiles"], 3);
  EXPECT_EQ(a[3]["top.dram.bandwidth_gbps"], 32);
  EXPECT_EQ(a[3]["top.tiles"], 1);
}

TEST(SweepSpec, FloatRangesDoNotDrift) {
  json j = tiny_spec();
  j["parameters"] = {{"top.dram.latency_ns", {{"start", 0.1}, {"stop", 0.5}, {"step", 0.1}}}};
  const auto a = parameter_assignments(parse(j));
  ASSERT_EQ(a.size(), 5u);
  EXPECT_DOUBLE_EQ(a[2]["top.dram.latency_ns"].get<double>(), 0.3);
  EXPECT_DOUBLE_EQ(a[4]["top.dram.latency_ns"].get<double>(), 0.5);
}

TEST(SweepSpec, RandomSamplingIsReproducibleAndInRange) {
  json j = tiny_spec();
  j["parameters"]["top.clock_mhz"] = {{"min", 200}, {"max", 800}};
  j["sample"] = {{"count", 50}, {"seed", 7}};
  const auto a = parameter_assignments(parse(j));
  const auto b = parameter_assignments(parse(j));
  ASSERT_EQ(a.size(), 50u);
  EXPECT_EQ(a, b);
  for (const auto& p : a) {
    EXPECT_GE(p["top.clock_mhz"].get<int>(), 200);
    EXPECT_LE(p["top.clock_mhz"].get<int>(), 800);
    EXPECT_TRUE(p["top.tiles"] == 1 || p["top.tiles"] == 2 || p["top.tiles"] == 3);
  }
  j["sample"]["seed"] = 8;
  EXPECT_NE(parameter_assignments(parse(j)), a);
}

TEST(SweepSpec, BadSpecsAreOneLineInputErrors) {
  auto expect_error = [](json j, const std::string& needle) {
    try {
      parse(j);
      ADD_FAILURE() << "no error for " << needle;
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(needle), std::string::npos) << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
  };
  json j = tiny_spec();
  j["paramters"] = json::object();
  expect_error(j, "paramters: unknown key");
  j = tiny_spec();
  j["objectives"] = {{{"metric", "x"}, {"goal", "up"}}};
  expect_error(j, "objectives[].goal");
  j = tiny_spec();
  j["parameters"]["top.tiles"] = {{"min", 1}, {"max", 4}};
  expect_error(j, "needs random sampling");
  j = tiny_spec();
  j["parameters"]["top.tiles"] = json::array();
  expect_error(j, "empty list");
  j = tiny_spec();
  j["workloads"] = {"no_such_workload"};
  expect_error(j, "workloads");
}

// Issue 16: wrong JSON types of name / tier / goal were internal errors (exit 1), an unknown
// objective was found only after every point had run, and 10^9-point grids or samples exhausted
// memory in the expansion.
TEST(SweepSpec, TypesObjectivesAndSizesAreCheckedOnParse) {
  auto error_of = [](const json& j) {
    try {
      parse(j);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  json j = tiny_spec();
  j["name"] = 5;
  EXPECT_NE(error_of(j).find("name: 5 is not a string; allowed: a string"), std::string::npos);
  j = tiny_spec();
  j["tier"] = json::array();
  EXPECT_NE(error_of(j).find("tier: [] is not a string"), std::string::npos);
  j = tiny_spec();
  j["objectives"] = {{{"metric", "cycles"}, {"goal", 1}}};
  EXPECT_NE(error_of(j).find("objectives[].goal: 1 is not a string"), std::string::npos);
  j = tiny_spec();
  j["objectives"] = {{{"metric", "speed"}}};
  EXPECT_NE(error_of(j).find("objectives[].metric: 'speed' is neither a metric"),
            std::string::npos);
  j = tiny_spec();
  j["objectives"] = {{{"metric", "top.tiles"}}, {{"metric", "joules_per_token"}}};
  EXPECT_EQ(error_of(j), "");
  j = tiny_spec();
  for (int i = 0; i < 9; ++i)
    j["parameters"]["p" + std::to_string(i)] = json::array({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  EXPECT_NE(error_of(j).find("parameters: the grid has"), std::string::npos) << error_of(j);
  j = tiny_spec();
  j["sample"] = {{"count", 1000000000}};
  EXPECT_NE(error_of(j).find("sample.count: 1000000000 points; allowed: an integer in [1, 100000]"),
            std::string::npos);
}

// Found by fuzz_sweep_spec (seed 20261210): an integer step of 1.3e19 was converted to int64
// (undefined behaviour) and start + i * step could overflow; integer bounds are now limited to
// what a double holds exactly. A sample seed may be any unsigned 64-bit integer.
TEST(SweepSpec, IntegerAxisBoundsBeyondTwoTo53AreInputErrors) {
  auto error_of = [](const std::string& text) {
    try {
      parse(json::parse(text));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const auto spec = [](const std::string& axis, const std::string& sample = "") {
    return R"({"name": "t", "config": "configs/lutcore_m2n8k4.json", "parameters": {"top.tiles": )" +
           axis + R"(}, "workloads": ["tests/smoke/sweep/tiny_workload.json"], )" + sample +
           R"("objectives": [{"metric": "tokens_per_second", "goal": "maximize"}]})";
  };
  EXPECT_NE(error_of(spec(R"({"start": 1, "stop": 21, "step": 13333333333333333333})"))
                .find("parameters.top.tiles.step: 13333333333333333333 is out of range; allowed: "
                      "an integer of magnitude <= 2^53"),
            std::string::npos)
      << error_of(spec(R"({"start": 1, "stop": 21, "step": 13333333333333333333})"));
  EXPECT_NE(error_of(spec(R"({"start": -9223372036854775808, "stop": -9223372036854775800})"))
                .find("parameters.top.tiles.start: -9223372036854775808 is out of range"),
            std::string::npos);
  EXPECT_NE(
      error_of(spec(R"({"min": 1, "max": 18446744073709551615})", R"("sample": {"count": 2},)"))
          .find("parameters.top.tiles.max: 18446744073709551615 is out of range"),
      std::string::npos);
  // Within the limit the range expands as before; a step past the range leaves its start.
  const auto a = parameter_assignments(
      parse(json::parse(spec(R"({"start": 1, "stop": 21, "step": 9007199254740992})"))));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0]["top.tiles"], 1);
  // Seeds: every unsigned 64-bit value, and no negative one.
  EXPECT_EQ(error_of(spec(R"([1, 2])", R"("sample": {"count": 2, "seed": 18446744073709551615},)")),
            "");
  EXPECT_NE(error_of(spec(R"([1, 2])", R"("sample": {"count": 2, "seed": -1},)"))
                .find("sample.seed: allowed: an integer in [0, 2^64 - 1]"),
            std::string::npos);
  EXPECT_NE(error_of(spec(R"([1, 2])", R"("sample": {"count": 18446744073709551615},)"))
                .find("sample.count"),
            std::string::npos);
}

TEST(SweepExpand, IdsAreStableAndContentBased) {
  const SweepManifest a = expand_sweep(parse(tiny_spec()), "cycle");
  const SweepManifest b = expand_sweep(parse(tiny_spec()), "cycle");
  ASSERT_EQ(a.points.size(), 6u);
  std::set<std::string> ids;
  for (size_t i = 0; i < a.points.size(); ++i) {
    EXPECT_EQ(a.points[i].id, b.points[i].id);
    EXPECT_EQ(a.points[i].id.size(), 16u);
    ids.insert(a.points[i].id);
  }
  EXPECT_EQ(ids.size(), 6u);
  // Reordering the list does not change a point's id; the same design on another tier differs
  // in id but shares the design hash.
  json j = tiny_spec();
  j["parameters"]["top.dram.bandwidth_gbps"] = {32, 8};
  const SweepManifest c = expand_sweep(parse(j), "cycle");
  EXPECT_EQ(c.points[0].id, a.points[3].id);
  const SweepManifest an = expand_sweep(parse(tiny_spec()), "analytic");
  EXPECT_NE(an.points[0].id, a.points[0].id);
  EXPECT_EQ(an.points[0].design, a.points[0].design);
  EXPECT_EQ(an.points[0].backend, "analytic");
  // A value equal to the default is the same content as not sweeping the key.
  json d = tiny_spec();
  d["parameters"] = {{"top.tiles", {1}}};
  json e = tiny_spec();
  e["parameters"] = json::object();
  EXPECT_EQ(expand_sweep(parse(d), "cycle").points[0].id,
            expand_sweep(parse(e), "cycle").points[0].id);
}

TEST(SweepExpand, DuplicatePointsAppearOnce) {
  json j = tiny_spec();
  j["parameters"] = {{"top.tiles", {1, 2, 1}}};
  j["backends"] = {"sim", "sim"};
  EXPECT_EQ(expand_sweep(parse(j), "cycle").points.size(), 2u);
}

TEST(SweepExpand, UnknownKeySuggestsTheNearest) {
  json j = tiny_spec();
  j["parameters"] = {{"top.dram.bandwith_gbps", {8}}};
  try {
    expand_sweep(parse(j), "cycle");
    FAIL();
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("spec.json: parameters: top.dram.bandwith_gbps: unknown key"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("did you mean 'top.dram.bandwidth_gbps'"), std::string::npos) << msg;
  }
}

TEST(SweepExpand, OutOfRangeValueIsAnInputError) {
  json j = tiny_spec();
  j["parameters"] = {{"top.tiles", {0}}};
  EXPECT_THROW(expand_sweep(parse(j), "cycle"), InputError);
  j["parameters"] = {{"top.tiles", {1.5}}};
  EXPECT_THROW(expand_sweep(parse(j), "cycle"), InputError);
}

}  // namespace
}  // namespace lowbit
