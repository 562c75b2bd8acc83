// The mixpe unit's core driver on its cycle-exact model (the sim registration of mixpe).
#include "model/arch/pe_array_params.h"
#include "sim/mixpe/i_pe_array.h"
#include "sim/mixpe/mixpe_core.h"
#include "sim/mixpe/pe_array_driver.h"

namespace lowbit {

std::unique_ptr<CoreDriver> make_mixpe_model_driver(const HwConfig& hw, StatGroup& stats) {
  return make_pe_array_driver(hw, stats, [p = pe_array_params(hw)](int, StatGroup& s) {
    return std::unique_ptr<IPeArray>(new PeArrayModel<MixpeCore>(p, s));
  });
}

}  // namespace lowbit
