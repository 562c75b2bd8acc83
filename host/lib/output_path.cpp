// Output path checks made before any work starts (see output_path.h).
#include "lowbit/output_path.h"

#include <fmt/format.h>

#include <system_error>

#include "lowbit/error.h"

namespace lowbit {
namespace fs = std::filesystem;

namespace {

const char* kind_of(fs::file_type t) {
  switch (t) {
    case fs::file_type::directory:
      return "a folder";
    case fs::file_type::symlink:
      return "a symbolic link";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::fifo:
      return "a FIFO";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

// A path the system refuses to look up (a name or path too long): one line, the path cut short.
void refuse_unusable(const fs::path& path, const std::error_code& ec, const std::string& option,
                     const char* allowed) {
  if (ec != std::errc::filename_too_long) return;
  const std::string p = path.string();
  const std::string shown =
      p.size() <= 120 ? p : fmt::format("{}... ({} characters)", p.substr(0, 120), p.size());
  throw InputError(fmt::format("{}: {}: {}; allowed: {}", shown, option, ec.message(), allowed));
}

}  // namespace

void check_output_file(const fs::path& path, const std::string& option) {
  if (path.empty()) {
    throw InputError(fmt::format("\"\": {}: empty path; allowed: a file path", option));
  }
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  refuse_unusable(path, ec, option, "a file path the system accepts (names up to 255 bytes)");
  if (fs::exists(st) && st.type() != fs::file_type::regular) {
    throw InputError(
        fmt::format("{}: {}: is {}, which an output never replaces; allowed: a new or regular file",
                    path.string(), option, kind_of(st.type())));
  }
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) {
    throw InputError(
        fmt::format("{}: {}: the folder {} does not exist; allowed: a file in an existing folder",
                    path.string(), option, parent.string()));
  }
}

void check_output_dir(const fs::path& path, const std::string& option) {
  if (path.empty()) {
    throw InputError(fmt::format("\"\": {}: empty path; allowed: a folder path", option));
  }
  // "out/" names the folder out: checked as out (a trailing separator would otherwise make the
  // status follow a symlink and the parent be out itself).
  fs::path dir = path;
  while (!dir.has_filename() && dir.has_relative_path()) dir = dir.parent_path();
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(dir, ec);
  refuse_unusable(path, ec, option, "a folder path the system accepts (names up to 255 bytes)");
  if (fs::exists(st)) {
    if (st.type() != fs::file_type::directory) {
      throw InputError(fmt::format("{}: {}: is {}; allowed: a folder (new or existing)",
                                   path.string(), option, kind_of(st.type())));
    }
    return;
  }
  const fs::path abs = fs::absolute(dir, ec);
  const fs::path parent = abs.has_parent_path() ? abs.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) {
    throw InputError(fmt::format(
        "{}: {}: the parent folder {} does not exist; allowed: a folder in an existing folder",
        path.string(), option, parent.string()));
  }
}

bool is_safe_file_name(const std::string& name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace lowbit
