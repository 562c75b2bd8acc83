// The bitmod unit's core driver on its cycle-exact model (the sim registration of bitmod): the
// PE-array core driver, one K step a beat, through BitmodStepFeeder (two slice beats a step).
#include "model/arch/pe_array_params.h"
#include "sim/bitmod/bitmod_core.h"
#include "sim/bitmod/bitmod_step_feeder.h"
#include "sim/mixpe/i_pe_array.h"
#include "sim/mixpe/pe_array_driver.h"

namespace lowbit {

std::unique_ptr<CoreDriver> make_bitmod_model_driver(const HwConfig& hw, StatGroup& stats) {
  return make_pe_array_driver(hw, stats, [p = pe_array_params(hw)](int, StatGroup& s) {
    return std::unique_ptr<IPeArray>(
        new BitmodStepFeeder(std::make_unique<PeArrayModel<BitmodCore>>(p, s), p));
  });
}

}  // namespace lowbit
