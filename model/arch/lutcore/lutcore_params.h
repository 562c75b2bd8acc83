// Parameters of the LUT Tensor Core tile (one declaration drives parsing, validation, RTL and
// docs).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "model/arch/param_info.h"

namespace lowbit {

struct HwConfig;

/// Shape and feature parameters of one lutcore tile, read from the "lutcore" subtree of a named
/// config (configs/lutcore_*.json). Defaults and ranges: lutcore_param_fields().
struct LutcoreParams {
  int m = 2;         ///< rows of activations (tables) per tile
  int n = 64;        ///< output columns sharing each table
  int k = 4;         ///< K elements per tile beat (a multiple of g)
  int g = 4;         ///< activations per table (2^(g-1) symmetric or 2^g full entries stored)
  bool fp16 = true;  ///< FP16 activations supported (64-bit accumulators), else INT8 only (32-bit)
  int dequant_lanes = 16;  ///< FP32 dequant lanes (divides n): a group takes m*n/lanes cycles
  /// Table symmetrization (RTL parameter Sym): true stores 2^(g-1) entries per table and negates
  /// by the index top bit; false stores all 2^g entries (the study variant). Same results, cycles.
  bool symmetric = true;
  /// Pipeline depth of the dequant lanes (RTL parameter DqStages, lut_dequant Stages): 0 puts the
  /// whole FP32 chain in one cycle; S gives the integer part min(S, 4) registers and each FP32 unit
  /// min(S, its deepest form) (int->fp32 4, multiply 7, add 6), plus a register between the FP32
  /// units when S >= 4.
  int dequant_stages = 0;
  /// 1: a register between the table lookup and the accumulator add (RTL ArrStages); a group's
  /// acc' then reaches the dequant one cycle later.
  int array_stages = 0;

  int tables_per_row() const { return k / g; }
  /// Table entries stored per table: 2^(g-1) symmetric, 2^g without symmetrization.
  int entries() const { return symmetric ? 1 << (g - 1) : 1 << g; }
  /// Cycles the dequant stage needs per group (chunks of dequant_lanes lanes of one row).
  int dequant_chunks() const { return m * (n / dequant_lanes); }
  /// Cycles from a chunk's dequant start to its O lanes in the output register (lut_dequant
  /// LatAll).
  int dequant_latency() const {
    const int s = dequant_stages;
    const int boundaries = s >= 4 ? 3 : 0;  // registers between the FP32 units
    return std::min(s, 4) + std::min(s, 4) + 2 * std::min(s, 7) + std::min(s, 6) + boundaries;
  }
  /// Cycles between the starts of two consecutive groups' dequant at least (the accumulator add's
  /// depth + 1: a chunk is written back before the next group reads it).
  int dequant_group_spacing() const { return std::min(dequant_stages, 6) + 1; }
  /// Accumulator width in bits: 64 when FP16 fixed-point activations (41 bits) are supported.
  int acc_bits() const { return fp16 ? 64 : 32; }
};

/// Every parameter of the "lutcore" subtree, in declaration order, bound to its member.
const std::vector<ParamField<LutcoreParams>>& lutcore_param_fields();

/// Checks the cross-parameter rules (dequant_lanes divides n, k a multiple of g); throws
/// ConfigError naming `source`.
void check_lutcore_params(const LutcoreParams& p, std::string_view source);

/// Reads and validates only the "lutcore" subtree of a parsed config (ConfigError when missing).
LutcoreParams lutcore_params_from_json(const nlohmann::json& config, std::string_view source);
/// Reads and validates a config file (ConfigError, also for unreadable or malformed JSON).
LutcoreParams lutcore_params_from_file(const std::string& path);
/// The typed parameters of a lutcore HwConfig.
LutcoreParams lutcore_params(const HwConfig& hw);

}  // namespace lowbit
