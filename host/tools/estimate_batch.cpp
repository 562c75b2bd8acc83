// Batch mode of `lowbit estimate`: read and validate every point, then estimate them in order.
#include "estimate_batch.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <system_error>

#include "lowbit/error.h"
#include "lowbit/run_metrics.h"
#include "lowbit/sweep_analytic.h"
#include "run_inputs.h"

namespace lowbit {
namespace {

namespace fs = std::filesystem;

const std::set<std::string>& point_keys() {
  static const std::set<std::string> keys = {
      "config", "set", "workload", "m", "n", "k", "weights", "activations", "group", "context"};
  return keys;
}

std::string allowed_keys() {
  std::string s;
  for (const auto& k : point_keys()) s += (s.empty() ? "" : ", ") + k;
  return s;
}

template <typename T>
T value_of(const nlohmann::json& v, const std::string& where, const char* what) {
  try {
    return v.get<T>();
  } catch (const nlohmann::json::exception&) {
    throw InputError(
        fmt::format("{}: {} is {}; allowed: {}", where, v.dump(), v.type_name(), what));
  }
}

int int_value(const nlohmann::json& v, const std::string& where, int lo) {
  if (!v.is_number_integer()) {
    throw InputError(fmt::format("{}: {}; allowed: an integer >= {}", where, v.dump(), lo));
  }
  const auto x = v.get<int64_t>();
  if (x < lo || x > 1'000'000'000) {
    throw InputError(
        fmt::format("{}: {} is out of range; allowed: an integer in [{}, 1e9]", where, x, lo));
  }
  return static_cast<int>(x);
}

// A point's options as the command line would give them.
WorkloadOptions options_of(const nlohmann::json& p, const std::string& where, const fs::path& dir) {
  if (!p.is_object()) {
    throw InputError(fmt::format("{}: {} is not an object; allowed: an object with keys {}", where,
                                 p.type_name(), allowed_keys()));
  }
  WorkloadOptions o;
  for (const auto& [key, v] : p.items()) {
    const std::string at = fmt::format("{}: {}", where, key);
    if (!point_keys().contains(key)) {
      throw InputError(fmt::format("{}: unknown key; allowed: {}", at, allowed_keys()));
    }
    if (key == "config") {
      const fs::path f = value_of<std::string>(v, at, "a config file");
      const fs::path near = dir / f;
      std::error_code ec;  // a name the OS refuses (too long, ...) is no file
      o.config = f.is_relative() && fs::exists(near, ec) ? near.string() : f.string();
      if (!fs::is_regular_file(o.config, ec)) {
        throw InputError(
            fmt::format("{}: '{}' is not a file; allowed: a config file", at, f.string()));
      }
    } else if (key == "set") {
      o.sets = value_of<std::vector<std::string>>(v, at, "a list of \"key.path=value\" strings");
    } else if (key == "workload") {
      const std::string w = value_of<std::string>(v, at, "a workload file or preset name");
      const fs::path near = dir / w;
      std::error_code ec;
      o.workload = fs::path(w).is_relative() && fs::exists(near, ec) ? near.string() : w;
    } else if (key == "m") {
      o.m = int_value(v, at, 1);
    } else if (key == "n") {
      o.n = int_value(v, at, 1);
    } else if (key == "k") {
      o.k = int_value(v, at, 1);
    } else if (key == "group") {
      o.group = int_value(v, at, 0);
    } else if (key == "context") {
      o.context = int_value(v, at, 1);
    } else if (key == "weights") {
      o.weights = value_of<std::string>(v, at, "a weight format (lowbit formats)");
    } else if (key == "activations") {
      o.activations = value_of<std::string>(v, at, "int8, fp16, fp8_e4m3 or fp8_e5m2");
    }
  }
  return o;
}

}  // namespace

std::vector<BatchPoint> read_estimate_batch(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("{}: cannot read; allowed: a readable batch file", path));
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(fmt::format("{}: not JSON ({}); allowed: {{\"points\": [...]}}", path,
                                 std::string(e.what()).substr(0, 120)));
  }
  if (!doc.is_object() || !doc.contains("points") || !doc["points"].is_array()) {
    throw InputError(
        fmt::format("{}: points: missing or not a list; allowed: {{\"points\": "
                    "[{{\"config\": ..., \"m\": ..., ...}}, ...]}}",
                    path));
  }
  for (const auto& [key, v] : doc.items()) {
    if (key != "points" && key != "description") {
      throw InputError(fmt::format("{}: {}: unknown key; allowed: points, description", path, key));
    }
  }
  const fs::path dir = fs::path(path).parent_path();
  // Points of one design (config file and overrides) share its parsed config.
  std::map<std::string, HwConfig> configs;
  std::vector<BatchPoint> points;
  points.reserve(doc["points"].size());
  for (size_t i = 0; i < doc["points"].size(); ++i) {
    const std::string where = fmt::format("{}: points[{}]", path, i);
    const WorkloadOptions o = options_of(doc["points"][i], where, dir);
    try {
      std::string key = o.config;
      for (const auto& s : o.sets) key += '\n' + s;
      auto it = configs.find(key);
      if (it == configs.end()) it = configs.emplace(key, config_from_options(o)).first;
      points.push_back({it->second, workload_from_options(o)});
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}: {}", where, e.what()));
    }
  }
  return points;
}

std::string estimate_batch_jsonl(const std::vector<BatchPoint>& points) {
  std::string out;
  for (size_t i = 0; i < points.size(); ++i) {
    RunRecord r;
    try {
      r = estimate_run(points[i].hw, points[i].workload);
    } catch (const InputError& e) {
      throw InputError(fmt::format("points[{}]: {}", i, e.what()));
    }
    nlohmann::ordered_json row = {{"point", i}, {"metrics", to_json(*r.metrics)}};
    out += row.dump();
    out += '\n';
  }
  return out;
}

}  // namespace lowbit
