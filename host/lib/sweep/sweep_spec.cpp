// Parsing of the sweep spec JSON and the parameter assignments it describes.
#include "lowbit/sweep_spec.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <set>
#include <system_error>

#include "lowbit/error.h"
#include "lowbit/run_metrics.h"
#include "lowbit/workload.h"
#include "model/json/json_input.h"

namespace lowbit {
namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& origin, std::string_view key, std::string_view msg) {
  throw InputError(fmt::format("{}: {}: {}", origin, key, msg));
}

void check_keys(const json& obj, const std::set<std::string>& allowed, const std::string& origin,
                std::string_view where) {
  for (const auto& [k, v] : obj.items()) {
    if (!allowed.count(k)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail(origin, where.empty() ? k : fmt::format("{}.{}", where, k),
           fmt::format("unknown key; allowed: {}", list));
    }
  }
}

double number(const json& obj, const char* name, const std::string& origin, std::string_view key) {
  if (!obj.contains(name) || !obj[name].is_number()) {
    fail(origin, fmt::format("{}.{}", key, name), "missing or not a number; allowed: a number");
  }
  return obj[name].get<double>();
}

// An integer >= 0 of any 64-bit size (parsed text gives unsigned numbers, a json built in code
// a signed one).
bool non_negative_integer(const json& x) {
  return x.is_number_unsigned() || (x.is_number_integer() && x.get<int64_t>() >= 0);
}

// Integer bounds of a range or uniform axis are computed in int64 (start + i * step,
// max - min + 1): they must be integers a double holds exactly, |x| <= 2^53, so that no
// conversion or sum overflows (a step of 1.3e19 was undefined behaviour, found by fuzz_sweep_spec).
constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53
void check_exact_integer(const json& obj, const char* name, const std::string& origin,
                         std::string_view where) {
  if (std::fabs(obj[name].get<double>()) > kMaxExactInteger) {
    fail(origin, fmt::format("{}.{}", where, name),
         fmt::format("{} is out of range; allowed: an integer of magnitude <= 2^53 "
                     "(9007199254740992), or a number with a fraction for a real-valued axis",
                     obj[name].dump()));
  }
}

ParameterAxis parse_axis(const std::string& key, const json& v, const std::string& origin) {
  ParameterAxis a;
  a.key = key;
  const std::string where = "parameters." + key;
  if (v.is_array()) {
    if (v.empty()) fail(origin, where, "empty list; allowed: at least one value");
    a.kind = ParameterAxis::Kind::kList;
    for (const auto& e : v) {
      if (e.is_object() || e.is_null())
        fail(origin, where,
             "a list value is an object or null; allowed: numbers, strings, "
             "booleans or arrays");
      a.values.push_back(e);
    }
    return a;
  }
  if (!v.is_object()) {
    fail(origin, where, "allowed: a list of values, {start, stop, step} or {min, max}");
  }
  if (v.contains("min") || v.contains("max")) {
    check_keys(v, {"min", "max"}, origin, where);
    a.kind = ParameterAxis::Kind::kUniform;
    a.min = number(v, "min", origin, where);
    a.max = number(v, "max", origin, where);
    a.integer = v["min"].is_number_integer() && v["max"].is_number_integer();
    if (a.integer) {
      check_exact_integer(v, "min", origin, where);
      check_exact_integer(v, "max", origin, where);
    }
    if (!(a.min <= a.max)) fail(origin, where, "min > max; allowed: min <= max");
    return a;
  }
  check_keys(v, {"start", "stop", "step"}, origin, where);
  a.kind = ParameterAxis::Kind::kRange;
  const double start = number(v, "start", origin, where);
  const double stop = number(v, "stop", origin, where);
  const double step = v.contains("step") ? number(v, "step", origin, where) : 1.0;
  if (!(step > 0) || !std::isfinite(step)) fail(origin, where + ".step", "allowed: a number > 0");
  if (!(start <= stop)) fail(origin, where, "start > stop; allowed: start <= stop");
  const double span = (stop - start) / step;
  if (span > 1e6) fail(origin, where, "more than 10^6 values; allowed: a larger step");
  const bool ints = v["start"].is_number_integer() && v["stop"].is_number_integer() &&
                    (!v.contains("step") || v["step"].is_number_integer());
  if (ints) {
    check_exact_integer(v, "start", origin, where);
    check_exact_integer(v, "stop", origin, where);
    if (v.contains("step")) check_exact_integer(v, "step", origin, where);
  }
  const auto count = static_cast<int64_t>(std::floor(span + 1e-9)) + 1;
  for (int64_t i = 0; i < count; ++i) {
    if (ints) {
      a.values.push_back(v["start"].get<int64_t>() + i * static_cast<int64_t>(step));
    } else {
      // Multiply (not accumulate) so 0.1 steps do not drift; round off the binary noise.
      const double x = start + static_cast<double>(i) * step;
      a.values.push_back(std::round(x * 1e12) / 1e12);
    }
  }
  return a;
}

