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
  // The arrays of integer codes (mixpe, mac) also run FP4 E2M1 and MXFP4 codes (docs/fp-weights.md,
  // "The PE arrays"): mixpe shifts by the exponent too (u = 2v + 16), mac dequantizes each code to
  // the integer 2v. bitmod (its own codec) does not.
  bool runs_codec(WeightCodec codec) const override {
    return codec == weight_codec() ||
           (weight_codec() == WeightCodec::kAffine && weight_codec_is_fp4(codec));
  }
  std::string weight_formats_allowed(const UnitGeometry& g) const override {
    const std::string base = IUnitSpec::weight_formats_allowed(g);
    return weight_codec() == WeightCodec::kAffine ? base + ", fp4_e2m1, mxfp4" : base;
  }

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
