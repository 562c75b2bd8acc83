// DRAM energy per access: lookup of the cited specs and bytes x 8 x pJ/bit.
#include "model/cost/dram_energy.h"

#include <stdexcept>
#include <string>

namespace lowbit {

const DramEnergySpec& dram_energy_spec(std::string_view name) {
  for (const DramEnergySpec* s : {&kDramHorowitzLow, &kDramHorowitzHigh, &kDramHbm2}) {
    if (s->name == name) return *s;
  }
  throw std::invalid_argument("unknown DRAM energy spec '" + std::string(name) +
                              "'; allowed: ddr_horowitz2014_low, ddr_horowitz2014_high, "
                              "hbm2_oconnor2017");
}

double dram_energy_pj(const DramEnergySpec& spec, std::uint64_t bytes) {
  return static_cast<double>(bytes) * 8.0 * spec.pj_per_bit;
}

}  // namespace lowbit
