// lowbit::run() and its RunRecord: the golden and sim backends on a tiny layer give a verified
// record whose typed fields agree with its stats tree; stats.json reads back to the same record;
// a record without (or with another) schema_version is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "lowbit/error.h"
#include "lowbit/run.h"
#include "lowbit/run_record.h"

#if LOWBIT_TEST_WITH_SIM
// libsystemc wants the program to provide sc_main; gtest_main is main().
extern "C" int sc_main(int, char**) { return 1; }
#endif

namespace lowbit {
namespace {

std::string source_dir() {
  const char* env = std::getenv("LOWBIT_SOURCE_DIR");
  return env != nullptr && *env != '\0' ? env : LOWBIT_SOURCE_DIR_FALLBACK;
}

RunRequest tiny_request(const std::string& backend) {
  RunRequest q;
  q.config = load_hw_config(source_dir() + "/configs/lutcore_m3n5k6g2.json");
  LayerSpec l;
  l.name = "q";
  l.m = 3;
  l.n = 40;
  l.k = 256;
  l.weight_format = "uint2";
  l.group_size = 128;
  l.activation_format = "int8";
  l.distribution = "heavy_tailed";
  l.repeat = 2;
  q.workload.name = "tiny";
  q.workload.layers = {l};
  q.backend = backend;
  return q;
}

TEST(RunRecord, GoldenBackendVerifiesEveryOutputUntimed) {
  RunRequest q = tiny_request("golden");
  int layers_seen = 0, starts = 0;
  q.on_start = [&](const RunRecord& r) {
    ++starts;
    EXPECT_EQ(r.backend, "golden");
    EXPECT_EQ(r.core, "lutcore");
  };
  q.on_layer = [&](const LayerRecord&) { ++layers_seen; };
  const RunRecord r = run(q);
  EXPECT_EQ(starts, 1);
  EXPECT_EQ(layers_seen, 1);
  EXPECT_EQ(r.schema_version, kRunRecordSchemaVersion);
  EXPECT_TRUE(r.verified);
  EXPECT_TRUE(r.golden_kernels_agree);
  EXPECT_EQ(r.outputs_compared, 3u * 40u * 2u);  // every element of both blocks
  EXPECT_TRUE(r.first_mismatch.empty());
  EXPECT_FALSE(r.metrics.has_value());  // untimed
  EXPECT_FALSE(r.cost.has_value());
  ASSERT_EQ(r.layers.size(), 1u);
  EXPECT_EQ(r.layers[0].ops, 2.0 * 3 * 40 * 256);
  EXPECT_EQ(r.ops_per_run, 2 * r.layers[0].ops);
  EXPECT_TRUE(r.layers[0].integer_paths_bit_exact);
  const nlohmann::ordered_json j = result_json(r);
  EXPECT_EQ(j.at("schema_version"), kRunRecordSchemaVersion);
  EXPECT_TRUE(j.at("metrics").is_null());
  EXPECT_EQ(j.at("verified"), true);
}

TEST(RunRecord, AnalyticBackendIsARegisteredBackendWithTheSameRecord) {
  const std::vector<std::string> names = run_backend_names();
  for (const char* b : {"analytic", "cpu", "golden", "rtl", "sim"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), b), names.end()) << b;
  }
  RunRequest q = tiny_request("analytic");
  bool started = false;
  q.on_start = [&](const RunRecord& r) { started = r.backend == "analytic"; };
  const RunRecord r = run(q);
  EXPECT_TRUE(started);
  EXPECT_EQ(r.backend, "analytic");
  EXPECT_FALSE(r.outputs_computed);
  ASSERT_TRUE(r.metrics.has_value());
  EXPECT_GT(r.metrics->cycles, 0u);
  EXPECT_EQ(r.metrics->ops, 2.0 * 3 * 40 * 256 * 2);
  EXPECT_EQ(r.ops_per_run, r.metrics->ops);
  EXPECT_TRUE(result_json(r).at("verified").is_null());
  // Its stats.json reads back as a record like any other run's.
  const nlohmann::ordered_json sj = stats_json(r);
  EXPECT_EQ(stats_json(run_record_from_stats_json(sj, "a.json")).dump(), sj.dump());
  q.dump_dir = "d";
  EXPECT_THROW(run(q), InputError);
  q.dump_dir.clear();
  q.backend = "nonesuch";
  try {
    run(q);
    FAIL() << "an unknown backend ran";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("allowed: analytic, cpu, golden, rtl, sim"),
              std::string::npos)
        << e.what();
  }
}

#if LOWBIT_TEST_WITH_SIM
double stat(const nlohmann::ordered_json& stats, const nlohmann::json::json_pointer& p) {
  return stats.at(p).at("value").get<double>();
}

