// Code packing: dense b-bit codes in bytes, ternary at 5 trits per byte and at 2 bits, and the
// offline reinterpretation q' = 2q - (2^b - 1) used by table symmetrization.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lowbit {

/// Packs b-bit codes (b = 1..8) densely, little-endian: code i occupies bits [i*b, i*b + b) of the
/// byte stream, bit 0 of a byte first. The tail of the last byte is zero.
/// Throws std::invalid_argument if b is out of range or a code does not fit in b bits.
std::vector<uint8_t> pack_codes(std::span<const uint8_t> codes, int bits);
/// Inverse of pack_codes for `count` codes. Throws if `packed` is too short.
std::vector<uint8_t> unpack_codes(std::span<const uint8_t> packed, int bits, size_t count);

/// Ternary codes u in {0, 1, 2} (value u - 1), five per byte: byte = sum_j u_j * 3^j, j = 0..4
/// (first code least significant). The last byte is padded with u = 0. Bytes are in [0, 242].
std::vector<uint8_t> pack_ternary_base3(std::span<const uint8_t> codes);
/// Inverse of pack_ternary_base3. Throws on a byte > 242 or a too-short input.
std::vector<uint8_t> unpack_ternary_base3(std::span<const uint8_t> packed, size_t count);

/// Ternary codes at 2 bits (four per byte, pack_codes layout); throws on a code > 2.
std::vector<uint8_t> pack_ternary_2bit(std::span<const uint8_t> codes);
/// Inverse of pack_ternary_2bit; throws on the unused pattern 3.
std::vector<uint8_t> unpack_ternary_2bit(std::span<const uint8_t> packed, size_t count);

/// Table symmetrization (LUT Tensor Core): an unsigned b-bit code q read as q' = 2q - (2^b - 1),
/// an odd number in [-(2^b - 1), 2^b - 1] whose bit-plane i contributes 2^i * (2 * bit_i(q) - 1).
constexpr int symmetric_code(uint32_t q, int bits) {
  return 2 * static_cast<int>(q) - ((1 << bits) - 1);
}
/// Inverse: q = (q' + 2^b - 1) / 2.
constexpr uint32_t code_from_symmetric(int qs, int bits) {
  return static_cast<uint32_t>((qs + (1 << bits) - 1) / 2);
}

}  // namespace lowbit
