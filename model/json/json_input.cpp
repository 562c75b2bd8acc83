// Limit-checked JSON parsing for every input file (see json_input.h).
#include "model/json/json_input.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

namespace lowbit {

int json_nesting_depth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return limit + 1;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

namespace {

// The checks and the parse of parse_json_input for either object type (sorted or in file order).
template <class J>
J parse_checked(std::string_view text, const std::string& origin) {
  if (text.size() > kMaxJsonBytes) {
    throw JsonInputError(fmt::format("{}: (file): {} bytes; allowed: at most {} bytes of JSON",
                                     origin, text.size(), kMaxJsonBytes));
  }
  if (json_nesting_depth(text) > kMaxJsonDepth) {
    throw JsonInputError(
        fmt::format("{}: (file): JSON nested deeper than {} levels; allowed: at most {} levels of "
                    "arrays and objects",
                    origin, kMaxJsonDepth, kMaxJsonDepth));
  }
  try {
    return J::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    throw JsonInputError(
        fmt::format("{}: (file): malformed JSON at byte {}; allowed: one JSON "
                    "value (RFC 8259)",
                    origin, e.byte));
  } catch (const nlohmann::json::exception& e) {
    // out_of_range 406: a number such as 1e400 that no double holds.
    throw JsonInputError(fmt::format(
        "{}: (file): a number is out of the double range; allowed: numbers within +-1.8e308",
        origin));
  }
}

std::string read_json_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw JsonInputError(
        fmt::format("{}: (file): cannot open; allowed: a readable JSON file", path.string()));
  }
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxJsonBytes) break;
  }
  return text;
}

}  // namespace

nlohmann::json parse_json_input(std::string_view text, const std::string& origin) {
  return parse_checked<nlohmann::json>(text, origin);
}

nlohmann::json read_json_input(const std::filesystem::path& path) {
  return parse_json_input(read_json_text(path), path.string());
}

nlohmann::ordered_json read_ordered_json_input(const std::filesystem::path& path) {
  return parse_checked<nlohmann::ordered_json>(read_json_text(path), path.string());
}

}  // namespace lowbit
