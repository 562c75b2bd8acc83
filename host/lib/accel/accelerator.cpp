// Backend registry behind connect(): golden, sim and rtl, keyed by name.
#include "lowbit/accelerator.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "backends.h"
#include "lowbit/error.h"

namespace lowbit {

namespace {
using Factory = std::unique_ptr<Accelerator> (*)(const HwConfig&, const ConnectOptions&);

#if !LOWBIT_WITH_SIM_BACKENDS
std::unique_ptr<Accelerator> make_unbuilt_accelerator(const HwConfig&, const ConnectOptions&) {
  throw InputError(
      "--backend: the sim and rtl backends are not in this build (it was configured without "
      "SystemC: apt-get install libsystemc-dev, then reconfigure); allowed: golden");
}
#endif
// Function-local static: no global constructors (the registry is built on first use).
const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> r = {
    {"golden", &make_golden_accelerator},
#if LOWBIT_WITH_SIM_BACKENDS
    {"sim", &make_sim_accelerator},
    {"rtl", &make_rtl_accelerator},
#else
    {"sim", &make_unbuilt_accelerator},
    {"rtl", &make_unbuilt_accelerator},
#endif
  };
  return r;
}

}  // namespace

std::vector<std::string> backend_names() {
  std::vector<std::string> v;
  for (const auto& [name, f] : registry()) v.push_back(name);
  return v;
}

std::unique_ptr<Accelerator> connect(const std::string& backend, const HwConfig& hw,
                                     const ConnectOptions& options) {
  const auto& r = registry();
  const auto it = r.find(backend);
  if (it == r.end()) {
    throw InputError(fmt::format("--backend: '{}' is not a backend; allowed: {}", backend,
                                 fmt::join(backend_names(), ", ")));
  }
  return it->second(hw, options);
}

}  // namespace lowbit
