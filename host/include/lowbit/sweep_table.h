// The results table of a sweep: one row per point (parameters, status, metrics, Pareto flag).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lowbit/sweep_manifest.h"

namespace lowbit {

/// Rows of every manifest point. Fixed columns: id, design, tier, backend, workload, status,
/// wall_seconds (of the point's process), then the swept parameters (spec order), then every
/// numeric key of the points' stats.json "metrics" (first-seen order, so new metrics such as
/// joules_per_token or area_mm2 appear without code changes), then "pareto". Cells are numbers,
/// strings or null (missing).
struct ResultTable {
  std::vector<std::string> columns;
  std::vector<std::vector<nlohmann::json>> rows;
  std::vector<Objective> objectives;

  /// Index of a column, or -1.
  int column(const std::string& name) const;
};

/// Reads the status and stats.json of every point. "pareto" is 1 for the non-dominated finished
/// points of each (tier, workload) group over the objectives (columns looked up by name: a metric
/// or a swept parameter), 0 for the other finished ones, null for unfinished points; an objective
/// that no column provides is an InputError naming the available columns.
ResultTable collect_results(const SweepDir& dir, const SweepManifest& m);

/// RFC 4180 CSV with a header row, written atomically.
void write_csv(const ResultTable& t, const std::filesystem::path& path);

/// A SQLite database with one table `results` (the same columns, quoted; numbers as REAL or
/// INTEGER, strings as TEXT, missing as NULL), written to a temp file and renamed into place.
void write_sqlite(const ResultTable& t, const std::filesystem::path& path);

}  // namespace lowbit
