// Dense code packing, ternary base-3 and 2-bit packing.
#include "model/quant/packing.h"

#include <stdexcept>

#include "fmt/format.h"

namespace lowbit {

std::vector<uint8_t> pack_codes(std::span<const uint8_t> codes, int bits) {
  if (bits < 1 || bits > 8) throw std::invalid_argument(fmt::format("pack_codes: bits {}", bits));
  std::vector<uint8_t> out((codes.size() * bits + 7) / 8, 0);
  size_t bit = 0;
  for (uint8_t c : codes) {
    if (bits < 8 && c >> bits) {
      throw std::invalid_argument(
          fmt::format("pack_codes: code {} needs more than {} bits", c, bits));
    }
    for (int i = 0; i < bits; ++i, ++bit) {
      out[bit / 8] |= static_cast<uint8_t>(((c >> i) & 1u) << (bit % 8));
    }
  }
  return out;
}

std::vector<uint8_t> unpack_codes(std::span<const uint8_t> packed, int bits, size_t count) {
  if (bits < 1 || bits > 8) throw std::invalid_argument(fmt::format("unpack_codes: bits {}", bits));
  if (packed.size() * 8 < count * bits) {
    throw std::invalid_argument(
        fmt::format("unpack_codes: {} bytes hold fewer than {} codes", packed.size(), count));
  }
  std::vector<uint8_t> out(count, 0);
  size_t bit = 0;
  for (auto& c : out) {
    for (int i = 0; i < bits; ++i, ++bit) {
      c |= static_cast<uint8_t>(((packed[bit / 8] >> (bit % 8)) & 1u) << i);
    }
  }
  return out;
}

std::vector<uint8_t> pack_ternary_base3(std::span<const uint8_t> codes) {
  std::vector<uint8_t> out((codes.size() + 4) / 5, 0);
  for (size_t byte = 0; byte < out.size(); ++byte) {
    unsigned v = 0;
    for (int j = 4; j >= 0; --j) {  // Horner: the first code ends up least significant
      const size_t idx = byte * 5 + j;
      const unsigned u = idx < codes.size() ? codes[idx] : 0;
      if (u > 2) throw std::invalid_argument(fmt::format("pack_ternary_base3: code {} > 2", u));
      v = v * 3 + u;
    }
    out[byte] = static_cast<uint8_t>(v);
  }
  return out;
}

std::vector<uint8_t> unpack_ternary_base3(std::span<const uint8_t> packed, size_t count) {
  if (packed.size() < (count + 4) / 5) {
    throw std::invalid_argument(fmt::format(
        "unpack_ternary_base3: {} bytes hold fewer than {} trits", packed.size(), count));
  }
  std::vector<uint8_t> out(count);
  for (size_t byte = 0; byte < (count + 4) / 5; ++byte) {
    unsigned v = packed[byte];
    if (v > 242) {
      throw std::invalid_argument(fmt::format("unpack_ternary_base3: byte {} > 242", v));
    }
    for (int j = 0; j < 5; ++j, v /= 3) {
      if (byte * 5 + j < count) out[byte * 5 + j] = static_cast<uint8_t>(v % 3);
    }
  }
  return out;
}

std::vector<uint8_t> pack_ternary_2bit(std::span<const uint8_t> codes) {
  for (uint8_t c : codes) {
    if (c > 2) throw std::invalid_argument(fmt::format("pack_ternary_2bit: code {} > 2", c));
  }
  return pack_codes(codes, 2);
}

std::vector<uint8_t> unpack_ternary_2bit(std::span<const uint8_t> packed, size_t count) {
  auto out = unpack_codes(packed, 2, count);
  for (uint8_t c : out) {
    if (c > 2) throw std::invalid_argument("unpack_ternary_2bit: unused code 3");
  }
  return out;
}

}  // namespace lowbit
