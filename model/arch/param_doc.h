// Every declared hardware parameter as data: `lowbit params --json` (read by CMake and the
// characterization flow as the committed rtl/params.json) and docs/params.md's tables.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lowbit {

/// {"schema": 1, "top": [param...], "units": {"<unit>": {"description", "opcode", "rtl_top",
/// "params": [param...]}}} where a param is {"key", "type", "default", "min", "max", "unit",
/// "description", "rtl", "rtl_only_if_changed"}. Deterministic (declaration order).
nlohmann::ordered_json params_json();
/// Markdown tables of the same, one per subtree (docs/params.md between its markers).
std::string params_markdown();

}  // namespace lowbit