std::filesystem::path resolve_in(const std::filesystem::path& base, const std::string& p) {
  std::filesystem::path path(p);
  std::error_code ec;  // a name the OS refuses (too long, ...) is not there: the caller says so
  if (path.is_relative() && std::filesystem::exists(base / path, ec)) path = base / path;
  return std::filesystem::absolute(path).lexically_normal();
}

// A uniform double in [0, 1) from the top 53 bits (the same on every platform).
double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// A string member: `fallback` when absent, an InputError naming the key for another JSON type.
std::string optional_string(const json& obj, const char* key, const std::string& fallback,
                            const std::string& origin, const std::string& where = "") {
  if (!obj.contains(key)) return fallback;
  if (!obj[key].is_string()) {
    fail(origin, where + key,
         fmt::format("{} is not a string; allowed: a string", obj[key].dump()));
  }
  return obj[key].get<std::string>();
}

}  // namespace

const std::vector<std::string>& sweep_metric_names() {
  // The numeric keys of a run record's metrics (lowbit/run_metrics.h): one list of names for the
  // run, the estimate, the report and the sweep.
  return run_metric_names();
}

SweepSpec sweep_spec_from_json(const json& doc, const std::string& origin,
                               const std::filesystem::path& base_dir) {
  if (!doc.is_object()) fail(origin, "(top)", "a sweep spec is a JSON object");
  check_keys(doc,
             {"name", "description", "config", "parameters", "workloads", "backends", "tier",
              "sample", "objectives"},
             origin, "");
  SweepSpec s;
  s.origin = origin;
  s.name = optional_string(doc, "name", std::filesystem::path(origin).stem().string(), origin);
  if (!doc.contains("config")) fail(origin, "config", "missing; allowed: a config file or object");
  if (doc["config"].is_string()) {
    s.config_path = resolve_in(base_dir, doc["config"].get<std::string>());
    std::error_code ec;  // a name the OS refuses (too long, ...) is no file
    if (!std::filesystem::is_regular_file(s.config_path, ec)) {
      fail(origin, "config",
           fmt::format("no such file '{}'; allowed: a config file (relative to the spec) or an "
                       "inline config object",
                       doc["config"].get<std::string>()));
    }
  } else if (doc["config"].is_object()) {
    s.inline_config = doc["config"];
  } else {
    fail(origin, "config", "allowed: a config file path or an inline config object");
  }
  if (doc.contains("parameters")) {
    if (!doc["parameters"].is_object())
      fail(origin, "parameters", "allowed: an object key -> values");
    // Keep the spec's order of axes (nlohmann::json sorts; re-read as ordered).
    const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(doc["parameters"].dump());
    for (const auto& [k, v] : ordered.items()) {
      s.parameters.push_back(parse_axis(k, json::parse(v.dump()), origin));
    }
  }
  if (!doc.contains("workloads") || !doc["workloads"].is_array() || doc["workloads"].empty()) {
    fail(origin, "workloads",
         "missing or empty; allowed: a list of workload files or preset names");
  }
  for (const auto& w : doc["workloads"]) {
    if (!w.is_string()) fail(origin, "workloads", "allowed: file paths or preset names (strings)");
    const std::string name = w.get<std::string>();
    const std::filesystem::path local = base_dir / name;
    std::error_code ec;  // a name the OS refuses (too long, ...): not a file here, try a preset
    if (std::filesystem::path(name).is_relative() && std::filesystem::is_regular_file(local, ec)) {
      s.workloads.push_back(std::filesystem::absolute(local).lexically_normal());
    } else {
      try {
        s.workloads.push_back(std::filesystem::absolute(resolve_workload(name)).lexically_normal());
      } catch (const InputError& e) {
        fail(origin, "workloads", e.what());
      }
    }
  }
  s.backends = {"sim"};
  if (doc.contains("backends")) {
    if (!doc["backends"].is_array() || doc["backends"].empty()) {
      fail(origin, "backends", "allowed: a non-empty list of sim, rtl, golden");
    }
    s.backends.clear();
    for (const auto& b : doc["backends"]) {
      if (!b.is_string() || (b != "sim" && b != "rtl" && b != "golden")) {
        fail(origin, "backends",
             fmt::format("'{}' is not a backend; allowed: sim, rtl, golden",
                         b.is_string() ? b.get<std::string>() : b.dump()));
      }
      s.backends.push_back(b.get<std::string>());
    }
  }
  s.tier = optional_string(doc, "tier", "cycle", origin);
  if (s.tier != "cycle" && s.tier != "analytic") {
    fail(origin, "tier", fmt::format("'{}'; allowed: cycle, analytic", s.tier));
  }
  if (doc.contains("sample")) {
    const json& sm = doc["sample"];
    if (!sm.is_object()) fail(origin, "sample", "allowed: {\"count\": N, \"seed\": S}");
    check_keys(sm, {"count", "seed"}, origin, "sample");
    if (!sm.contains("count") || !non_negative_integer(sm["count"]) ||
        sm["count"].get<uint64_t>() < 1) {
      fail(origin, "sample.count", fmt::format("allowed: an integer in [1, {}]", kMaxSweepPoints));
    }
    s.sample_count = sm["count"].get<uint64_t>();
    if (*s.sample_count > kMaxSweepPoints) {
      fail(origin, "sample.count",
           fmt::format("{} points; allowed: an integer in [1, {}]", *s.sample_count,
                       kMaxSweepPoints));
    }
    if (sm.contains("seed")) {
      // Any unsigned 64-bit integer.
      if (!non_negative_integer(sm["seed"]))
        fail(origin, "sample.seed", "allowed: an integer in [0, 2^64 - 1]");
      s.sample_seed = sm["seed"].get<uint64_t>();
    }
  }
  if (!doc.contains("objectives") || !doc["objectives"].is_array() || doc["objectives"].empty()) {
    fail(origin, "objectives",
         "missing or empty; allowed: a list of {\"metric\": key, \"goal\": minimize|maximize}");
  }
  std::set<std::string> seen;
  for (const auto& o : doc["objectives"]) {
    if (!o.is_object()) fail(origin, "objectives", "allowed: {\"metric\": key, \"goal\": ...}");
    check_keys(o, {"metric", "goal"}, origin, "objectives[]");
    if (!o.contains("metric") || !o["metric"].is_string() ||
        o["metric"].get<std::string>().empty()) {
      fail(origin, "objectives[].metric",
           "missing; allowed: a metrics key such as tokens_per_second");
    }
    const std::string goal = optional_string(o, "goal", "maximize", origin, "objectives[].");
    if (goal != "minimize" && goal != "maximize") {
      fail(origin, "objectives[].goal", fmt::format("'{}'; allowed: minimize, maximize", goal));
    }
    Objective ob{o["metric"].get<std::string>(), goal == "maximize"};
    if (!seen.insert(ob.metric).second)
      fail(origin, "objectives", "metric '" + ob.metric + "' twice; allowed: each metric once");
    const auto& known = sweep_metric_names();
    const bool is_metric = std::find(known.begin(), known.end(), ob.metric) != known.end();
    const bool is_param = doc.contains("parameters") && doc["parameters"].is_object() &&
                          doc["parameters"].contains(ob.metric);
    if (!is_metric && !is_param) {
      fail(origin, "objectives[].metric",
           fmt::format("'{}' is neither a metric nor a swept parameter; allowed: {}, or a key of "
                       "\"parameters\"",
                       ob.metric, fmt::join(known, ", ")));
    }
    s.objectives.push_back(ob);
  }
  // The whole grid is counted before anything is expanded: 10^9 points must fail here, not in
  // std::bad_alloc.
  if (!s.sample_count) {
    double points = static_cast<double>(s.workloads.size() * s.backends.size());
    for (const auto& a : s.parameters)
      points *= static_cast<double>(std::max<size_t>(1, a.values.size()));
    if (points > kMaxSweepPoints) {
      fail(origin, "parameters",
           fmt::format("the grid has {:.0f} points (axes x workloads x backends); allowed: at most "
                       "{}, or random \"sample\"",
                       points, kMaxSweepPoints));
    }
  }
  for (const auto& a : s.parameters) {
    if (a.kind == ParameterAxis::Kind::kUniform && !s.sample_count) {
      fail(origin, "parameters." + a.key,
           "{min, max} needs random sampling; allowed: a \"sample\": {\"count\", \"seed\"} entry, "
           "or a list / {start, stop, step}");
    }
  }
  return s;
}

