// Temp-file-then-rename writer (see atomic_file.h).
#include "lowbit/atomic_file.h"

#include <stdexcept>
#include <string>
#include <unistd.h>

namespace lowbit {

AtomicFile::AtomicFile(std::filesystem::path path, std::ios::openmode mode)
    : m_path(std::move(path)) {
  m_tmp = m_path;
  m_tmp += ".tmp." + std::to_string(::getpid());
  m_out.open(m_tmp, mode | std::ios::out | std::ios::trunc);
  if (!m_out) throw std::runtime_error(m_path.string() + ": cannot open for writing");
}

AtomicFile::~AtomicFile() {
  if (!m_committed) {
    m_out.close();
    std::error_code ec;
    std::filesystem::remove(m_tmp, ec);
  }
}

void AtomicFile::commit() {
  m_out.flush();
  if (!m_out) throw std::runtime_error(m_path.string() + ": write failed");
  m_out.close();
  std::filesystem::rename(m_tmp, m_path);
  m_committed = true;
}

void write_file_atomic(const std::filesystem::path& path, const std::string& text) {
  AtomicFile f(path);
  f.stream() << text;
  f.commit();
}

}  // namespace lowbit
