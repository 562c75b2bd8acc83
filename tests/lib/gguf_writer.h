// Test-side GGUF writer, written from llama.cpp's docs/gguf.md (version 3, little-endian).
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace lowbit::test {

/// Builds a GGUF file in memory: key-values in insertion order, then tensor infos, padding to the
/// alignment, then each tensor's data at its aligned offset.
class GgufWriter {
 public:
  /// Metadata value types (gguf.md).
  enum Type : uint32_t {
    kU8 = 0,
    kI8 = 1,
    kU16 = 2,
    kI16 = 3,
    kU32 = 4,
    kI32 = 5,
    kF32 = 6,
    kBool = 7,
    kString = 8,
    kArray = 9,
    kU64 = 10,
    kI64 = 11,
    kF64 = 12,
  };

  /// Raw value encoders (for add_kv and for array items).
  template <typename T>
  static std::string scalar(T v) {
    std::string s(sizeof(T), '\0');
    std::memcpy(s.data(), &v, sizeof(T));
    return s;
  }
  static std::string str(std::string_view v) { return scalar<uint64_t>(v.size()) + std::string(v); }
  static std::string array(uint32_t item_type, const std::vector<std::string>& items) {
    std::string s = scalar<uint32_t>(item_type) + scalar<uint64_t>(items.size());
    for (const auto& i : items) s += i;
    return s;
  }

  void add_kv(std::string_view key, uint32_t type, const std::string& encoded) {
    m_kv += str(key) + scalar<uint32_t>(type) + encoded;
    ++m_kv_count;
  }
  void add_u32(std::string_view key, uint32_t v) { add_kv(key, kU32, scalar(v)); }
  void add_string(std::string_view key, std::string_view v) { add_kv(key, kString, str(v)); }
  /// Sets general.alignment (written as a key-value) and uses it for the layout.
  void set_alignment(uint32_t a) {
    m_alignment = a;
    add_u32("general.alignment", a);
  }
  /// dims: ne[0] (contiguous) first; `data` is the tensor's bytes in ggml's layout.
  void add_tensor(std::string_view name, std::vector<uint64_t> dims, uint32_t ggml_type,
                  std::vector<uint8_t> data) {
    m_tensors.push_back({std::string(name), std::move(dims), ggml_type, std::move(data)});
  }

  std::vector<uint8_t> bytes() const {
    std::string out = "GGUF" + scalar<uint32_t>(3) + scalar<uint64_t>(m_tensors.size()) +
                      scalar<uint64_t>(m_kv_count) + m_kv;
    uint64_t offset = 0;
    std::vector<uint64_t> offsets;
    for (const auto& t : m_tensors) {
      out += str(t.name) + scalar<uint32_t>(static_cast<uint32_t>(t.dims.size()));
      for (uint64_t d : t.dims) out += scalar(d);
      out += scalar<uint32_t>(t.type) + scalar(offset);
      offsets.push_back(offset);
      offset += pad(t.data.size());
    }
    out.resize(pad(out.size()), '\0');
    const size_t data_start = out.size();
    for (size_t i = 0; i < m_tensors.size(); ++i) {
      out.resize(data_start + offsets[i], '\0');
      out.append(m_tensors[i].data.begin(), m_tensors[i].data.end());
    }
    return {out.begin(), out.end()};
  }

  void write(const std::string& path) const {
    const auto b = bytes();
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  }

 private:
  struct Tensor {
    std::string name;
    std::vector<uint64_t> dims;
    uint32_t type;
    std::vector<uint8_t> data;
  };
  size_t pad(size_t n) const { return (n + m_alignment - 1) / m_alignment * m_alignment; }

  std::string m_kv;
  uint64_t m_kv_count = 0;
  uint32_t m_alignment = 32;
  std::vector<Tensor> m_tensors;
};

}  // namespace lowbit::test
