// `--set key.path=value` overrides: key lookup with suggestions, value parsing by the leaf's type.
#include "lowbit/config_override.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <system_error>
#include <tuple>

#include "lowbit/error.h"
#include "model/arch/dram_presets.h"
#include "model/json/json_input.h"

namespace lowbit {
namespace {

using nlohmann::json;

// How many keys an error lists before it says how many more there are.
constexpr size_t kListedKeys = 8;

[[noreturn]] void fail(const std::string& origin, std::string_view key, const std::string& msg) {
  throw InputError(fmt::format("{}: --set {}: {}", origin, key, msg));
}

void collect_leaves(const json& node, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [key, value] : node.items()) {
    std::string path = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object()) {
      collect_leaves(value, path, out);
    } else {
      out.push_back(std::move(path));
    }
  }
}

std::string_view last_component(std::string_view path) {
  const size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

std::vector<std::string_view> split_path(std::string_view key) {
  std::vector<std::string_view> parts;
  size_t begin = 0;
  while (true) {
    const size_t dot = key.find('.', begin);
    parts.push_back(key.substr(begin, dot == std::string_view::npos ? dot : dot - begin));
    if (dot == std::string_view::npos) return parts;
    begin = dot + 1;
  }
}

// "a, b, c, ... (12 in all)" from the first kListedKeys of `keys`.
std::string list_keys(const std::vector<std::string>& keys) {
  if (keys.empty()) return "(none)";
  if (keys.size() <= kListedKeys) return fmt::format("{}", fmt::join(keys, ", "));
  return fmt::format("{}, ... ({} in all)",
                     fmt::join(keys.begin(), keys.begin() + kListedKeys, ", "), keys.size());
}

// `latency` for `latency_cycles`: a last component typed short (3 characters at least).
bool cut_short(std::string_view typed, std::string_view leaf_last) {
  return typed.size() >= 3 && typed.size() < leaf_last.size() &&
         leaf_last.substr(0, typed.size()) == typed;
}

// A leaf ranked against the unknown key: the smaller of the distance over the whole dotted path
// and the distance over the last component (so `bandwidth_gbps` finds `top.dram.bandwidth_gbps`);
// ties go to the nearer full path, then to the alphabetically first.
struct Candidate {
  size_t score;
  size_t full;
  std::string path;
  bool operator<(const Candidate& o) const {
    return std::tie(score, full, path) < std::tie(o.score, o.full, o.path);
  }
};

std::vector<Candidate> rank(const std::vector<std::string>& leaves, std::string_view key) {
  std::vector<Candidate> out;
  out.reserve(leaves.size());
  for (const std::string& leaf : leaves) {
    const size_t full = edit_distance(key, leaf);
    size_t last = edit_distance(last_component(key), last_component(leaf));
    if (cut_short(last_component(key), last_component(leaf))) last = std::min<size_t>(last, 1);
    out.push_back({std::min(full, last), full, leaf});
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Close enough to suggest: a typo or two in the path or in its last component (a right last
// component under the wrong parent, or one cut short, counts as at most one typo).
bool close_enough(const Candidate& c, std::string_view key) {
  const size_t full_budget = std::max<size_t>(2, key.size() / 3);
  const size_t last_budget = std::max<size_t>(1, last_component(key).size() / 3);
  return c.full <= full_budget || c.score <= last_budget;
}

[[noreturn]] void fail_unknown(const json& config, std::string_view key, const json& deepest,
                               const std::string& deepest_path, const std::string& origin) {
  const std::vector<std::string> all = leaf_paths(config);
  const std::vector<Candidate> ranked = rank(all, key);
  std::string msg = "unknown key";
  if (!ranked.empty() && close_enough(ranked.front(), key)) {
    msg += fmt::format("; did you mean '{}'?", ranked.front().path);
  } else {
    msg += ";";
  }
  // List the leaves under the deepest object the key did reach, nearest first.
  std::vector<std::string> scope;
  if (!deepest_path.empty()) {
    collect_leaves(deepest, deepest_path, scope);
  }
  if (scope.empty()) scope = all;
  std::vector<std::string> listed;
  for (const Candidate& c : rank(scope, key)) listed.push_back(c.path);
  msg += " allowed: " + list_keys(listed);
  fail(origin, key, msg);
}

std::string quoted(std::string_view value) { return fmt::format("'{}'", value); }

json parse_integer(std::string_view text, const json& current, std::string_view key,
                   const std::string& origin) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  int64_t signed_value = 0;
  auto [ptr, ec] = std::from_chars(first, last, signed_value);
  if (ec == std::errc() && ptr == last) {
    return signed_value < 0 ? json(signed_value) : json(static_cast<uint64_t>(signed_value));
  }
  if (ec == std::errc::result_out_of_range && !text.empty() && text.front() != '-') {
    uint64_t unsigned_value = 0;
    auto [uptr, uec] = std::from_chars(first, last, unsigned_value);
    if (uec == std::errc() && uptr == last) return json(unsigned_value);
  }
  if (ec == std::errc::result_out_of_range) {
    fail(origin, key,
         fmt::format("{} is out of range for an integer; allowed: an integer in [{}, {}] "
                     "(current value {})",
                     quoted(text), INT64_MIN, UINT64_MAX, current.dump()));
  }
  fail(origin, key,
       fmt::format("{} is not an integer; allowed: a decimal integer (current value {})",
                   quoted(text), current.dump()));
}

json parse_floating(std::string_view text, const json& current, std::string_view key,
                    const std::string& origin) {
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(value)) {
    return json(value);
  }
  const bool parsed_whole = ec == std::errc() && ptr == text.data() + text.size();
  const char* problem = ec == std::errc::result_out_of_range ? "is out of the double range"
                        : parsed_whole                       ? "is not a finite number"
                                                             : "is not a number";
  fail(origin, key,
       fmt::format("{} {}; allowed: a decimal number such as 0.5 or 1e9 (current value {})",
                   quoted(text), problem, current.dump()));
}

// A JSON literal given on the command line is held to the same nesting limit as a file.
void check_depth(std::string_view text, const json& current, std::string_view key,
                 const std::string& origin) {
  if (json_nesting_depth(text) > kMaxJsonDepth) {
    fail(origin, key,
         fmt::format("the value is nested deeper than {} levels; allowed: at most {} levels "
                     "(current value {})",
                     kMaxJsonDepth, kMaxJsonDepth, current.dump()));
  }
}

json parse_value(std::string_view text, const json& current, std::string_view key,
                 const std::string& origin) {
  switch (current.type()) {
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return parse_integer(text, current, key, origin);
    case json::value_t::number_float:
      return parse_floating(text, current, key, origin);
    case json::value_t::boolean:
      if (text == "true") return true;
      if (text == "false") return false;
      fail(origin, key,
           fmt::format("{} is not a boolean; allowed: true, false (current value {})", quoted(text),
                       current.dump()));
    case json::value_t::string:
      return std::string(text);
    case json::value_t::array: {
      check_depth(text, current, key, origin);
      json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_array()) return parsed;
      fail(origin, key,
           fmt::format("{} is not a JSON array; allowed: a JSON array such as [1,2] "
                       "(current value {})",
                       quoted(text), current.dump()));
    }
    case json::value_t::null: {
      check_depth(text, current, key, origin);
      json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_number() || parsed.is_boolean() || parsed.is_null()) return parsed;
      return std::string(text);
    }
    default:
      break;
  }
  throw std::logic_error(fmt::format("apply_override: unexpected JSON type at {}", key));
}

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  // One row of the (|a|+1) x (|b|+1) table at a time.
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::vector<std::string> leaf_paths(const nlohmann::json& config) {
  std::vector<std::string> out;
  if (config.is_object()) collect_leaves(config, "", out);
  return out;
}

