// A read-only memory map of a whole file, for the model-file readers (GGUF, safetensors).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

namespace lowbit {

/// Maps a regular file read-only. The bytes stay valid while the object lives; moving transfers
/// the mapping. An empty file maps to an empty span.
class MappedFile {
 public:
  /// Throws InputError ("<path>: cannot open model file: <reason>") when the file cannot be
  /// opened, is not a regular file or cannot be mapped.
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::span<const uint8_t> bytes() const { return {m_data, m_size}; }

 private:
  const uint8_t* m_data = nullptr;
  size_t m_size = 0;
};

}  // namespace lowbit
