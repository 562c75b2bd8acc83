// Parsing of JSON that users and scripts write: size and nesting limits checked before parsing.
#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lowbit {

/// Deepest nesting of arrays and objects an input file may have. The kit's own files are at most 5
/// levels deep; the limit keeps every recursive walk (dump, leaf walkers, destructors) shallow.
inline constexpr int kMaxJsonDepth = 64;
/// Largest JSON input file read whole into memory (configs, workloads, specs, stats: kilobytes).
inline constexpr std::size_t kMaxJsonBytes = 64u << 20;

/// Malformed or over-limit JSON input. what() is one line: "<origin>: <key>: <problem>; allowed:
/// ...".
class JsonInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Nesting depth of `text` (arrays and objects, strings skipped), without recursion; stops counting
/// once `limit` is exceeded and returns limit + 1.
int json_nesting_depth(std::string_view text, int limit = kMaxJsonDepth);

/// Parses `text` as a JSON input named `origin`. Throws JsonInputError for nesting deeper than
/// kMaxJsonDepth, text longer than kMaxJsonBytes, malformed JSON and numbers outside the double
/// range (1e400).
nlohmann::json parse_json_input(std::string_view text, const std::string& origin);

/// Reads and parses a JSON file (parse_json_input); an unreadable file is a JsonInputError too.
nlohmann::json read_json_input(const std::filesystem::path& path);

/// read_json_input with objects in file order (for sums that must add in the order a script
/// reading the same file adds them, e.g. the characterization's per-component energies).
nlohmann::ordered_json read_ordered_json_input(const std::filesystem::path& path);

}  // namespace lowbit
