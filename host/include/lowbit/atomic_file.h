// Output files that appear whole or not at all: write to a temp file beside the target, then
// rename.
#pragma once

#include <filesystem>
#include <fstream>

namespace lowbit {

/// Owns a temp file next to `path`; commit() flushes and renames it over `path`. Destroyed without
/// commit (an error, an exception), it removes the temp file and leaves `path` untouched.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path path, std::ios::openmode mode = std::ios::out);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ofstream& stream() { return m_out; }
  /// Flushes, checks for write errors (throws std::runtime_error) and renames into place.
  void commit();

 private:
  std::filesystem::path m_path;
  std::filesystem::path m_tmp;
  std::ofstream m_out;
  bool m_committed = false;
};

/// Writes a whole string atomically.
void write_file_atomic(const std::filesystem::path& path, const std::string& text);

}  // namespace lowbit
