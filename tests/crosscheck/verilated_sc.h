// Ports of a Verilated model in C++ mode (CData..QData or VlWide) to and from SystemC bit vectors,
// for the SystemC wrappers that let the cross-check testbenches drive the same Verilated libraries
// as the rtl backend (one Verilator build per config, lowbit_rtl_model_library).
#pragma once

#include <systemc>
#include <type_traits>

namespace lowbit::verilated_sc {

/// Copies a SystemC vector into a Verilated port of at least W bits.
template <int W, class Port>
void put(Port& port, const sc_dt::sc_bv<W>& v) {
  if constexpr (std::is_integral_v<Port>) {
    static_assert(W <= 64 && sizeof(Port) * 8 >= W, "port narrower than the vector");
    port = static_cast<Port>(v.to_uint64());
  } else {
    static_assert(sizeof(port.m_storage) * 8 >= W, "port narrower than the vector");
    for (int i = 0; i < (W + 31) / 32; ++i) port.data()[i] = v.get_word(i);
  }
}

/// The low W bits of a Verilated port as a SystemC vector.
template <int W, class Port>
sc_dt::sc_bv<W> get(const Port& port) {
  sc_dt::sc_bv<W> v;
  if constexpr (std::is_integral_v<Port>) {
    static_assert(W <= 64, "integral ports hold at most 64 bits");
    v = static_cast<uint64_t>(port);
  } else {
    for (int i = 0; i < (W + 31) / 32; ++i) v.set_word(i, port.data()[i]);
  }
  return v;
}

/// True when the W-bit port differs from `last` (a cache of what was last written to SystemC).
template <int W, class Port>
bool changed(const Port& port, const sc_dt::sc_bv<W>& last) {
  if constexpr (std::is_integral_v<Port>) {
    return static_cast<uint64_t>(port) != last.to_uint64();
  } else {
    for (int i = 0; i < (W + 31) / 32; ++i) {
      if (port.data()[i] != last.get_word(i)) return true;
    }
    return false;
  }
}

}  // namespace lowbit::verilated_sc
