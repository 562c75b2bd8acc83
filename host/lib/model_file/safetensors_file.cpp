// safetensors reader (format of huggingface/safetensors README): u64 LE header size, JSON, data.
#include "lowbit/safetensors_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "byte_cursor.h"
#include "lowbit/error.h"

namespace lowbit {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
  throw InputError(fmt::format("{}: {}", origin, what));
}

// Deepest [ / { nesting outside strings: bounds the JSON parser's work before it runs.
int json_nesting(std::string_view s) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char ch : s) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (ch == '\\') {
        escaped = true;
      } else if (ch == '"') {
        in_string = false;
      }
      continue;
    }
    if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return deepest;
}

uint64_t get_u64(const json& v, const std::string& origin, const std::string& where) {
  if (!v.is_number_unsigned()) {
    fail(origin, fmt::format("header {}: must be a non-negative integer", where));
  }
  return v.get<uint64_t>();
}

}  // namespace

uint64_t safetensors_dtype_size(std::string_view d) {
  if (d == "BOOL" || d == "U8" || d == "I8" || d == "F8_E5M2" || d == "F8_E4M3") return 1;
  if (d == "I16" || d == "U16" || d == "F16" || d == "BF16") return 2;
  if (d == "I32" || d == "U32" || d == "F32") return 4;
  if (d == "I64" || d == "U64" || d == "F64") return 8;
  return 0;
}

const SafetensorsTensor* SafetensorsFile::tensor(std::string_view name) const {
  const auto it =
      std::lower_bound(tensors.begin(), tensors.end(), name,
                       [](const SafetensorsTensor& t, std::string_view n) { return t.name < n; });
  return it != tensors.end() && it->name == name ? &*it : nullptr;
}

SafetensorsFile SafetensorsFile::parse(std::span<const uint8_t> bytes, const std::string& origin) {
  ByteCursor c(bytes, origin);
  const auto header_len = c.read<uint64_t>("header length");
  if (header_len > kMaxHeaderBytes) {
    fail(origin, fmt::format("header length {} is above the {} bytes allowed (not a safetensors "
                             "file, or corrupted)",
                             header_len, kMaxHeaderBytes));
  }
  const std::string_view text = c.bytes(header_len, "JSON header");
  if (json_nesting(text) > kMaxJsonNesting) {
    fail(origin, fmt::format("header: JSON nested deeper than {}", kMaxJsonNesting));
  }
  json header;
  try {
    header = json::parse(text);
  } catch (const json::exception& e) {
    // nlohmann's message is one line; keep only it.
    fail(origin, fmt::format("header: malformed JSON: {}", e.what()));
  }
  if (!header.is_object()) fail(origin, "header: must be a JSON object of tensors");
  const uint64_t data_size = c.remaining();
  const std::span<const uint8_t> data = bytes.subspan(c.pos());
  SafetensorsFile f;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) fail(origin, "header __metadata__: must be an object of strings");
      for (const auto& [k, v] : entry.items()) {
        if (!v.is_string()) {
          fail(origin, fmt::format("header __metadata__.{}: must be a string", printable(k)));
        }
        f.metadata[k] = v.get<std::string>();
      }
      continue;
    }
    if (!entry.is_object()) {
      fail(origin, fmt::format("header {}: must be an object {{dtype, shape, data_offsets}}",
                               printable(name)));
    }
    for (const auto& [k, v] : entry.items()) {
      if (k != "dtype" && k != "shape" && k != "data_offsets") {
        fail(origin, fmt::format("header {}.{}: unknown key; allowed: dtype, shape, data_offsets",
                                 printable(name), printable(k)));
      }
    }
    SafetensorsTensor t;
    t.name = name;
    const std::string shown = printable(name);
    if (!entry.contains("dtype") || !entry["dtype"].is_string() ||
        safetensors_dtype_size(entry["dtype"].get<std::string>()) == 0) {
      fail(origin,
           fmt::format("header {}.dtype: missing or unknown; allowed: BOOL, U8, I8, "
                       "F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, I64, U64, F64",
                       shown));
    }
    t.dtype = entry["dtype"].get<std::string>();
    if (!entry.contains("shape") || !entry["shape"].is_array()) {
      fail(origin, fmt::format("header {}.shape: must be an array of integers", shown));
    }
    uint64_t nbytes = safetensors_dtype_size(t.dtype);
    for (const json& d : entry["shape"]) {
      const uint64_t n = get_u64(d, origin, shown + ".shape");
      t.shape.push_back(n);
      if (__builtin_mul_overflow(nbytes, n, &nbytes)) {
        fail(origin, fmt::format("header {}.shape: byte size overflows", shown));
      }
    }
    if (!entry.contains("data_offsets") || !entry["data_offsets"].is_array() ||
        entry["data_offsets"].size() != 2) {
      fail(origin, fmt::format("header {}.data_offsets: must be [begin, end]", shown));
    }
    t.begin = get_u64(entry["data_offsets"][0], origin, shown + ".data_offsets");
    t.end = get_u64(entry["data_offsets"][1], origin, shown + ".data_offsets");
    if (t.end < t.begin || t.end > data_size) {
      fail(origin, fmt::format("header {}.data_offsets: [{}, {}) is not inside the {} data bytes "
                               "(truncated or corrupted)",
                               shown, t.begin, t.end, data_size));
    }
    if (t.end - t.begin != nbytes) {
      fail(origin,
           fmt::format("header {}.data_offsets: [{}, {}) holds {} bytes but shape and dtype "
                       "{} need {}",
                       shown, t.begin, t.end, t.end - t.begin, t.dtype, nbytes));
    }
    t.data = data.subspan(static_cast<size_t>(t.begin), static_cast<size_t>(nbytes));
    f.tensors.push_back(std::move(t));
  }
  std::sort(f.tensors.begin(), f.tensors.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::vector<const SafetensorsTensor*> by_offset;
  for (const auto& t : f.tensors) {
    if (t.end > t.begin) by_offset.push_back(&t);
  }
  std::sort(by_offset.begin(), by_offset.end(),
            [](const auto* a, const auto* b) { return a->begin < b->begin; });
  for (size_t n = 1; n < by_offset.size(); ++n) {
    if (by_offset[n]->begin < by_offset[n - 1]->end) {
      fail(origin, fmt::format("tensors {} and {} overlap in the data",
                               printable(by_offset[n - 1]->name), printable(by_offset[n]->name)));
    }
  }
  return f;
}

}  // namespace lowbit
