// SRAM model: the Horowitz 2014 anchors come back exactly, energy grows with bank size and width,
// banking cuts the per-access energy, area is bit cells over efficiency plus periphery.
#include <gtest/gtest.h>

#include <stdexcept>

#include "model/cost/sram_model.h"

namespace lowbit {
namespace {

TEST(CostSram, ReproducesThePublishedAnchors) {
  EXPECT_NEAR(sram_energy_64b_pj(8.0 * 1024), 10.0, 1e-9);
  EXPECT_NEAR(sram_energy_64b_pj(32.0 * 1024), 20.0, 1e-9);
  EXPECT_NEAR(sram_energy_64b_pj(1024.0 * 1024), 100.0, 1e-9);
}

TEST(CostSram, EnergyIsMonotoneAndExtrapolatesWithTheEdgeSlopes) {
  double prev = 0.0;
  for (double kb = 1; kb <= 8192; kb *= 2) {
    const double e = sram_energy_64b_pj(kb * 1024);
    EXPECT_GT(e, prev) << kb;
    prev = e;
  }
  // Below 8 KB the 8->32 KB slope (exactly 0.5) continues: 2 KB costs half of 8 KB.
  EXPECT_NEAR(sram_energy_64b_pj(2.0 * 1024), 5.0, 1e-9);
}

TEST(CostSram, WidthScalesLinearlyAndBanksUseTheBankCapacity) {
  const SramCost one = sram_cost({.capacity_bytes = 32 * 1024, .width_bits = 64, .banks = 1});
  const SramCost wide = sram_cost({.capacity_bytes = 32 * 1024, .width_bits = 128, .banks = 1});
  const SramCost four = sram_cost({.capacity_bytes = 32 * 1024, .width_bits = 64, .banks = 4});
  EXPECT_NEAR(one.read_energy_pj, 20.0, 1e-9);
  EXPECT_NEAR(wide.read_energy_pj, 40.0, 1e-9);
  EXPECT_NEAR(four.read_energy_pj, 10.0, 1e-9);  // 8 KB banks
  EXPECT_EQ(one.write_energy_pj, one.read_energy_pj);
  const double cells = 32.0 * 1024 * 8 * kBitCellUm2_45nm / kArrayEfficiency;
  EXPECT_NEAR(one.area_um2, cells + kBankPeripheryUm2, 1e-6);
  EXPECT_NEAR(four.area_um2, cells + 4 * kBankPeripheryUm2, 1e-6);
}

TEST(CostSram, RejectsEmptyOrUnevenGeometry) {
  EXPECT_THROW(sram_cost({.capacity_bytes = 0}), std::invalid_argument);
  EXPECT_THROW(sram_cost({.capacity_bytes = 1024, .width_bits = 0}), std::invalid_argument);
  EXPECT_THROW(sram_cost({.capacity_bytes = 1000, .width_bits = 64, .banks = 3}),
               std::invalid_argument);
}

}  // namespace
}  // namespace lowbit
