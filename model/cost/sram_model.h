// Analytical SRAM buffer model: area and energy per access from capacity, width and banks.
#pragma once

#include <cstdint>

namespace lowbit {

/// One SRAM buffer: `capacity_bytes` split evenly over `banks`, `width_bits` read or written per
/// access. All three must be positive; capacity a multiple of banks.
struct SramGeometry {
  std::uint64_t capacity_bytes = 0;
  std::uint32_t width_bits = 64;
  std::uint32_t banks = 1;
};

/// Area and per-access energy of a buffer at 45 nm (docs/energy-model.md, "SRAM and DRAM").
struct SramCost {
  double area_um2 = 0.0;         ///< bit cells / array efficiency + per-bank periphery
  double read_energy_pj = 0.0;   ///< one access of width_bits in one bank
  double write_energy_pj = 0.0;  ///< taken equal to a read (the source gives reads only)
};

/// Published anchors (Horowitz, ISSCC 2014, "Computing's energy problem", 45 nm, 0.9 V): a 64-bit
/// access costs 10 pJ in an 8 KB SRAM, 20 pJ in 32 KB, 100 pJ in 1 MB.
struct SramAnchor {
  double capacity_bytes;
  double energy_pj_64b;
};
inline constexpr SramAnchor kHorowitz2014Sram[] = {
    {8.0 * 1024, 10.0}, {32.0 * 1024, 20.0}, {1024.0 * 1024, 100.0}};
/// 45 nm 6T bit cell, 0.346 um^2 (Mistry et al., IEDM 2007, Intel 45 nm high-k metal gate).
inline constexpr double kBitCellUm2_45nm = 0.346;
/// Assumption (no source): 70 % of a bank's area is bit cells.
inline constexpr double kArrayEfficiency = 0.70;
/// Assumption (no source): fixed periphery per bank (decoders, sense amps, IO), um^2.
inline constexpr double kBankPeripheryUm2 = 2000.0;

/// Energy of a 64-bit access in a bank of `bank_bytes`: log-log interpolation between the anchors,
/// extrapolated with the square-root law of the first and last segment outside them.
double sram_energy_64b_pj(double bank_bytes);

/// Area and energy of `g`; throws std::invalid_argument for a zero field or uneven banks. The
/// per-access energy scales linearly with width_bits / 64 and uses the capacity of one bank.
SramCost sram_cost(const SramGeometry& g);

}  // namespace lowbit
