// Parameters of the PE-array units (mixpe, mac): the same keys for a fair comparison, own subtree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/arch/param_info.h"

namespace lowbit {

struct HwConfig;

/// Shape and features of one R x C PE array, read from the "mixpe" (or "mac") subtree of a named
/// config (configs/mixpe_*.json, configs/mac_*.json). Defaults and ranges: pe_array_param_fields().
struct PeArrayParams {
  int rows = 64;           ///< R: activation rows (output rows) per tile
  int cols = 64;           ///< C: weight rows (output columns) per tile, one dequant unit each
  bool fp16 = false;       ///< FP16 activations supported; false: INT8 only (the W4A8 design point)
  bool systolic = false;   ///< operands pass PE to PE through registers (else broadcast)
  int pe_stages = 0;       ///< 0..1: register between a PE's product and its accumulator add
  int dequant_stages = 0;  ///< 0..6: pipeline depth of the drain (and of mac's weight dequant)

  /// mixpe group accumulator width: FP16 fixed point a*2^24 needs 64 bits, INT8 32.
  int mixpe_acc_bits() const { return fp16 ? 64 : 32; }
  /// mac_wdeq's latency: a register before and after its FP32 multiply of min(S, 6) stages.
  int weight_dequant_latency() const;
  /// Cycles from a group's last x beat until every PE's shadow holds the group (beyond the
  /// unpipelined array's 0): mac's weight dequant, the input register and C - 1 hops when
  /// systolic (the drain's row order absorbs the row skew), the PE register.
  int fill_latency(bool weight_dequant) const;
  /// Cycles from the drain's read of a row to the write of its result (lb_pe_array_dq).
  int drain_latency() const;
  /// Cycles from the drain's read of a row's running results (at the FP32 add) to their write:
  /// consecutive drains start at least this + 1 cycles apart.
  int drain_gap() const;
};

/// Every parameter of an array subtree, in declaration order, bound to its member.
const std::vector<ParamField<PeArrayParams>>& pe_array_param_fields();

/// Reads and validates only the `unit` subtree ("mixpe" or "mac") of a parsed config.
PeArrayParams pe_array_params_from_json(const nlohmann::json& config, std::string_view unit,
                                        std::string_view source);
/// Reads and validates a config file (ConfigError, also for unreadable or malformed JSON).
PeArrayParams pe_array_params_from_file(const std::string& path, std::string_view unit);
/// The typed parameters of a mixpe or mac HwConfig.
PeArrayParams pe_array_params(const HwConfig& hw);

}  // namespace lowbit
