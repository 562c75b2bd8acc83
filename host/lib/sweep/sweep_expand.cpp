// Sweep expansion: assignments applied to the base config, validated, hashed into point ids.
#include "lowbit/sweep_expand.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <set>

#include "lowbit/config_override.h"
#include "lowbit/error.h"
#include "lowbit/workload.h"
#include "model/arch/hw_config.h"
#include "model/json/json_input.h"

namespace lowbit {
namespace {

nlohmann::json read_json(const std::filesystem::path& p) {
  try {
    return read_json_input(p);
  } catch (const JsonInputError& e) {
    throw InputError(e.what());
  }
}

std::string assignment(const std::string& key, const nlohmann::ordered_json& v) {
  return key + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
}

// A config error message from --set, reworded for a spec: "<spec>: parameters: <key>: ...".
std::string for_spec(std::string msg, const std::string& origin) {
  const std::string tag = ": --set ";
  const size_t at = msg.find(tag);
  if (at != std::string::npos) msg = origin + ": parameters: " + msg.substr(at + tag.size());
  return msg;
}

struct Workloads {
  std::vector<std::pair<std::string, nlohmann::json>> docs;  // name, document
};

Workloads load_workloads(const SweepSpec& spec) {
  Workloads w;
  for (const auto& p : spec.workloads) {
    nlohmann::json doc = read_json(p);
    const Workload parsed = workload_from_json(doc, p.string());  // validates
    w.docs.emplace_back(parsed.name, std::move(doc));
  }
  return w;
}

}  // namespace

SweepManifest expand_sweep(const SweepSpec& spec, const std::string& tier) {
  SweepManifest m;
  m.spec = spec.to_json();
  for (const auto& a : spec.parameters) m.parameters.push_back(a.key);
  m.objectives = spec.objectives;
  HwConfig base;
  try {
    base = spec.config_path.empty()
               ? hw_config_from_json(spec.inline_config, spec.origin + ": config")
               : load_hw_config(spec.config_path.string());
  } catch (const ConfigError& e) {
    throw InputError(e.what());
  }
  const nlohmann::json base_json = base.to_json();
  const Workloads workloads = load_workloads(spec);
  const std::vector<std::string> backends =
      tier == "analytic" ? std::vector<std::string>{"analytic"} : spec.backends;
  std::set<std::string> seen;
  for (const auto& params : parameter_assignments(spec)) {
    nlohmann::json cfg = base_json;
    std::vector<std::string> sets;
    for (const auto& [k, v] : params.items()) sets.push_back(assignment(k, v));
    try {
      apply_overrides(cfg, sets, spec.origin);
      const HwConfig hw = hw_config_from_json(cfg, spec.origin + ": parameters");
      cfg = hw.to_json();  // canonical: every key, the parser's types
    } catch (const InputError& e) {
      throw InputError(for_spec(e.what(), spec.origin));
    } catch (const ConfigError& e) {
      throw InputError(fmt::format("{} (point {})", e.what(), params.dump()));
    }
    for (size_t wi = 0; wi < workloads.docs.size(); ++wi) {
      const auto& [wname, wdoc] = workloads.docs[wi];
      for (const auto& b : backends) {
        SweepPoint p;
        p.tier = tier;
        p.backend = b;
        p.workload = wname;
        p.workload_path = spec.workloads[wi];
        p.params = params;
        p.config = cfg;
        assign_point_ids(p, wdoc);
        if (seen.insert(p.id).second) m.points.push_back(std::move(p));
      }
    }
  }
  return m;
}

std::vector<SweepPoint> retier_points(const std::vector<SweepPoint>& points,
                                      const std::string& tier,
                                      const std::vector<std::string>& backends) {
  std::vector<SweepPoint> out;
  std::set<std::string> seen;
  std::map<std::string, nlohmann::json> docs;
  const std::vector<std::string> bs =
      tier == "analytic" ? std::vector<std::string>{"analytic"} : backends;
  for (const auto& p : points) {
    auto it = docs.find(p.workload_path.string());
    if (it == docs.end())
      it = docs.emplace(p.workload_path.string(), read_json(p.workload_path)).first;
    for (const auto& b : bs) {
      SweepPoint q = p;
      q.tier = tier;
      q.backend = b;
      assign_point_ids(q, it->second);
      if (seen.insert(q.id).second) out.push_back(std::move(q));
    }
  }
  return out;
}

}  // namespace lowbit
