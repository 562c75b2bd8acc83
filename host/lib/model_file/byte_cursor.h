// Bounds-checked little-endian reads over a byte span (the model-file readers' only way in).
#pragma once

#include <fmt/format.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "lowbit/error.h"

namespace lowbit {

/// Reads fixed-size little-endian values and length-prefixed strings from `bytes`, starting at
/// `pos`. Every read checks the remaining length first (no arithmetic that can overflow), and a
/// short read is an InputError "<origin>: truncated at byte <pos>: <what> needs <n> bytes, <m>
/// left".
class ByteCursor {
 public:
  ByteCursor(std::span<const uint8_t> bytes, std::string origin)
      : m_bytes(bytes), m_origin(std::move(origin)) {}

  size_t pos() const { return m_pos; }
  size_t remaining() const { return m_bytes.size() - m_pos; }
  const std::string& origin() const { return m_origin; }

  /// Throws the truncation error unless `n` more bytes are there.
  void need(uint64_t n, std::string_view what) const {
    if (n > remaining()) {
      throw InputError(fmt::format("{}: truncated at byte {}: {} needs {} bytes, {} left", m_origin,
                                   m_pos, what, n, remaining()));
    }
  }
  void skip(uint64_t n, std::string_view what) {
    need(n, what);
    m_pos += static_cast<size_t>(n);
  }
  template <typename T>
  T read(std::string_view what) {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, m_bytes.data() + m_pos, sizeof(T));  // the host is little-endian (x86-64)
    m_pos += sizeof(T);
    return v;
  }
  /// `n` raw bytes as a view into the span.
  std::string_view bytes(uint64_t n, std::string_view what) {
    need(n, what);
    std::string_view v(reinterpret_cast<const char*>(m_bytes.data() + m_pos),
                       static_cast<size_t>(n));
    m_pos += static_cast<size_t>(n);
    return v;
  }

 private:
  std::span<const uint8_t> m_bytes;
  std::string m_origin;
  size_t m_pos = 0;
};

/// A name or key read from a file, fit for a one-line message: control and non-ASCII bytes as
/// \xNN, cut after 80 characters.
inline std::string printable(std::string_view s) {
  std::string out;
  for (const char ch : s.substr(0, 80)) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 0x20 || b >= 0x7f) {
      out += fmt::format("\\x{:02x}", b);
    } else {
      out += ch;
    }
  }
  if (s.size() > 80) out += "...";
  return out;
}

static_assert(std::endian::native == std::endian::little,
              "model-file readers assume little-endian");

}  // namespace lowbit
