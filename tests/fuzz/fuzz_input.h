// Helpers shared by the libFuzzer targets: split one input into parts, and the expected errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lowbit::fuzz {

/// The fuzzer's bytes as text.
inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits `text` at NUL bytes: a target that reads several inputs (a config and its --set
/// overrides, a stats.json and a CPU result) takes them from one fuzzer input.
inline std::vector<std::string_view> split_parts(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t begin = 0;
  while (true) {
    const size_t nul = text.find('\0', begin);
    parts.push_back(text.substr(begin, nul == std::string_view::npos ? nul : nul - begin));
    if (nul == std::string_view::npos) return parts;
    begin = nul + 1;
  }
}

/// Splits `text` into lines (for --set overrides, one per line).
inline std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t begin = 0;
  while (begin < text.size()) {
    const size_t nl = text.find('\n', begin);
    const size_t end = nl == std::string_view::npos ? text.size() : nl;
    lines.emplace_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

}  // namespace lowbit::fuzz
