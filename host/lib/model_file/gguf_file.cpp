// GGUF reader: the layout of llama.cpp's docs/gguf.md (little-endian, version 2 and 3).
#include "lowbit/gguf_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "byte_cursor.h"
#include "lowbit/error.h"
#include "lowbit/ggml_types.h"

namespace lowbit {
namespace {

constexpr uint64_t kMaxElements = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
  throw InputError(fmt::format("{}: {}", origin, what));
}

// Smallest encoding of a value of this type: bounds array lengths before anything is reserved.
uint64_t min_value_bytes(GgufValueType t) {
  switch (t) {
    case GgufValueType::kUint8:
    case GgufValueType::kInt8:
    case GgufValueType::kBool:
      return 1;
    case GgufValueType::kUint16:
    case GgufValueType::kInt16:
      return 2;
    case GgufValueType::kUint32:
    case GgufValueType::kInt32:
    case GgufValueType::kFloat32:
      return 4;
    case GgufValueType::kString:
    case GgufValueType::kUint64:
    case GgufValueType::kInt64:
    case GgufValueType::kFloat64:
      return 8;
    case GgufValueType::kArray:
      return 12;
  }
  return 1;
}

bool known_value_type(uint32_t t) { return t <= 12; }

std::string read_string(ByteCursor& c, const std::string& what) {
  const auto len = c.read<uint64_t>(what + " length");
  return std::string(c.bytes(len, what));
}

GgufValue read_value(ByteCursor& c, GgufValueType type, const std::string& key, int depth) {
  GgufValue v;
  v.type = type;
  const std::string what = "value of " + key;
  switch (type) {
    case GgufValueType::kUint8:
      v.u = c.read<uint8_t>(what);
      break;
    case GgufValueType::kInt8:
      v.i = c.read<int8_t>(what);
      break;
    case GgufValueType::kUint16:
      v.u = c.read<uint16_t>(what);
      break;
    case GgufValueType::kInt16:
      v.i = c.read<int16_t>(what);
      break;
    case GgufValueType::kUint32:
      v.u = c.read<uint32_t>(what);
      break;
    case GgufValueType::kInt32:
      v.i = c.read<int32_t>(what);
      break;
    case GgufValueType::kUint64:
      v.u = c.read<uint64_t>(what);
      break;
    case GgufValueType::kInt64:
      v.i = c.read<int64_t>(what);
      break;
    case GgufValueType::kFloat32:
      v.f = c.read<float>(what);
      break;
    case GgufValueType::kFloat64:
      v.f = c.read<double>(what);
      break;
    case GgufValueType::kBool: {
      const auto b = c.read<uint8_t>(what);
      if (b > 1) {
        fail(c.origin(), fmt::format("metadata {}: bool at byte {} is {}; allowed: 0 or 1", key,
                                     c.pos() - 1, b));
      }
      v.u = b;
      break;
    }
    case GgufValueType::kString:
      v.s = read_string(c, what);
      break;
    case GgufValueType::kArray: {
      if (depth >= GgufFile::kMaxArrayNesting) {
        fail(c.origin(), fmt::format("metadata {}: arrays nested deeper than {}", key,
                                     GgufFile::kMaxArrayNesting));
      }
      const auto item = c.read<uint32_t>(what + " item type");
      if (!known_value_type(item)) {
        fail(c.origin(),
             fmt::format("metadata {}: array item type {} is unknown; allowed: 0..12 (gguf.md)",
                         key, item));
      }
      v.item_type = static_cast<GgufValueType>(item);
      v.count = c.read<uint64_t>(what + " array length");
      // Each item takes at least min_value_bytes: a longer array cannot fit in what is left.
      if (v.count > c.remaining() / min_value_bytes(v.item_type)) {
        fail(c.origin(), fmt::format("metadata {}: array of {} items does not fit in the {} bytes "
                                     "left (truncated or corrupted)",
                                     key, v.count, c.remaining()));
      }
      const bool keep = v.count <= GgufFile::kMaxKeptArrayItems;
      if (keep) v.items.reserve(static_cast<size_t>(v.count));
      for (uint64_t n = 0; n < v.count; ++n) {
        GgufValue x = read_value(c, v.item_type, key, depth + 1);
        if (keep) v.items.push_back(std::move(x));
      }
      break;
    }
  }
  return v;
}

bool checked_mul(uint64_t a, uint64_t b, uint64_t& out) {
  return !__builtin_mul_overflow(a, b, &out);
}

}  // namespace

