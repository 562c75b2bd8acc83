// The results table: metrics collected from a sweep folder, Pareto flags, CSV quoting, SQLite.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lowbit/atomic_file.h"
#include "lowbit/run_record.h"
#include "lowbit/sweep_manifest.h"
#include "lowbit/sweep_report.h"
#include "lowbit/sweep_table.h"

namespace lowbit {
namespace {

class SweepTable : public ::testing::Test {
 protected:
  void SetUp() override {
    root = std::filesystem::temp_directory_path() /
           ("lowbit_sweep_table_" + std::to_string(::getpid()));
    std::filesystem::remove_all(root);
    m.parameters = {"top.tiles", "name"};
    m.objectives = {{"tokens_per_second", true}, {"top.tiles", false}};
    // (tiles, tokens/s): (1, 10) (2, 30) (3, 25: dominated by 2) (2, 30: duplicate), one failed.
    const std::vector<std::pair<int, double>> v = {{1, 10}, {2, 30}, {3, 25}, {2, 30}, {4, 0}};
    const SweepDir dir(root);
    for (size_t i = 0; i < v.size(); ++i) {
      SweepPoint p;
      p.id = "p" + std::to_string(i);
      p.design = "d" + std::to_string(i);
      p.tier = "cycle";
      p.backend = "sim";
      p.workload = "w";
      p.workload_path = "/w.json";
      p.params = {{"top.tiles", v[i].first}, {"name", i == 0 ? "a,\"b\"" : "plain"}};
      m.points.push_back(p);
    }
    dir.write_manifest(m);
    for (size_t i = 0; i + 1 < v.size(); ++i) {
      write_file_atomic(dir.stats(m.points[i].id), record(100 + i, v[i].second).dump());
      dir.write_status(m.points[i].id, {"ok", 0, 0.5, "h"});
    }
    dir.write_status(m.points[4].id, {"failed", 2, 0.1, "h"});
  }
  void TearDown() override { std::filesystem::remove_all(root); }
  // A point's stats.json: a run record with these metrics.
  static nlohmann::ordered_json record(uint64_t cycles, double tokens_per_second) {
    RunRecord r;
    r.workload = "w";
    r.config = {{"core", "lutcore"}};
    r.backend = "sim";
    RunMetrics mt;
    mt.cycles = cycles;
    mt.tokens_per_second = tokens_per_second;
    mt.memory_bandwidth_limit = "DRAM peak";
    r.metrics = mt;
    return stats_json(r);
  }
  std::filesystem::path root;
  SweepManifest m;
};

TEST_F(SweepTable, CollectsMetricsAndFlagsTheFront) {
  const ResultTable t = collect_results(SweepDir(root), m);
  const int pc = t.column("pareto"), sc = t.column("status"), cc = t.column("cycles");
  ASSERT_GE(pc, 0);
  ASSERT_GE(cc, 0);
  EXPECT_EQ(t.rows[0][pc], 1);
  EXPECT_EQ(t.rows[1][pc], 1);
  EXPECT_EQ(t.rows[2][pc], 0);
  EXPECT_EQ(t.rows[3][pc], 1);  // the duplicate of a front point is on the front too
  EXPECT_TRUE(t.rows[4][pc].is_null());
  EXPECT_EQ(t.rows[4][sc], "failed");
  EXPECT_EQ(t.rows[2][cc], 102);
}

TEST_F(SweepTable, AStatsFileThatIsNotARunRecordHasNoMetrics) {
  nlohmann::ordered_json old = record(102, 25);
  old.erase("schema_version");  // written before run records were versioned
  write_file_atomic(SweepDir(root).stats(m.points[2].id), old.dump());
  const ResultTable t = collect_results(SweepDir(root), m);
  const int cc = t.column("cycles");
  ASSERT_GE(cc, 0);
  EXPECT_TRUE(t.rows[2][cc].is_null());
  EXPECT_EQ(t.rows[1][cc], 101);
}

TEST_F(SweepTable, CsvQuotesAndHasOneRowPerPoint) {
  const ResultTable t = collect_results(SweepDir(root), m);
  write_csv(t, root / "r.csv");
  std::ifstream in(root / "r.csv");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string csv = ss.str();
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 6);
  EXPECT_NE(csv.find("\"a,\"\"b\"\"\""), std::string::npos) << csv;
  EXPECT_EQ(csv.rfind("id,design,tier,backend,workload,status,wall_seconds,top.tiles,name,", 0),
            0u);
}

TEST_F(SweepTable, SqliteHoldsTheSameRows) {
  const ResultTable t = collect_results(SweepDir(root), m);
  write_sqlite(t, root / "r.sqlite");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((root / "r.sqlite").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT count(*), sum(pareto), max(\"top.tiles\") FROM results "
                               "WHERE status = 'ok'",
                               -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 4);
  EXPECT_EQ(sqlite3_column_int(st, 1), 3);
  EXPECT_EQ(sqlite3_column_int(st, 2), 3);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(SweepTable, ReportHighlightsTheFront) {
  const ResultTable t = collect_results(SweepDir(root), m);
  const std::string html = sweep_report_html("t", t, nullptr);
  size_t n = 0;
  for (size_t at = html.find("class=\"pareto\""); at != std::string::npos;
       at = html.find("class=\"pareto\"", at + 1)) {
    ++n;
  }
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // no external links
}

}  // namespace
}  // namespace lowbit
