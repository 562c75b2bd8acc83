// safetensors (Hugging Face) parsed from bytes: 8-byte header length, JSON header, tensor spans.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lowbit {

/// One tensor of the header; `data` points into the parsed bytes.
struct SafetensorsTensor {
  std::string name;
  std::string dtype;            ///< "F16", "BF16", "F32", "I8", ... as in the header
  std::vector<uint64_t> shape;  ///< row-major, slowest first (PyTorch order)
  uint64_t begin = 0, end = 0;  ///< data_offsets, relative to the end of the header
  std::span<const uint8_t> data;
};

/// A parsed safetensors file. It does not own the bytes: they must outlive it.
struct SafetensorsFile {
  /// Headers above this size are refused (the reference implementation's limit is 100 MB).
  static constexpr uint64_t kMaxHeaderBytes = 100ull << 20;
  static constexpr int kMaxJsonNesting = 16;

  std::vector<SafetensorsTensor> tensors;       ///< sorted by name
  std::map<std::string, std::string> metadata;  ///< "__metadata__" (string to string)

  const SafetensorsTensor* tensor(std::string_view name) const;

  /// Parses and validates: the header length fits in the file, the header is a JSON object
  /// (nested at most kMaxJsonNesting deep) of name -> {dtype, shape, data_offsets} plus an
  /// optional "__metadata__"; every dtype is known, shape x dtype size = end - begin (no
  /// overflow), every tensor lies inside the data and no two overlap. Malformed or truncated
  /// input throws InputError, one line starting with `origin`.
  static SafetensorsFile parse(std::span<const uint8_t> bytes, const std::string& origin);
};

/// Bytes per element of a safetensors dtype, 0 when the dtype is unknown.
uint64_t safetensors_dtype_size(std::string_view dtype);

}  // namespace lowbit
