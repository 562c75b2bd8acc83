// The one list of compute units: a new unit adds its folder model/arch/<unit>/ and one line here.
#include "model/arch/unit_registry.h"

namespace lowbit {

const IUnitSpec& lutcore_unit_spec();
const IUnitSpec& mixpe_unit_spec();
const IUnitSpec& mac_unit_spec();
const IUnitSpec& bitmod_unit_spec();

const std::vector<const IUnitSpec*>& unit_specs() {
  static const std::vector<const IUnitSpec*> specs = {
      &lutcore_unit_spec(),
      &mixpe_unit_spec(),
      &mac_unit_spec(),
      &bitmod_unit_spec(),
  };
  return specs;
}

const IUnitSpec* find_unit_spec(std::string_view name) {
  for (const IUnitSpec* s : unit_specs()) {
    if (s->name() == name) return s;
  }
  return nullptr;
}

std::string unit_names() {
  std::string v;
  for (const IUnitSpec* s : unit_specs()) v += (v.empty() ? "" : ", ") + std::string(s->name());
  return v;
}

}  // namespace lowbit
