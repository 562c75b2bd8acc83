// Parameters of the mac baseline array: the same keys as mixpe (a fair comparison), own subtree.
#pragma once

#include "sim/mixpe/mixpe_params.h"

namespace lowbit {

inline PeArrayParams mac_params_from_json(const nlohmann::json& config, std::string_view source) {
  return pe_array_params_from_json(config, "mac", source);
}
inline PeArrayParams mac_params_from_file(const std::string& path) {
  return pe_array_params_from_file(path, "mac");
}

}  // namespace lowbit
