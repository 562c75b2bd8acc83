// Parameters of the mixpe and mac arrays (one declaration drives parsing, validation and docs).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lowbit {

/// Shape and features of one R x C PE array, read from the "mixpe" (or "mac") subtree of a named
/// config (configs/mixpe_*.json, configs/mac_*.json). Plain C++ (no SystemC).
struct PeArrayParams {
  int rows = 64;      ///< R: activation rows (output rows) per tile
  int cols = 64;      ///< C: weight rows (output columns) per tile, one dequant unit each
  bool fp16 = false;  ///< FP16 activations supported; false: INT8 only (the W4A8 design point)

  /// mixpe group accumulator width: FP16 fixed point a*2^24 needs 64 bits, INT8 32.
  int mixpe_acc_bits() const { return fp16 ? 64 : 32; }
};

/// One declared parameter: the single source for the parser, the range check and the docs.
struct PeArrayParamInfo {
  std::string_view name;
  std::string_view type;  ///< "int" or "bool"
  int default_value;
  int min_value;
  int max_value;
  std::string_view description;
};

/// Every parameter of the array subtree, in declaration order (same keys for mixpe and mac).
const std::vector<PeArrayParamInfo>& pe_array_param_infos();

/// Thrown for a bad config: what() is one line naming the file, the key and what is allowed.
class PeArrayConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads only the `unit` subtree ("mixpe" or "mac") of a parsed config; `source` names the file.
PeArrayParams pe_array_params_from_json(const nlohmann::json& config, std::string_view unit,
                                        std::string_view source);
/// Reads and validates a config file (throws PeArrayConfigError, also for unreadable/bad JSON).
PeArrayParams pe_array_params_from_file(const std::string& path, std::string_view unit);

inline PeArrayParams mixpe_params_from_json(const nlohmann::json& config, std::string_view source) {
  return pe_array_params_from_json(config, "mixpe", source);
}
inline PeArrayParams mixpe_params_from_file(const std::string& path) {
  return pe_array_params_from_file(path, "mixpe");
}

}  // namespace lowbit
