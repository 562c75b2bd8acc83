// The sweep folder: manifest.json (every point), points/<id>/ (config, status, results, log).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "lowbit/sweep_point.h"
#include "lowbit/sweep_spec.h"

namespace lowbit {

/// The expanded sweep: the spec it came from and its points in expansion order.
struct SweepManifest {
  nlohmann::json spec;                  ///< SweepSpec::to_json()
  std::vector<std::string> parameters;  ///< swept keys, in spec order
  std::vector<Objective> objectives;
  std::vector<SweepPoint> points;
};

/// How a point's last run ended (points/<id>/status.json, written after the process exits).
struct PointStatus {
  std::string status;  ///< "ok" or "failed"
  int exit_code = 0;   ///< process exit code; -N when killed by signal N
  double seconds = 0;  ///< wall time of the process
  std::string host;
  /// "process": a `lowbit run` / `lowbit estimate` process of its own (local or Slurm);
  /// "in-process": estimated inside the sweep's process (analytic tier).
  std::string runner = "process";
  nlohmann::ordered_json to_json() const;
};

/// Paths inside a sweep folder.
class SweepDir {
 public:
  explicit SweepDir(std::filesystem::path root) : m_root(std::move(root)) {}
  const std::filesystem::path& root() const { return m_root; }
  std::filesystem::path manifest() const { return m_root / "manifest.json"; }
  std::filesystem::path point(const std::string& id) const { return m_root / "points" / id; }
  std::filesystem::path config(const std::string& id) const { return point(id) / "config.json"; }
  std::filesystem::path status(const std::string& id) const { return point(id) / "status.json"; }
  std::filesystem::path stats(const std::string& id) const { return point(id) / "stats.json"; }
  std::filesystem::path result(const std::string& id) const { return point(id) / "result.json"; }
  std::filesystem::path log(const std::string& id) const { return point(id) / "log.txt"; }

  /// Writes the manifest and every point's config.json, each atomically (configs first, so a
  /// manifest never names a point without its config).
  void write_manifest(const SweepManifest& m) const;
  /// Reads manifest.json; a missing or malformed file is an InputError.
  SweepManifest read_manifest() const;
  /// The point's last status, if it has one that parses.
  std::optional<PointStatus> read_status(const std::string& id) const;
  /// Records how a run ended (atomically).
  void write_status(const std::string& id, const PointStatus& s) const;
  /// Finished: status "ok" and its stats.json present. --resume skips exactly these.
  bool finished(const std::string& id) const;
  /// The points of `points` that are not finished, in order; `skipped` counts the others.
  std::vector<const SweepPoint*> unfinished(const std::vector<SweepPoint>& points,
                                            size_t& skipped) const;

 private:
  std::filesystem::path m_root;
};

}  // namespace lowbit
