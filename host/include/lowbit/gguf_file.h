// GGUF (llama.cpp model file, version 2/3) parsed from bytes: metadata, tensor infos, data spans.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lowbit {

/// Metadata value types (gguf.md `gguf_metadata_value_type`).
enum class GgufValueType : uint32_t {
  kUint8 = 0,
  kInt8 = 1,
  kUint16 = 2,
  kInt16 = 3,
  kUint32 = 4,
  kInt32 = 5,
  kFloat32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kUint64 = 10,
  kInt64 = 11,
  kFloat64 = 12,
};

/// One metadata value. Integers land in `u` (unsigned types, bool) or `i` (signed types), floats
/// in `f`, strings in `s`; an array keeps its element type, its length and, up to
/// GgufFile::kMaxKeptArrayItems, its items (longer arrays, e.g. a tokenizer's vocabulary, are
/// validated and counted only).
struct GgufValue {
  GgufValueType type = GgufValueType::kUint8;
  uint64_t u = 0;
  int64_t i = 0;
  double f = 0;
  std::string s;
  GgufValueType item_type = GgufValueType::kUint8;
  uint64_t count = 0;
  std::vector<GgufValue> items;

  /// The value as a non-negative integer, when it is an integer type holding one.
  std::optional<uint64_t> as_count() const;
};

/// One tensor info; `data` points into the parsed bytes.
struct GgufTensor {
  std::string name;
  std::vector<uint64_t> dims;  ///< ne[0] (fastest, contiguous) first
  uint32_t type = 0;           ///< ggml type id (lowbit/ggml_types.h)
  uint64_t offset = 0;         ///< from the start of the data section
  uint64_t elements = 0;
  std::span<const uint8_t> data;  ///< exactly the tensor's bytes
};

/// A parsed GGUF file. It does not own the bytes: they must outlive it.
struct GgufFile {
  static constexpr uint64_t kDefaultAlignment = 32;  ///< gguf.md: GGUF_DEFAULT_ALIGNMENT
  static constexpr uint64_t kMaxKeptArrayItems = 1 << 16;
  static constexpr int kMaxArrayNesting = 8;
  static constexpr size_t kMaxTensorName = 64;  ///< gguf.md: names are at most 64 bytes
  static constexpr uint32_t kMaxDims = 4;       ///< ggml's GGML_MAX_DIMS

  uint32_t version = 0;
  uint64_t alignment = kDefaultAlignment;
  uint64_t data_offset = 0;  ///< start of the data section in the file
  std::vector<std::pair<std::string, GgufValue>> metadata;  ///< in file order
  std::vector<GgufTensor> tensors;                          ///< in file order

  const GgufValue* find(std::string_view key) const;
  const GgufTensor* tensor(std::string_view name) const;

  /// Parses and validates the whole structure: header, every metadata key-value (every type,
  /// arrays included), every tensor info (known ggml type, dims, size in whole blocks), the
  /// alignment (`general.alignment`: a power of two) and that each tensor's offset is aligned and
  /// its bytes lie inside the file without overlapping another tensor. Every size and offset is
  /// checked against the bytes before use, without overflow. Malformed or truncated input throws
  /// InputError, one line starting with `origin`.
  static GgufFile parse(std::span<const uint8_t> bytes, const std::string& origin);

 private:
  std::map<std::string, size_t, std::less<>> m_key_index;
  std::map<std::string, size_t, std::less<>> m_tensor_index;
};

/// True when the bytes start with the GGUF magic.
bool is_gguf(std::span<const uint8_t> bytes);

}  // namespace lowbit
