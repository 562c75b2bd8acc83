// `--set` overrides: key lookup, suggestions for unknown keys, value parsing by leaf type, errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lowbit/config_override.h"
#include "lowbit/error.h"

namespace lowbit {
namespace {

using nlohmann::json;

// A config with defaults filled in, shaped like configs/*.json plus one leaf of every type.
json sample_config() {
  return json::parse(R"({
    "name": "lutcore_m2n64k4",
    "core": "lutcore",
    "lutcore": {"m": 2, "n": 64, "k": 4, "g": 4, "fp16": true, "dequant_lanes": 16},
    "top": {
      "clock_mhz": 1000.0,
      "dram": {"bandwidth_gbps": 64.0, "latency_cycles": 100},
      "sram": {"act_kib": 64, "weight_kib": 256, "banks": 8}
    },
    "offset": -3,
    "sizes": [1, 2],
    "note": null,
    "empty": {}
  })");
}

// The InputError message of `assignment` on the sample config (fails the test if none is thrown).
std::string error_of(std::string_view assignment, const json& base = sample_config()) {
  json config = base;
  try {
    apply_override(config, assignment, "cfg.json");
  } catch (const InputError& e) {
    EXPECT_EQ(config, base) << "a failed override must leave the config unchanged";
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "errors are one line: " << msg;
    EXPECT_EQ(msg.rfind("cfg.json: --set ", 0), 0u) << msg;
    return msg;
  }
  ADD_FAILURE() << "no InputError for " << assignment;
  return {};
}

json applied(std::string_view assignment) {
  json config = sample_config();
  apply_override(config, assignment, "cfg.json");
  return config;
}

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("sitting", "kitten"), 3u);
  EXPECT_EQ(edit_distance("lutcore.n", "lutcore.n"), 0u);
  EXPECT_EQ(edit_distance("flaw", "lawn"), 2u);
  EXPECT_EQ(edit_distance("bandwith", "bandwidth"), 1u);
}

TEST(LeafPaths, ListsEveryLeafByDottedPathSorted) {
  const std::vector<std::string> expected = {"core",
                                             "lutcore.dequant_lanes",
                                             "lutcore.fp16",
                                             "lutcore.g",
                                             "lutcore.k",
                                             "lutcore.m",
                                             "lutcore.n",
                                             "name",
                                             "note",
                                             "offset",
                                             "sizes",
                                             "top.clock_mhz",
                                             "top.dram.bandwidth_gbps",
                                             "top.dram.latency_cycles",
                                             "top.sram.act_kib",
                                             "top.sram.banks",
                                             "top.sram.weight_kib"};
  EXPECT_EQ(leaf_paths(sample_config()), expected);
}

TEST(LeafPaths, NonObjectAndEmptyObjectHaveNoLeaves) {
  EXPECT_TRUE(leaf_paths(json::object()).empty());
  EXPECT_TRUE(leaf_paths(json(3)).empty());
  EXPECT_TRUE(leaf_paths(json::array({1, 2})).empty());
}

TEST(ApplyOverride, SetsOnlyTheNamedIntegerLeaf) {
  json expected = sample_config();
  expected["lutcore"]["n"] = 32;
  const json got = applied("lutcore.n=32");
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(got["lutcore"]["n"].is_number_integer());
  EXPECT_EQ(applied("top.dram.latency_cycles=0")["top"]["dram"]["latency_cycles"], 0);
}

TEST(ApplyOverride, IntegersMayBeNegativeOrFullUnsignedRange) {
  EXPECT_EQ(applied("offset=-7")["offset"].get<int64_t>(), -7);
  EXPECT_EQ(applied("lutcore.n=-1")["lutcore"]["n"].get<int64_t>(), -1);
  EXPECT_EQ(applied("lutcore.n=-9223372036854775808")["lutcore"]["n"].get<int64_t>(), INT64_MIN);
  EXPECT_EQ(applied("lutcore.n=18446744073709551615")["lutcore"]["n"].get<uint64_t>(), UINT64_MAX);
  // Same JSON text as a parsed file would give: non-negative integers are unsigned.
  EXPECT_EQ(applied("offset=5").dump(), json::parse(applied("offset=5").dump()).dump());
}

