// The sweep's HTML page: inline SVG scatter plots of each objective pair, the front highlighted.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "lowbit/sweep_table.h"

namespace lowbit {

/// A self-contained HTML page (no scripts, no network): a summary, for every (tier, workload) group
/// one SVG scatter plot per pair of objectives (finished points grey, Pareto points red and listed
/// in a table), the analytic-vs-cycle error when `tier_error` is not null, and the failed points.
std::string sweep_report_html(const std::string& title, const ResultTable& t,
                              const nlohmann::json& tier_error);

/// Error of the analytic tier against the cycle tier on the designs run by both: per metric
/// (cycles, tokens_per_second), the count, mean / median / max absolute relative error and the
/// Spearman rank correlation, plus each pair. Null when no design has both.
nlohmann::ordered_json tier_error(const ResultTable& t);

}  // namespace lowbit
