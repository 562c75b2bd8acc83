// report.csv: one row per design (and one for the CPU) with the report's headline numbers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lowbit {

/// The CSV text of a report.json document (build_report()). Values are the JSON numbers printed
/// with full precision; an empty cell is a number the report does not have (not characterized).
std::string report_csv(const nlohmann::ordered_json& report);

}  // namespace lowbit