TEST(ApplyOverride, RejectsMalformedIntegersNamingKeyValueAndType) {
  for (const char* bad : {"abc", "3.5", "1e3", "+4", "", " 4", "4 ", "0x10", "4k", "--4"}) {
    const std::string msg = error_of(std::string("lutcore.n=") + bad);
    EXPECT_NE(msg.find("--set lutcore.n: '" + std::string(bad) + "' is not an integer"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("allowed: a decimal integer (current value 64)"), std::string::npos) << msg;
  }
  EXPECT_NE(error_of("lutcore.n=18446744073709551616").find("is out of range for an integer"),
            std::string::npos);
  EXPECT_NE(error_of("lutcore.n=-9223372036854775809").find("is out of range for an integer"),
            std::string::npos);
}

TEST(ApplyOverride, FloatingLeafTakesAnyDecimalFormAndStaysFloating) {
  const json got = applied("top.dram.bandwidth_gbps=2");
  EXPECT_TRUE(got["top"]["dram"]["bandwidth_gbps"].is_number_float());
  EXPECT_EQ(got["top"]["dram"]["bandwidth_gbps"].dump(), "2.0");
  EXPECT_EQ(applied("top.clock_mhz=0.5")["top"]["clock_mhz"].get<double>(), 0.5);
  EXPECT_EQ(applied("top.clock_mhz=1e9")["top"]["clock_mhz"].get<double>(), 1e9);
  EXPECT_EQ(applied("top.clock_mhz=-1.5e-3")["top"]["clock_mhz"].get<double>(), -1.5e-3);
}

TEST(ApplyOverride, RejectsNonFiniteAndMalformedNumbers) {
  for (const char* bad : {"fast", "", "1.5.2", "1,5", "0x1p3", "1e", "+1"}) {
    const std::string msg = error_of(std::string("top.clock_mhz=") + bad);
    EXPECT_NE(msg.find("--set top.clock_mhz: '" + std::string(bad) + "' is not a number"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("(current value 1000.0)"), std::string::npos) << msg;
  }
  for (const char* bad : {"inf", "-inf", "nan", "infinity"}) {
    EXPECT_NE(error_of(std::string("top.clock_mhz=") + bad).find("is not a finite number"),
              std::string::npos)
        << bad;
  }
  EXPECT_NE(error_of("top.clock_mhz=1e999").find("'1e999' is out of the double range"),
            std::string::npos);
}

TEST(ApplyOverride, BooleansAreExactlyTrueOrFalse) {
  EXPECT_EQ(applied("lutcore.fp16=false")["lutcore"]["fp16"], false);
  EXPECT_EQ(applied("lutcore.fp16=true")["lutcore"]["fp16"], true);
  for (const char* bad : {"1", "0", "True", "FALSE", "yes", ""}) {
    const std::string msg = error_of(std::string("lutcore.fp16=") + bad);
    EXPECT_NE(msg.find("'" + std::string(bad) + "' is not a boolean; allowed: true, false"),
              std::string::npos)
        << msg;
  }
}

TEST(ApplyOverride, StringsAreTakenVerbatimAfterTheFirstEquals) {
  EXPECT_EQ(applied("core=mixpe")["core"], "mixpe");
  EXPECT_EQ(applied("name=a=b")["name"], "a=b");
  EXPECT_EQ(applied("name=")["name"], "");
  EXPECT_EQ(applied("name= spaced ")["name"], " spaced ");
  EXPECT_EQ(applied("core=64")["core"], "64");
}

TEST(ApplyOverride, ArraysTakeAJsonArrayLiteral) {
  EXPECT_EQ(applied("sizes=[3,4,5]")["sizes"], json::array({3, 4, 5}));
  EXPECT_EQ(applied("sizes=[]")["sizes"], json::array());
  EXPECT_NE(error_of("sizes=3").find("'3' is not a JSON array"), std::string::npos);
  EXPECT_NE(error_of("sizes=[1,").find("is not a JSON array"), std::string::npos);
}

TEST(ApplyOverride, NullLeafTakesAJsonLiteralOrElseAString) {
  EXPECT_EQ(applied("note=5")["note"], 5);
  EXPECT_EQ(applied("note=true")["note"], true);
  EXPECT_TRUE(applied("note=null")["note"].is_null());
  EXPECT_EQ(applied("note=hello")["note"], "hello");
  EXPECT_EQ(applied("note=[1]")["note"], "[1]");
}

TEST(ApplyOverride, UnknownKeySuggestsNearestFullPath) {
  EXPECT_EQ(error_of("lutcore.nn=4"),
            "cfg.json: --set lutcore.nn: unknown key; did you mean 'lutcore.n'? allowed: "
            "lutcore.n, lutcore.g, lutcore.k, lutcore.m, lutcore.fp16, lutcore.dequant_lanes");
  EXPECT_NE(error_of("top.dram.bandwith_gbps=1").find("did you mean 'top.dram.bandwidth_gbps'?"),
            std::string::npos);
  EXPECT_NE(error_of("lutcore.dequant_lane=1").find("did you mean 'lutcore.dequant_lanes'?"),
            std::string::npos);
  EXPECT_NE(error_of("lutcor.m=1").find("did you mean 'lutcore.m'?"), std::string::npos);
}

TEST(ApplyOverride, UnknownKeyMatchesOnTheLastComponent) {
  // Right leaf name, wrong or missing parents: the full-path distance is large.
  EXPECT_NE(error_of("dram.bandwidth_gbps=1").find("did you mean 'top.dram.bandwidth_gbps'?"),
            std::string::npos);
  EXPECT_NE(error_of("bandwidth_gbps=1").find("did you mean 'top.dram.bandwidth_gbps'?"),
            std::string::npos);
  EXPECT_NE(error_of("sram.weights_kib=1").find("did you mean 'top.sram.weight_kib'?"),
            std::string::npos);
  EXPECT_NE(error_of("n=1").find("did you mean 'lutcore.n'?"), std::string::npos);
}

TEST(ApplyOverride, UnknownKeyCutShortFindsTheFullName) {
  EXPECT_NE(error_of("bandwidth=1").find("did you mean 'top.dram.bandwidth_gbps'?"),
            std::string::npos);
  EXPECT_NE(error_of("lutcore.dequant=1").find("did you mean 'lutcore.dequant_lanes'?"),
            std::string::npos);
}

TEST(ApplyOverride, UnknownKeyFarFromEverythingGetsNoSuggestionButAList) {
  const std::string msg = error_of("zzzzzzzz=1");
  EXPECT_EQ(msg.find("did you mean"), std::string::npos) << msg;
  EXPECT_NE(msg.find("cfg.json: --set zzzzzzzz: unknown key; allowed: "), std::string::npos) << msg;
  EXPECT_NE(msg.find("(17 in all)"), std::string::npos) << msg;
}

TEST(ApplyOverride, UnknownKeyListsTheKeysOfTheDeepestGroupReached) {
  const std::string msg = error_of("top.dram.latency=1");
  EXPECT_NE(msg.find("did you mean 'top.dram.latency_cycles'?"), std::string::npos) << msg;
  EXPECT_NE(msg.find("allowed: top.dram.latency_cycles, top.dram.bandwidth_gbps"),
            std::string::npos)
      << msg;
  EXPECT_EQ(msg.find("top.sram"), std::string::npos) << msg;
}

TEST(ApplyOverride, PathThroughALeafIsUnknown) {
  const std::string msg = error_of("lutcore.n.x=1");
  EXPECT_NE(msg.find("--set lutcore.n.x: unknown key; did you mean 'lutcore.n'?"),
            std::string::npos)
      << msg;
}

TEST(ApplyOverride, EmptyPathComponentsAreUnknown) {
  EXPECT_NE(error_of("lutcore..n=1").find("unknown key"), std::string::npos);
  EXPECT_NE(error_of(".lutcore.n=1").find("unknown key"), std::string::npos);
  EXPECT_NE(error_of("lutcore.n.=1").find("unknown key"), std::string::npos);
}

TEST(ApplyOverride, ObjectKeyIsAnErrorListingItsLeaves) {
  EXPECT_EQ(error_of("top.dram=5"),
            "cfg.json: --set top.dram: is a group of settings, not a value; allowed: "
            "top.dram.bandwidth_gbps, top.dram.latency_cycles");
  EXPECT_NE(error_of("top=5").find("top.clock_mhz, top.dram.bandwidth_gbps"), std::string::npos);
  EXPECT_NE(error_of("empty=5").find("is a group of settings, not a value; allowed: (none)"),
            std::string::npos);
}

TEST(ApplyOverride, AssignmentWithoutEqualsOrKeyIsAnError) {
  EXPECT_NE(error_of("lutcore.n").find("--set lutcore.n: expected key=value"), std::string::npos);
  EXPECT_NE(error_of("=5").find("--set =5: empty key; allowed: core, "), std::string::npos);
  EXPECT_NE(error_of("").find("expected key=value"), std::string::npos);
}

TEST(ApplyOverride, NonObjectConfigIsACallerBug) {
  json config = json::array();
  EXPECT_THROW(apply_override(config, "a=1", "cfg.json"), std::invalid_argument);
}

TEST(ApplyOverrides, AppliesInOrderLaterWins) {
  json config = sample_config();
  apply_overrides(config, {"lutcore.n=8", "lutcore.fp16=false", "lutcore.n=16"}, "cmdline");
  EXPECT_EQ(config["lutcore"]["n"], 16);
  EXPECT_EQ(config["lutcore"]["fp16"], false);
}

TEST(ApplyOverrides, APresetReplacesTheDramKeysItSetsUnlessTheyAreSetToo) {
  // What hw.to_json() gives: every DRAM key filled in, no preset.
  json config = {{"top",
                  {{"dram",
                    {{"bandwidth_gbps", 64.0},
                     {"latency_ns", 100.0},
                     {"burst_bytes", 64},
                     {"channels", 1},
                     {"max_outstanding", 0},
                     {"preset", ""}}}}}};
  json with_preset = config;
  apply_overrides(with_preset, {"top.dram.preset=hbm3_stack", "top.dram.latency_ns=50"}, "cmdline");
  const json& d = with_preset["top"]["dram"];
  EXPECT_EQ(d["preset"], "hbm3_stack");
  EXPECT_FALSE(d.contains("bandwidth_gbps"));  // the preset's value applies when parsed
  EXPECT_FALSE(d.contains("burst_bytes"));
  EXPECT_FALSE(d.contains("channels"));
  EXPECT_EQ(d["latency_ns"], 50.0);    // set beside the preset: it wins
  EXPECT_EQ(d["max_outstanding"], 0);  // not a preset key: kept
  // Without a preset assignment nothing is removed.
  json plain = config;
  apply_overrides(plain, {"top.dram.bandwidth_gbps=128"}, "cmdline");
  EXPECT_EQ(plain["top"]["dram"].size(), 6u);
}

TEST(ApplyOverrides, AllOrNothing) {
  json config = sample_config();
  try {
    apply_overrides(config, {"lutcore.n=8", "lutcore.q=1", "lutcore.m=abc"}, "cmdline");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cmdline: --set lutcore.q: unknown key"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(config, sample_config());
  apply_overrides(config, {}, "cmdline");
  EXPECT_EQ(config, sample_config());
}

TEST(ApplyOverride, LongKeyListsAreCut) {
  json config = json::object();
  for (int i = 0; i < 20; ++i) config["key" + std::to_string(100 + i)] = i;
  const std::string msg = error_of("zzzzzzzzzzzz=1", config);
  EXPECT_NE(msg.find(", ... (20 in all)"), std::string::npos) << msg;
}

}  // namespace
}  // namespace lowbit
