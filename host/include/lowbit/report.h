// `lowbit report`: accelerator runs (stats.json) and the CPU reference joined into one report.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lowbit/characterization_path.h"
#include "model/cost/cost_model.h"

namespace lowbit {

/// What a report is built from, besides the input files.
struct ReportOptions {
  std::string node = "nangate45";  ///< characterization node
  /// Characterization JSON; empty = rtl/synth/characterization/<node>.json of the source tree.
  std::string characterization;
  CostOptions cost;
  /// Use each stats file's recorded `metrics.dram_energy_spec` (the spec of its memory preset,
  /// written by `lowbit run`) instead of cost.dram_spec where the file has one.
  bool dram_from_runs = false;
};

/// Schema of report.json.
inline constexpr const char* kReportSchema = "lowbit.report";
inline constexpr int kReportSchemaVersion = 2;  ///< 2: j_per_token -> joules_per_token

/// Builds report.json's document from stats.json files of `lowbit run --stats` (one design each)
/// and optionally the result.json of `lowbit run --backend cpu`. Throws InputError (one line naming
/// the file and key) for unreadable or inconsistent inputs (different workloads, a non-CPU result).
nlohmann::ordered_json build_report(const std::vector<std::string>& stats_paths,
                                    const std::optional<std::string>& cpu_path,
                                    const ReportOptions& opts);

/// As above with the characterization already loaded from `char_path` (named in the report and
/// its errors), so that a caller building many reports reads the file once.
nlohmann::ordered_json build_report(const std::vector<std::string>& stats_paths,
                                    const std::optional<std::string>& cpu_path,
                                    const ReportOptions& opts, const Characterization& ch,
                                    const std::string& char_path);

/// The characterization a report of `opts` reads (InputError if it cannot be read) and its path.
std::pair<Characterization, std::string> report_characterization(const ReportOptions& opts);

}  // namespace lowbit
