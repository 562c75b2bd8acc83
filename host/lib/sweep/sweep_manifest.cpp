// The sweep folder on disk: manifest, per-point configs and status records.
#include "lowbit/sweep_manifest.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <system_error>

#include "lowbit/atomic_file.h"
#include "lowbit/error.h"
#include "model/json/json_input.h"

namespace lowbit {

nlohmann::ordered_json PointStatus::to_json() const {
  return {{"status", status},
          {"exit_code", exit_code},
          {"seconds", seconds},
          {"host", host},
          {"runner", runner}};
}

void SweepDir::write_manifest(const SweepManifest& m) const {
  nlohmann::ordered_json j;
  j["version"] = 1;
  j["spec"] = m.spec;
  j["parameters"] = m.parameters;
  j["objectives"] = nlohmann::ordered_json::array();
  for (const auto& o : m.objectives) {
    j["objectives"].push_back(
        {{"metric", o.metric}, {"goal", o.maximize ? "maximize" : "minimize"}});
  }
  j["points"] = nlohmann::ordered_json::array();
  for (const auto& p : m.points) {
    std::filesystem::create_directories(point(p.id));
    if (!p.config.is_null()) write_file_atomic(config(p.id), p.config.dump(2) + "\n");
    j["points"].push_back(p.to_json());
  }
  write_file_atomic(manifest(), j.dump(2) + "\n");
}

SweepManifest SweepDir::read_manifest() const {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(manifest(), ec)) {
    throw InputError(fmt::format("{}: (file): no sweep manifest here; allowed: a sweep folder",
                                 manifest().string()));
  }
  SweepManifest m;
  try {
    const nlohmann::json j = read_json_input(manifest());
    m.spec = j.at("spec");
    m.parameters = j.at("parameters").get<std::vector<std::string>>();
    for (const auto& o : j.at("objectives")) {
      m.objectives.push_back({o.at("metric").get<std::string>(), o.at("goal") == "maximize"});
    }
    for (const auto& p : j.at("points")) m.points.push_back(SweepPoint::from_json(p));
  } catch (const JsonInputError& e) {
    throw InputError(e.what());
  } catch (const nlohmann::json::exception& e) {
    throw InputError(
        fmt::format("{}: (file): malformed manifest ({}); allowed: the manifest "
                    "`lowbit sweep` writes",
                    manifest().string(), e.what()));
  }
  return m;
}

std::optional<PointStatus> SweepDir::read_status(const std::string& id) const {
  std::ifstream in(status(id));
  if (!in) return std::nullopt;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    PointStatus s;
    s.status = j.at("status").get<std::string>();
    s.exit_code = j.at("exit_code").get<int>();
    s.seconds = j.at("seconds").get<double>();
    s.host = j.value("host", "");
    s.runner = j.value("runner", "process");
    return s;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

void SweepDir::write_status(const std::string& id, const PointStatus& s) const {
  write_file_atomic(status(id), s.to_json().dump(2) + "\n");
}

bool SweepDir::finished(const std::string& id) const {
  const auto s = read_status(id);
  return s && s->status == "ok" && std::filesystem::exists(stats(id));
}

std::vector<const SweepPoint*> SweepDir::unfinished(const std::vector<SweepPoint>& points,
                                                    size_t& skipped) const {
  std::vector<const SweepPoint*> todo;
  for (const auto& p : points) {
    if (finished(p.id)) {
      ++skipped;
    } else {
      todo.push_back(&p);
    }
  }
  return todo;
}

}  // namespace lowbit