void apply_override(nlohmann::json& config, std::string_view assignment,
                    const std::string& origin) {
  if (!config.is_object()) {
    throw std::invalid_argument("apply_override: the config must be a JSON object");
  }
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    fail(origin, assignment, "expected key=value; allowed: a dotted key path, '=', a value");
  }
  const std::string_view key = assignment.substr(0, eq);
  const std::string_view text = assignment.substr(eq + 1);
  if (key.empty()) {
    fail(origin, assignment, fmt::format("empty key; allowed: {}", list_keys(leaf_paths(config))));
  }
  json* node = &config;
  const json* deepest = &config;  // the deepest object the key reached, for the list of keys
  std::string deepest_path;
  const std::vector<std::string_view> parts = split_path(key);
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto it = node->is_object() ? node->find(std::string(parts[i])) : node->end();
    if (!node->is_object() || it == node->end()) {
      fail_unknown(config, key, *deepest, deepest_path, origin);
    }
    node = &*it;
    if (node->is_object()) {
      deepest = node;
      deepest_path = std::string(key.substr(0, parts[i].data() + parts[i].size() - key.data()));
    }
  }
  if (node->is_object()) {
    std::vector<std::string> leaves;
    collect_leaves(*node, std::string(key), leaves);
    fail(origin, key,
         fmt::format("is a group of settings, not a value; allowed: {}", list_keys(leaves)));
  }
  *node = parse_value(text, *node, key, origin);
}

void apply_overrides(nlohmann::json& config, const std::vector<std::string>& assignments,
                     const std::string& origin) {
  nlohmann::json copy = config;
  for (const std::string& a : assignments) apply_override(copy, a, origin);
  // A preset set here replaces the DRAM keys it names (the filled-in defaults or the file's
  // values); only keys given in these assignments override it.
  auto given = [&](std::string_view key) {
    for (const std::string& a : assignments) {
      if (std::string_view(a).substr(0, a.find('=')) == key) return true;
    }
    return false;
  };
  if (given("top.dram.preset")) {
    nlohmann::json& dram = copy["top"]["dram"];
    for (std::string_view k : kDramPresetKeys) {
      if (!given("top.dram." + std::string(k))) dram.erase(std::string(k));
    }
  }
  config = std::move(copy);
}

}  // namespace lowbit
