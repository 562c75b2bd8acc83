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
  int rows = 64;      ///< R: activation rows (output rows) per tile
  int cols = 64;      ///< C: weight rows (output columns) per tile, one dequant unit each
  bool fp16 = false;  ///< FP16 activations supported; false: INT8 only (the W4A8 design point)

  /// mixpe group accumulator width: FP16 fixed point a*2^24 needs 64 bits, INT8 32.
  int mixpe_acc_bits() const { return fp16 ? 64 : 32; }
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