std::optional<uint64_t> GgufValue::as_count() const {
  switch (type) {
    case GgufValueType::kUint8:
    case GgufValueType::kUint16:
    case GgufValueType::kUint32:
    case GgufValueType::kUint64:
      return u;
    case GgufValueType::kInt8:
    case GgufValueType::kInt16:
    case GgufValueType::kInt32:
    case GgufValueType::kInt64:
      if (i >= 0) return static_cast<uint64_t>(i);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

bool is_gguf(std::span<const uint8_t> bytes) {
  return bytes.size() >= 4 && std::memcmp(bytes.data(), "GGUF", 4) == 0;
}

const GgufValue* GgufFile::find(std::string_view key) const {
  const auto it = m_key_index.find(key);
  return it == m_key_index.end() ? nullptr : &metadata[it->second].second;
}

const GgufTensor* GgufFile::tensor(std::string_view name) const {
  const auto it = m_tensor_index.find(name);
  return it == m_tensor_index.end() ? nullptr : &tensors[it->second];
}

GgufFile GgufFile::parse(std::span<const uint8_t> bytes, const std::string& origin) {
  ByteCursor c(bytes, origin);
  GgufFile g;
  if (!is_gguf(bytes)) {
    fail(origin, "not a GGUF file: the first 4 bytes are not the magic \"GGUF\"");
  }
  c.skip(4, "magic");
  g.version = c.read<uint32_t>("version");
  if (g.version != 2 && g.version != 3) {
    fail(origin, fmt::format("GGUF version {} is not supported; allowed: 2, 3", g.version));
  }
  const auto n_tensors = c.read<uint64_t>("tensor count");
  const auto n_kv = c.read<uint64_t>("metadata count");
  // A key-value takes at least 8 (key length) + 4 (type) + 1 bytes; a tensor info 8 + 4 + 4 + 8.
  if (n_kv > c.remaining() / 13) {
    fail(origin, fmt::format("metadata count {} does not fit in the {} bytes of the file", n_kv,
                             bytes.size()));
  }
  if (n_tensors > c.remaining() / 24) {
    fail(origin, fmt::format("tensor count {} does not fit in the {} bytes of the file", n_tensors,
                             bytes.size()));
  }
  for (uint64_t n = 0; n < n_kv; ++n) {
    std::string key = read_string(c, fmt::format("metadata key {}", n));
    const auto type = c.read<uint32_t>("metadata type of " + printable(key));
    if (!known_value_type(type)) {
      fail(origin, fmt::format("metadata {}: value type {} is unknown; allowed: 0..12 (gguf.md)",
                               printable(key), type));
    }
    GgufValue v = read_value(c, static_cast<GgufValueType>(type), printable(key), 0);
    if (!g.m_key_index.emplace(key, g.metadata.size()).second) {
      fail(origin, fmt::format("metadata {}: duplicate key", printable(key)));
    }
    g.metadata.emplace_back(std::move(key), std::move(v));
  }
  if (const GgufValue* a = g.find("general.alignment")) {
    if (a->type != GgufValueType::kUint32 || a->u == 0 || (a->u & (a->u - 1)) != 0) {
      fail(origin, "metadata general.alignment: must be a uint32 power of two");
    }
    g.alignment = a->u;
  }

  g.tensors.reserve(static_cast<size_t>(n_tensors));
  for (uint64_t n = 0; n < n_tensors; ++n) {
    GgufTensor t;
    t.name = read_string(c, fmt::format("tensor {} name", n));
    const std::string shown = printable(t.name);
    if (t.name.size() > kMaxTensorName) {
      fail(origin, fmt::format("tensor {}: name of {} bytes; allowed: at most {}", n, t.name.size(),
                               kMaxTensorName));
    }
    const auto n_dims = c.read<uint32_t>("dimension count of " + shown);
    if (n_dims == 0 || n_dims > kMaxDims) {
      fail(origin,
           fmt::format("tensor {}: {} dimensions; allowed: 1..{}", shown, n_dims, kMaxDims));
    }
    t.elements = 1;
    for (uint32_t d = 0; d < n_dims; ++d) {
      const auto ne = c.read<uint64_t>("dimension of " + shown);
      t.dims.push_back(ne);
      if (!checked_mul(t.elements, ne, t.elements) || t.elements > kMaxElements) {
        fail(origin,
             fmt::format("tensor {}: element count overflows (dimension {} = {})", shown, d, ne));
      }
    }
    t.type = c.read<uint32_t>("type of " + shown);
    t.offset = c.read<uint64_t>("offset of " + shown);
    const GgmlTypeInfo* info = ggml_type_info(t.type);
    if (info == nullptr) {
      fail(origin, fmt::format("tensor {}: ggml type {} is unknown (removed or newer than this "
                               "reader)",
                               shown, t.type));
    }
    if (t.dims[0] % info->block_elements != 0) {
      fail(origin, fmt::format("tensor {}: row of {} elements is not a whole number of {} blocks "
                               "({} elements each)",
                               shown, t.dims[0], info->name, info->block_elements));
    }
    if (t.offset % g.alignment != 0) {
      fail(origin, fmt::format("tensor {}: offset {} is not a multiple of the alignment {}", shown,
                               t.offset, g.alignment));
    }
    if (!g.m_tensor_index.emplace(shown, g.tensors.size()).second) {
      fail(origin, fmt::format("tensor {}: duplicate name", shown));
    }
    g.tensors.push_back(std::move(t));
  }

  // The data section starts at the next multiple of the alignment.
  const uint64_t pos = c.pos();
  const uint64_t pad = (g.alignment - pos % g.alignment) % g.alignment;
  g.data_offset = pos + pad;
  const uint64_t size = bytes.size();
  if (!g.tensors.empty() && g.data_offset > size) {
    fail(origin, fmt::format("truncated: the data section would start at byte {} but the file has "
                             "{} bytes",
                             g.data_offset, size));
  }
  const uint64_t data_size = g.data_offset <= size ? size - g.data_offset : 0;
  std::vector<std::pair<uint64_t, uint64_t>> extents;  // [begin, end) in the data section
  for (GgufTensor& t : g.tensors) {
    const GgmlTypeInfo* info = ggml_type_info(t.type);
    uint64_t nbytes = 0;
    if (!checked_mul(t.elements / info->block_elements, info->block_bytes, nbytes)) {
      fail(origin, fmt::format("tensor {}: byte size overflows", printable(t.name)));
    }
    if (t.offset > data_size || nbytes > data_size - t.offset) {
      fail(origin, fmt::format("tensor {}: bytes [{}, +{}) of the data section run past the end of "
                               "the file ({} data bytes; truncated or corrupted)",
                               printable(t.name), t.offset, nbytes, data_size));
    }
    t.data =
        bytes.subspan(static_cast<size_t>(g.data_offset + t.offset), static_cast<size_t>(nbytes));
    if (nbytes > 0) extents.emplace_back(t.offset, t.offset + nbytes);
  }
  std::sort(extents.begin(), extents.end());
  for (size_t n = 1; n < extents.size(); ++n) {
    if (extents[n].first < extents[n - 1].second) {
      fail(origin, fmt::format("tensor data overlaps: bytes [{}, {}) and [{}, {}) of the data "
                               "section",
                               extents[n - 1].first, extents[n - 1].second, extents[n].first,
                               extents[n].second));
    }
  }
  return g;
}

}  // namespace lowbit
