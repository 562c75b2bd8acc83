// Defaults of the compute-unit description (unit_spec.h).
#include "model/arch/unit_spec.h"

#include <fmt/format.h>

namespace lowbit {

void IUnitSpec::check(const nlohmann::json&, std::string_view) const {}

GroupRule IUnitSpec::group_rule(bool) const { return GroupRule::kExactInteger; }

int IUnitSpec::weight_value(WeightKind kind, int bits, uint32_t code, uint32_t group_byte) const {
  return lowbit::weight_value(kind, bits, code, group_byte);
}

std::string IUnitSpec::weight_formats_allowed(const UnitGeometry& g) const {
  if (g.max_weight_bits <= 2) return "binary, ternary, int2, uint2";
  return fmt::format("{}..{} bits (binary, ternary, int2..int{}, uint2..uint{})", g.min_weight_bits,
                     g.max_weight_bits, g.max_weight_bits, g.max_weight_bits);
}

}  // namespace lowbit
