// report.html: one self-contained page (inline SVG charts, no network) from a report.json document.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lowbit {

/// The HTML text of a report.json document (build_report()). Every number shown is the JSON value
/// formatted with format_report_number(); the page embeds the JSON and, when opened, checks that
/// every chart rendered and sets document.title to "ok:<charts>" (or "error:<what>").
std::string report_html(const nlohmann::ordered_json& report);

/// How the report prints a number in HTML and text: 4 significant digits (the JSON keeps all).
std::string format_report_number(double v);

}  // namespace lowbit