SweepSpec load_sweep_spec(const std::filesystem::path& path) {
  json doc;
  try {
    doc = read_json_input(path);
  } catch (const JsonInputError& e) {
    throw InputError(e.what());
  }
  return sweep_spec_from_json(doc, path.string(), path.parent_path());
}

json SweepSpec::to_json() const {
  json j = {{"name", name}, {"tier", tier}, {"backends", backends}};
  if (!config_path.empty()) {
    j["config"] = config_path.string();
  } else {
    j["config"] = inline_config;
  }
  json params = json::object();
  for (const auto& a : parameters) {
    if (a.kind == ParameterAxis::Kind::kUniform) {
      params[a.key] = {{"min", a.min}, {"max", a.max}};
    } else {
      params[a.key] = a.values;
    }
  }
  j["parameters"] = params;
  j["workloads"] = json::array();
  for (const auto& w : workloads) j["workloads"].push_back(w.string());
  if (sample_count) j["sample"] = {{"count", *sample_count}, {"seed", sample_seed}};
  j["objectives"] = json::array();
  for (const auto& o : objectives) {
    j["objectives"].push_back(
        {{"metric", o.metric}, {"goal", o.maximize ? "maximize" : "minimize"}});
  }
  return j;
}

std::vector<nlohmann::ordered_json> parameter_assignments(const SweepSpec& spec) {
  std::vector<nlohmann::ordered_json> out;
  const auto& axes = spec.parameters;
  if (spec.sample_count) {
    std::mt19937_64 rng(spec.sample_seed);
    for (uint64_t i = 0; i < *spec.sample_count; ++i) {
      nlohmann::ordered_json a = nlohmann::ordered_json::object();
      for (const auto& ax : axes) {
        if (ax.kind == ParameterAxis::Kind::kUniform) {
          const double u = unit(rng);
          if (ax.integer) {
            const auto lo = static_cast<int64_t>(ax.min), hi = static_cast<int64_t>(ax.max);
            const auto span = static_cast<double>(hi - lo + 1);
            a[ax.key] = lo + std::min<int64_t>(hi - lo, static_cast<int64_t>(u * span));
          } else {
            a[ax.key] = ax.min + u * (ax.max - ax.min);
          }
        } else {
          const auto n = static_cast<double>(ax.values.size());
          const auto idx = std::min(ax.values.size() - 1, static_cast<size_t>(unit(rng) * n));
          a[ax.key] = ax.values[idx];
        }
      }
      out.push_back(std::move(a));
    }
    return out;
  }
  // Cartesian product, last axis fastest (an odometer over the value indices).
  std::vector<size_t> idx(axes.size(), 0);
  while (true) {
    nlohmann::ordered_json a = nlohmann::ordered_json::object();
    for (size_t i = 0; i < axes.size(); ++i) a[axes[i].key] = axes[i].values[idx[i]];
    out.push_back(std::move(a));
    size_t i = axes.size();
    while (i > 0) {
      --i;
      if (++idx[i] < axes[i].values.size()) break;
      idx[i] = 0;
      if (i == 0) return out;
    }
    if (axes.empty()) return out;
  }
}

}  // namespace lowbit
