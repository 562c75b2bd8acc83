// The golden backend's decoded weight chunks, keyed by their bytes: the blocks of a decoder
// workload read one weight image, so each chunk's codes are decoded once (the interpreter's
// weight decoding, not the arithmetic, was most of its time).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <vector>

namespace lowbit {

/// What it is: a map from (a tile op's weight bytes, a layout key) to the codes decoded from them.
/// A hit compares every byte (no hash is trusted), so a reused entry is exactly what decoding
/// would give. Entries are kept up to `capacity_bytes` (raw bytes plus codes); past it nothing is
/// added and the caller decodes as before.
class GoldenCodeCache {
 public:
  explicit GoldenCodeCache(uint64_t capacity_bytes) : m_capacity(capacity_bytes) {}

  /// The codes cached for these bytes and key, or null.
  const std::vector<uint8_t>* find(const uint8_t* bytes, uint64_t size, uint64_t key) const {
    const auto it = m_map.find(hash(bytes, size, key));
    if (it == m_map.end()) return nullptr;
    for (const auto& e : it->second) {
      if (e->key == key && e->raw.size() == size && std::memcmp(e->raw.data(), bytes, size) == 0) {
        return &e->codes;
      }
    }
    return nullptr;
  }

  /// Keeps `codes` for these bytes and key when there is room.
  void add(const uint8_t* bytes, uint64_t size, uint64_t key, const std::vector<uint8_t>& codes) {
    const uint64_t cost = size + codes.size();
    if (m_used + cost > m_capacity) return;
    m_used += cost;
    auto e = std::make_unique<Entry>();
    e->key = key;
    e->raw.assign(bytes, bytes + size);
    e->codes = codes;
    m_map[hash(bytes, size, key)].push_back(std::move(e));
  }

 private:
  struct Entry {
    uint64_t key = 0;
    std::vector<uint8_t> raw;
    std::vector<uint8_t> codes;
  };

  // FNV-1a over the key, the size and up to 256 bytes from each end (the full compare decides).
  static uint64_t hash(const uint8_t* bytes, uint64_t size, uint64_t key) {
    uint64_t h = 1469598103934665603ull;
    const auto mix = [&h](uint64_t v) {
      for (int i = 0; i < 8; ++i) {
        h ^= (v >> (8 * i)) & 0xFF;
        h *= 1099511628211ull;
      }
    };
    mix(key);
    mix(size);
    const uint64_t edge = size < 256 ? size : 256;
    const auto byte = [&h](uint8_t b) {
      h ^= b;
      h *= 1099511628211ull;
    };
    for (uint64_t i = 0; i < edge; ++i) byte(bytes[i]);
    for (uint64_t i = size - edge; i < size; ++i) byte(bytes[i]);
    return h;
  }

  uint64_t m_capacity;
  uint64_t m_used = 0;
  std::unordered_map<uint64_t, std::vector<std::unique_ptr<Entry>>> m_map;
};

}  // namespace lowbit
