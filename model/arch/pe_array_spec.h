// What the mixpe and mac units share as registry entries: an R x C PE array fed one K step a beat.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "model/arch/pe_array_params.h"
#include "model/arch/unit_spec.h"

namespace lowbit {

/// What it describes: the common part of the PE-array units (same keys, geometry, codec and cost
/// events); a unit supplies its name, opcode, what its per-column converter is, and its arithmetic.
class PeArraySpec : public IUnitSpec {
 public:
  const std::vector<ParamInfo>& params() const override;
  UnitGeometry geometry(const nlohmann::json& tree) const override;
  const UnitCost& cost() const override { return m_cost; }
  int min_dequant_group(const nlohmann::json& tree, int bits) const override;
  CoreTiming core_timing(const nlohmann::json& tree) const override;

 protected:
  /// `converter`: what sits on each row or column in front of the PEs (for the cost boundary);
  /// `converter_components`: its names in the characterization breakdown (with the PEs, the
  /// mpGEMM core).
  PeArraySpec(std::string_view unit, std::string_view converter,
              std::initializer_list<std::string_view> converter_components);

 private:
  UnitCost m_cost;
  bool m_weight_dequant;  ///< the weights are dequantized in front of the array (mac)
};

}  // namespace lowbit
