// Area and energy per MAC of a characterized unit's mpGEMM core at a weight width: the figure the
// LUT vs MAC comparison of docs/results.md is made of (`lowbit characterization`, scripts/results).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/arch/unit_spec.h"

namespace lowbit {

/// Which activation data a switching-activity energy was simulated on (the entry's "activity" or
/// "activity_fp16" runs).
enum class ActivityData { kInt8, kFp16 };

/// Area and energy of one core at one weight width.
struct PerMacCost {
  double area_um2 = 0.0;   ///< core cell area per MAC/cycle at steady state
  double energy_pj = 0.0;  ///< core energy per MAC (dynamic + leakage at power_period_ns)
  /// The characterized width whose activity was used when `bits` itself has none.
  std::optional<int> nearest_bits;
  /// "switching_activity" (the entry's gate-level runs) or "global_activity" (the flow's first
  /// estimate: dynamic power linear in the measured port activity).
  std::string energy_method;
};

/// What it describes: one characterization entry ("units.<name>", or its "scaled" stand-in) as a
/// core whose per-MAC cost can be asked at any weight width. Built from the file's JSON in file
/// order (the sums add in the order the file lists the energies).
class CoreCost {
 public:
  /// `entry` is the entry's JSON, `component_activity` the file's "lutcore_component_activity"
  /// (component -> measured-activity class, null if absent), `where` its key path for errors
  /// ("<file>: units.<name>"). Throws CostInputError for a top no unit registers or a missing key.
  CoreCost(const nlohmann::ordered_json& entry, const nlohmann::ordered_json& component_activity,
           std::string where);

  const IUnitSpec& unit() const { return *m_unit; }
  /// The mpGEMM-core components this entry has (the unit's list, in its order).
  const std::vector<std::string>& components() const { return m_parts; }
  /// Their summed cell area (um^2).
  double area_um2() const;
  /// Products of weight x activation per cycle at steady state with b-bit weights (a bit-serial
  /// unit walks b planes per beat).
  double macs_per_cycle(int bits) const;
  /// Area and energy per MAC at `bits`-bit weights: the switching-activity runs on `acts` where
  /// the entry's energy method is switching activity and it has runs, else the global estimate.
  PerMacCost per_mac(int bits, ActivityData acts) const;

 private:
  const nlohmann::ordered_json& at(const nlohmann::ordered_json& obj, const std::string& key,
                                   const std::string& path) const;
  double number(const nlohmann::ordered_json& obj, const std::string& key,
                const std::string& path) const;
  std::optional<PerMacCost> switching_per_mac(int bits, ActivityData acts) const;
  PerMacCost global_per_mac(int bits) const;

  nlohmann::ordered_json m_entry;  // copies: a CoreCost outlives the document it came from
  nlohmann::ordered_json m_component_activity;
  std::string m_where;
  const IUnitSpec* m_unit = nullptr;
  UnitGeometry m_geometry;
  std::vector<std::string> m_parts;
};

/// The per-MAC figures of every entry of a characterization file (and of each entry's "scaled"
/// stand-in that carries its own power data) at the given weight widths, for INT8 and FP16
/// activation data: schema "lowbit.per_mac" v1 (docs/energy-model.md, "Per-MAC figures").
nlohmann::ordered_json per_mac_document(const std::filesystem::path& characterization,
                                        const std::vector<int>& bits);

}  // namespace lowbit
