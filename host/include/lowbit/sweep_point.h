// A sweep design point: one config (base + assignments) x workload x backend x tier, with its id.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace lowbit {

/// One process to run: what `lowbit run` (tier "cycle") or `lowbit estimate` (tier "analytic")
/// gets.
struct SweepPoint {
  std::string id;        ///< content hash of config, workload, backend and tier (16 hex digits)
  std::string design;    ///< content hash without the tier: pairs a point's analytic and cycle runs
  std::string tier;      ///< "cycle" or "analytic"
  std::string backend;   ///< "sim", "rtl", "golden"; "analytic" for the analytic tier
  std::string workload;  ///< workload name (from the file)
  std::filesystem::path workload_path;  ///< absolute
  nlohmann::ordered_json params;        ///< swept key -> value
  nlohmann::json config;                ///< the full config (every key), written to config.json

  nlohmann::ordered_json to_json() const;  ///< the manifest entry (without the config)
  static SweepPoint from_json(const nlohmann::json& j);
};

/// FNV-1a 64-bit hash of `text`, as 16 lowercase hex digits.
std::string content_hash(std::string_view text);

/// Sets `id` and `design` from the point's content: the canonical dump (keys sorted) of the full
/// config, the workload document, the backend and (for `id`) the tier. Re-expanding the same spec
/// gives the same ids; changing any config value, the workload file or the backend changes them.
void assign_point_ids(SweepPoint& p, const nlohmann::json& workload_doc);

}  // namespace lowbit
