// The sweep spec (docs/sweep.md): base config, parameter axes, workloads, backends, objectives.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace lowbit {

/// One swept config key and the values it takes.
struct ParameterAxis {
  enum class Kind {
    kList,     ///< "values": the listed JSON values, in order
    kRange,    ///< {"start", "stop", "step"}: start, start + step, ... <= stop (inclusive)
    kUniform,  ///< {"min", "max"}: uniform draws (random sampling only); integer when both are
  };
  std::string key;  ///< dotted config path, e.g. "top.dram.bandwidth_gbps"
  Kind kind = Kind::kList;
  std::vector<nlohmann::json> values;  ///< kList, and kRange expanded
  double min = 0, max = 0;             ///< kUniform
  bool integer = false;                ///< kUniform: draw integers in [min, max]
};

/// What to optimize: a numeric column of the results table (any key of stats.json "metrics",
/// e.g. "tokens_per_second", later "joules_per_token" or "area_mm2", or a swept parameter key).
struct Objective {
  std::string metric;
  bool maximize = false;
};

/// A parsed, validated-in-shape sweep spec. Paths are absolute after parsing.
struct SweepSpec {
  std::string name;
  std::string origin;                 ///< the spec file (for messages)
  std::filesystem::path config_path;  ///< base config file; empty with an inline config
  nlohmann::json inline_config;       ///< base config object when given inline
  std::vector<ParameterAxis> parameters;
  std::vector<std::filesystem::path> workloads;  ///< resolved workload files
  std::vector<std::string> backends;             ///< "sim" (default), "rtl", "golden"
  std::string tier = "cycle";                    ///< "cycle" or "analytic"
  std::optional<uint64_t> sample_count;          ///< random sampling: points to draw
  uint64_t sample_seed = 1;
  std::vector<Objective> objectives;

  /// The spec as JSON with resolved paths (stored in the manifest).
  nlohmann::json to_json() const;
};

/// Most design points a sweep may have (grid or random samples): checked on parse, before any
/// point is expanded. 10^5 points are days of cycle-level runs already.
inline constexpr uint64_t kMaxSweepPoints = 100000;

/// The metrics an objective may name (besides a swept parameter key).
const std::vector<std::string>& sweep_metric_names();

/// Parses a spec document. `origin` names the file in messages; relative config and workload paths
/// are resolved against `base_dir` first, then (workloads) as preset names. Unknown keys, wrong
/// types, empty axes and bad objectives throw InputError with one line naming origin and key.
/// Config keys themselves are checked at expansion (sweep_expand.h), against the loaded config.
SweepSpec sweep_spec_from_json(const nlohmann::json& doc, const std::string& origin,
                               const std::filesystem::path& base_dir);
/// Reads and parses a spec file (malformed JSON is an InputError).
SweepSpec load_sweep_spec(const std::filesystem::path& path);

/// Parameter assignments (key -> value) of every design point of the spec, in a stable order:
/// the cartesian product of the axes (last axis fastest), or `sample_count` random draws with
/// `sample_seed` (mt19937_64, mapped to values without std distributions so the draws are the same
/// on every platform). kUniform axes outside random sampling are an InputError.
std::vector<nlohmann::ordered_json> parameter_assignments(const SweepSpec& spec);

}  // namespace lowbit