TEST(RunRecord, SimBackendMetricsAgreeWithTheStatsTree) {
  const RunRecord r = run(tiny_request("sim"));
  EXPECT_TRUE(r.verified);
  ASSERT_TRUE(r.metrics.has_value());
  const RunMetrics& m = *r.metrics;
  EXPECT_GT(m.cycles, 0u);
  using P = nlohmann::json::json_pointer;
  EXPECT_EQ(static_cast<double>(m.cycles), stat(r.stats, P("/cycles")));
  EXPECT_EQ(m.ops, 2 * stat(r.stats, P("/core/macs")));
  EXPECT_EQ(m.ops, r.ops_per_run);
  EXPECT_EQ(m.dram_bytes,
            stat(r.stats, P("/dram/bytes_read")) + stat(r.stats, P("/dram/bytes_written")));
  EXPECT_DOUBLE_EQ(m.seconds, static_cast<double>(m.cycles) / (m.clock_mhz * 1e6));
  EXPECT_DOUBLE_EQ(m.ops_per_second, m.ops / m.seconds);
  EXPECT_DOUBLE_EQ(m.tokens_per_second, 3 / m.seconds);
  ASSERT_TRUE(m.dequant_stall_cycles.has_value());
  ASSERT_EQ(r.tiling.size(), 1u);
  EXPECT_EQ(r.tiling[0].n, 40);
  // lutcore_m3n5k6g2 is characterized at nangate45: the cost metrics follow from the breakdown.
  ASSERT_TRUE(r.cost.has_value());
  ASSERT_TRUE(m.cost.has_value());
  ASSERT_TRUE(r.cost->energy_pj.has_value());
  ASSERT_TRUE(m.cost->energy_pj.has_value());
  EXPECT_EQ(*m.cost->energy_pj, *r.cost->energy_pj);
  EXPECT_DOUBLE_EQ(*m.cost->pj_per_op, *r.cost->energy_pj / m.ops);
  EXPECT_DOUBLE_EQ(*m.cost->joules_per_token, *r.cost->energy_pj * 1e-12 / 3);
  EXPECT_DOUBLE_EQ(*m.cost->area_mm2, *r.cost->area_um2 * 1e-6);
  EXPECT_EQ(m.cost->node, "nangate45");
  EXPECT_EQ(r.cost->core, "lutcore");

  // stats.json reads back to the same record: writing it again gives the same bytes.
  const nlohmann::ordered_json sj = stats_json(r);
  EXPECT_EQ(sj.at("schema_version"), kRunRecordSchemaVersion);
  EXPECT_EQ(sj.at("metrics").at("cycles"), m.cycles);
  const RunRecord back = run_record_from_stats_json(sj, "stats.json");
  EXPECT_EQ(stats_json(back).dump(2), sj.dump(2));
  EXPECT_EQ(back.metrics->cycles, m.cycles);
  EXPECT_EQ(back.cost->energy_pj, r.cost->energy_pj);
  EXPECT_EQ(back.core, "lutcore");
  EXPECT_EQ(back.config_name, "lutcore_m3n5k6g2");
}
#endif

// A record as stats.json has it, without running anything.
nlohmann::ordered_json hand_made_stats() {
  RunRecord r;
  r.workload = "w";
  r.config = {{"core", "lutcore"}, {"name", "c"}};
  r.backend = "analytic";
  RunMetrics m;
  m.cycles = 10;
  m.seconds = 1e-8;
  m.clock_mhz = 1000;
  m.memory_bandwidth_limit = "DRAM peak";
  r.metrics = m;
  return stats_json(r);
}

TEST(RunRecord, ReadingRequiresTheSchemaVersion) {
  nlohmann::ordered_json sj = hand_made_stats();
  EXPECT_EQ(run_record_from_stats_json(sj, "s.json").metrics->cycles, 10u);
  sj.erase("schema_version");
  try {
    run_record_from_stats_json(sj, "s.json");
    FAIL() << "a stats.json without schema_version was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("s.json: schema_version: missing"), std::string::npos)
        << e.what();
  }
  sj["schema_version"] = kRunRecordSchemaVersion + 1;
  EXPECT_THROW(run_record_from_stats_json(sj, "s.json"), InputError);
  sj["schema_version"] = "1";
  EXPECT_THROW(run_record_from_stats_json(sj, "s.json"), InputError);
}

TEST(RunRecord, ReadingNamesAMissingOrMistypedMetric) {
  nlohmann::ordered_json sj = hand_made_stats();
  sj["metrics"].erase("seconds");
  try {
    run_record_from_stats_json(sj, "s.json");
    FAIL() << "a record without metrics.seconds was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("s.json: metrics.seconds: missing"), std::string::npos)
        << e.what();
  }
  sj = hand_made_stats();
  sj["metrics"]["cycles"] = -1;
  EXPECT_THROW(run_record_from_stats_json(sj, "s.json"), InputError);
}

}  // namespace
}  // namespace lowbit
