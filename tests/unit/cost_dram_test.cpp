// DRAM energy: the cited pJ/bit values, bytes x 8 x pJ/bit, and lookup errors naming the choices.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "model/cost/dram_energy.h"

namespace lowbit {
namespace {

TEST(CostDram, CitedValues) {
  EXPECT_NEAR(kDramHorowitzLow.pj_per_bit, 20.3125, 1e-12);  // 1.3 nJ / 64 b
  EXPECT_NEAR(kDramHorowitzHigh.pj_per_bit, 40.625, 1e-12);  // 2.6 nJ / 64 b
  EXPECT_NEAR(kDramHbm2.pj_per_bit, 3.9, 1e-12);
}

TEST(CostDram, EnergyIsBitsTimesPjPerBit) {
  // One 64-bit access at the high Horowitz figure is the published 2.6 nJ.
  EXPECT_NEAR(dram_energy_pj(kDramHorowitzHigh, 8), 2600.0, 1e-9);
  EXPECT_NEAR(dram_energy_pj(dram_energy_spec("hbm2_oconnor2017"), 1000), 31200.0, 1e-9);
  EXPECT_EQ(dram_energy_pj(kDramHbm2, 0), 0.0);
}

TEST(CostDram, UnknownNameListsTheAllowedOnes) {
  try {
    dram_energy_spec("ddr9");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("hbm2_oconnor2017"), std::string::npos);
  }
}

}  // namespace
}  // namespace lowbit
