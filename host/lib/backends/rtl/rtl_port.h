// Packs and unpacks bit fields of Verilated ports (CData/SData/IData/QData or VlWide) and raw
// words.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace lowbit::rtl_port {

/// Bits [lo, lo + width) of a little-endian array of 32-bit words (bit l is bit l % 32 of word
/// l / 32, as in a Verilated VlWide and a SystemC sc_bv). width is 1..32.
inline uint32_t words_get(const uint32_t* words, int lo, int width) {
  const int i = lo >> 5;
  const int off = lo & 31;
  uint64_t x = words[i];
  if (off + width > 32) x |= static_cast<uint64_t>(words[i + 1]) << 32;
  return static_cast<uint32_t>((x >> off) & ((uint64_t{1} << width) - 1));
}

/// Writes the low `width` (1..32) bits of `value` at bit `lo`; other bits stay as they are.
inline void words_put(uint32_t* words, int lo, int width, uint32_t value) {
  const int i = lo >> 5;
  const int off = lo & 31;
  const bool two = off + width > 32;
  const uint64_t mask = ((uint64_t{1} << width) - 1) << off;
  uint64_t x = words[i];
  if (two) x |= static_cast<uint64_t>(words[i + 1]) << 32;
  x = (x & ~mask) | ((static_cast<uint64_t>(value) << off) & mask);
  words[i] = static_cast<uint32_t>(x);
  if (two) words[i + 1] = static_cast<uint32_t>(x >> 32);
}

/// Field of a port: an unsigned integer (Verilator's CData/SData/IData/QData for ports of up to
/// 64 bits) or a wide port with data() returning its 32-bit words (VlWide<N>).
template <class Port>
inline uint32_t get(const Port& port, int lo, int width) {
  if constexpr (std::is_integral_v<Port>) {
    return static_cast<uint32_t>((static_cast<uint64_t>(port) >> lo) &
                                 ((uint64_t{1} << width) - 1));
  } else {
    return words_get(port.data(), lo, width);
  }
}

/// Writes a field of a port (see get()). Bits outside the field are kept, so a port whose width
/// is not a multiple of 32 keeps its unused top bits at zero as Verilator requires.
template <class Port>
inline void put(Port& port, int lo, int width, uint32_t value) {
  if constexpr (std::is_integral_v<Port>) {
    const uint64_t mask = ((uint64_t{1} << width) - 1) << lo;
    const uint64_t x =
        (static_cast<uint64_t>(port) & ~mask) | ((static_cast<uint64_t>(value) << lo) & mask);
    port = static_cast<Port>(x);
  } else {
    words_put(port.data(), lo, width, value);
  }
}

/// Width of a port's storage in bits (at least the port's declared width).
template <class Port>
constexpr int storage_bits() {
  return static_cast<int>(sizeof(Port) * 8);
}

/// Throws if the Verilated port `Ref` (a member's decltype) holds fewer than `bits` bits: the
/// requested parameters differ from the ones this model was verilated with. `what` names the unit.
template <class Ref>
void check_width(const char* what, const char* pin, int bits) {
  using Port = std::remove_reference_t<Ref>;
  if (storage_bits<Port>() < bits) {
    throw std::logic_error(std::string(what) + ": port " + pin + " narrower than " +
                           std::to_string(bits) + " bits: params differ from the verilated ones");
  }
}

}  // namespace lowbit::rtl_port
