// Lockstep comparison of the Verilated RTL's pins against the C++ model's, cycle by cycle.
#pragma once

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace lowbit {

/// What it models: the checker of a lockstep pair (as Ibex's cosim): the rtl backend steps the
/// Verilated tile and the C++ model with the same inputs and calls bit()/words() for every output
/// pin after every edge. A difference throws std::runtime_error naming the config, the cycle
/// (rising edges since the last reset) and the pin; nothing is thrown while they agree.
class Lockstep {
 public:
  /// `config` names the tile in messages, e.g. "lutcore_m2n8k4".
  explicit Lockstep(std::string config) : m_config(std::move(config)) {}

  void restart() { m_cycle = 0; }
  void next_cycle() { ++m_cycle; }
  uint64_t cycle() const { return m_cycle; }
  const std::string& config() const { return m_config; }

  void bit(const char* pin, bool rtl, bool model) const {
    if (rtl != model) fail(pin, -1, rtl, model);
  }
  /// Compares `model.size()` 32-bit words of a bus (word i = bits [32 i, 32 i + 32)).
  void words(const char* pin, const std::vector<uint32_t>& rtl,
             const std::vector<uint32_t>& model) const {
    for (size_t i = 0; i < model.size(); ++i) {
      if (rtl[i] != model[i]) fail(pin, static_cast<int>(i), rtl[i], model[i]);
    }
  }

 private:
  [[noreturn]] void fail(const char* pin, int word, uint32_t rtl, uint32_t model) const {
    char buf[256];
    if (word < 0) {
      std::snprintf(buf, sizeof buf, "%s: cycle %llu: pin %s: rtl %u, model %u", m_config.c_str(),
                    static_cast<unsigned long long>(m_cycle), pin, rtl, model);
    } else {
      std::snprintf(buf, sizeof buf, "%s: cycle %llu: pin %s word %d: rtl 0x%08x, model 0x%08x",
                    m_config.c_str(), static_cast<unsigned long long>(m_cycle), pin, word, rtl,
                    model);
    }
    throw std::runtime_error(std::string("rtl lockstep mismatch: ") + buf +
                             " (the Verilated RTL and the C++ model disagree)");
  }

  std::string m_config;
  uint64_t m_cycle = 0;
};

}  // namespace lowbit
