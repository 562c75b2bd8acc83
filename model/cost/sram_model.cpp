// Analytical SRAM buffer model: Horowitz 2014 45 nm anchors, interpolated in log-log space.
#include "model/cost/sram_model.h"

#include <cmath>
#include <iterator>
#include <stdexcept>

namespace lowbit {

double sram_energy_64b_pj(double bank_bytes) {
  const auto* a = std::begin(kHorowitz2014Sram);
  const std::size_t n = std::size(kHorowitz2014Sram);
  std::size_t i = 0;  // segment [i, i + 1]
  if (bank_bytes >= a[n - 1].capacity_bytes) {
    i = n - 2;
  } else {
    while (i + 2 < n && bank_bytes >= a[i + 1].capacity_bytes) ++i;
  }
  const double x0 = std::log(a[i].capacity_bytes), x1 = std::log(a[i + 1].capacity_bytes);
  const double y0 = std::log(a[i].energy_pj_64b), y1 = std::log(a[i + 1].energy_pj_64b);
  const double slope = (y1 - y0) / (x1 - x0);
  return std::exp(y0 + slope * (std::log(bank_bytes) - x0));
}

SramCost sram_cost(const SramGeometry& g) {
  if (g.capacity_bytes == 0 || g.width_bits == 0 || g.banks == 0 ||
      g.capacity_bytes % g.banks != 0) {
    throw std::invalid_argument(
        "sram_cost: capacity, width and banks must be positive and the "
        "capacity a multiple of banks");
  }
  const double bank_bytes = static_cast<double>(g.capacity_bytes) / g.banks;
  SramCost c;
  c.area_um2 = static_cast<double>(g.capacity_bytes) * 8.0 * kBitCellUm2_45nm / kArrayEfficiency +
               g.banks * kBankPeripheryUm2;
  c.read_energy_pj = sram_energy_64b_pj(bank_bytes) * g.width_bits / 64.0;
  c.write_energy_pj = c.read_energy_pj;
  return c;
}

}  // namespace lowbit
