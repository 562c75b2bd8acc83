// Where the characterization of a node is read from (the energy and area of `lowbit run`/`report`).
#pragma once

#include <string>

namespace lowbit {

/// $LOWBIT_CHARACTERIZATION_DIR/<node>.json when that variable is set, else the source tree's
/// rtl/synth/characterization/<node>.json.
std::string default_characterization_path(const std::string& node);

}  // namespace lowbit
