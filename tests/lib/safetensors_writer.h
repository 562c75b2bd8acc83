// Test-side safetensors writer, written from the format's README (u64 LE header size, JSON, data).
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace lowbit::test {

/// Builds a safetensors file: tensors packed in insertion order, header padded with spaces to a
/// multiple of 8 bytes (as the reference writer does).
class SafetensorsWriter {
 public:
  void add_tensor(const std::string& name, const std::string& dtype, std::vector<uint64_t> shape,
                  const std::vector<uint8_t>& data) {
    m_header[name] = {{"dtype", dtype},
                      {"shape", shape},
                      {"data_offsets", {m_data.size(), m_data.size() + data.size()}}};
    m_data.insert(m_data.end(), data.begin(), data.end());
  }
  void set_metadata(const std::string& key, const std::string& value) {
    m_header["__metadata__"][key] = value;
  }

  std::vector<uint8_t> bytes() const {
    std::string h = m_header.empty() ? std::string("{}") : m_header.dump();
    h.resize((h.size() + 7) / 8 * 8, ' ');
    const uint64_t n = h.size();
    std::string out(8, '\0');
    std::memcpy(out.data(), &n, 8);
    out += h;
    out.append(m_data.begin(), m_data.end());
    return {out.begin(), out.end()};
  }

  void write(const std::string& path) const {
    const auto b = bytes();
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  }

 private:
  nlohmann::ordered_json m_header = nlohmann::ordered_json::object();
  std::vector<uint8_t> m_data;
};

}  // namespace lowbit::test
