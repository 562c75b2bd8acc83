// The table of named memory systems (sources in docs/top.md, "Memory presets").
#include "model/arch/dram_presets.h"

namespace lowbit {

const std::vector<DramPreset>& dram_presets() {
  static const std::vector<DramPreset> presets = {
      // 3200 MT/s x 8 B; BL8 x 64 b = 64 B; speed bin DDR4-3200AA (22-22-22): tRCD = tAA = 13.75
      // ns.
      {"ddr4_3200_x64", 25.6, 27.5, 64, 1, "ddr_horowitz2014_low",
       "JEDEC JESD79-4 (DDR4 SDRAM), DDR4-3200AA speed bin, one x64 channel"},
      // 4 x16 channels x 8533 MT/s x 2 B = 68.3 GB/s; BL16 x 16 b = 32 B; tRCD 18 ns + RL 20 nCK
      // at 1066 MHz CK (18.75 ns).
      {"lpddr5x_8533_x64", 68.26, 36.75, 32, 4, "ddr_horowitz2014_low",
       "JEDEC JESD209-5B (LPDDR5/5X), 8533 Mb/s, four x16 channels (x64 package)"},
      // 1024 b x 3.2 Gb/s = 409.6 GB/s; 16 pseudo channels x 64 b, BL4 = 32 B.
      {"hbm2e_stack", 409.6, 28.0, 32, 16, "hbm2_oconnor2017",
       "JEDEC JESD235D (HBM2E), 3.2 Gb/s per pin, one stack in pseudo-channel mode"},
      // 1024 b x 6.4 Gb/s = 819.2 GB/s; 16 channels = 32 pseudo channels x 32 b, BL8 = 32 B.
      {"hbm3_stack", 819.2, 28.0, 32, 32, "hbm2_oconnor2017",
       "JEDEC JESD238 (HBM3), 6.4 Gb/s per pin, one stack, 32 pseudo channels"},
  };
  return presets;
}

const DramPreset* find_dram_preset(std::string_view name) {
  for (const DramPreset& p : dram_presets()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string dram_preset_names() {
  std::string s;
  for (const DramPreset& p : dram_presets()) s += (s.empty() ? "" : ", ") + std::string(p.name);
  return s;
}

}  // namespace lowbit
