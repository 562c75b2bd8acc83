// The one list of the units' cycle-model drivers (the SystemC-side registration of a unit).
#include "sim/top/unit_models.h"

#include <utility>

namespace lowbit {

std::unique_ptr<CoreDriver> make_lutcore_model_driver(const HwConfig& hw, StatGroup& stats);
std::unique_ptr<CoreDriver> make_mixpe_model_driver(const HwConfig& hw, StatGroup& stats);
std::unique_ptr<CoreDriver> make_mac_model_driver(const HwConfig& hw, StatGroup& stats);
std::unique_ptr<CoreDriver> make_bitmod_model_driver(const HwConfig& hw, StatGroup& stats);

CoreDriverMaker find_model_driver(std::string_view unit) {
  static const std::pair<std::string_view, CoreDriverMaker> makers[] = {
      {"lutcore", &make_lutcore_model_driver},
      {"mixpe", &make_mixpe_model_driver},
      {"mac", &make_mac_model_driver},
      {"bitmod", &make_bitmod_model_driver},
  };
  for (const auto& [name, make] : makers) {
    if (name == unit) return make;
  }
  return nullptr;
}

}  // namespace lowbit
