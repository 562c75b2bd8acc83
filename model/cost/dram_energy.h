// DRAM energy per access from published pJ/bit figures.
#pragma once

#include <cstdint>
#include <string_view>

namespace lowbit {

/// A DRAM technology's access energy, with where the number comes from.
struct DramEnergySpec {
  std::string_view name;
  double pj_per_bit;
  std::string_view source;
};

/// Horowitz, ISSCC 2014 (45 nm table): DRAM 1.3-2.6 nJ per 64-bit access -> 20.3-40.6 pJ/bit.
inline constexpr DramEnergySpec kDramHorowitzLow{"ddr_horowitz2014_low", 1300.0 / 64.0,
                                                 "Horowitz ISSCC 2014, 1.3 nJ / 64 b"};
inline constexpr DramEnergySpec kDramHorowitzHigh{"ddr_horowitz2014_high", 2600.0 / 64.0,
                                                  "Horowitz ISSCC 2014, 2.6 nJ / 64 b"};
/// O'Connor et al., MICRO 2017 ("Fine-Grained DRAM"): HBM2 about 3.9 pJ/bit.
inline constexpr DramEnergySpec kDramHbm2{"hbm2_oconnor2017", 3.9, "O'Connor et al. MICRO 2017"};

/// Looks up a spec by name; throws std::invalid_argument naming the allowed names.
const DramEnergySpec& dram_energy_spec(std::string_view name);

/// Energy (pJ) to move `bytes` to or from DRAM with `spec`.
double dram_energy_pj(const DramEnergySpec& spec, std::uint64_t bytes);

}  // namespace lowbit
