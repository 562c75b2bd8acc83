// Temp-file-then-rename writer (see atomic_file.h).
#include "lowbit/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "lowbit/error.h"

namespace lowbit {
namespace {

// Outputs replace regular files only: never a symlink, FIFO, device node or folder.
void refuse_non_regular(const std::filesystem::path& path) {
  std::error_code ec;
  const auto st = std::filesystem::symlink_status(path, ec);
  if (std::filesystem::exists(st) && st.type() != std::filesystem::file_type::regular) {
    throw InputError(
        fmt::format("{}: output: exists and is not a regular file; allowed: a new or regular file",
                    path.string()));
  }
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path path, std::ios::openmode mode)
    : m_path(std::move(path)) {
  refuse_non_regular(m_path);
  m_tmp = m_path;
  m_tmp += ".tmp." + std::to_string(::getpid());
  // Create the temp file exclusively: a symlink planted at its name is never followed.
  const int fd = ::open(m_tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    throw InputError(fmt::format("{}: output: cannot create {} ({}); allowed: a writable folder",
                                 m_path.string(), m_tmp.filename().string(), std::strerror(errno)));
  }
  ::close(fd);
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
  refuse_non_regular(m_path);  // again: the target may have appeared while the file was written
  std::filesystem::rename(m_tmp, m_path);
  m_committed = true;
}

void write_file_atomic(const std::filesystem::path& path, const std::string& text) {
  AtomicFile f(path);
  f.stream() << text;
  f.commit();
}

}  // namespace lowbit
