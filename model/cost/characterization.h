// Characterization data of one node (rtl/synth/characterization/<node>.json), schema-checked.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lowbit {

/// Bad cost-model input (characterization file, stats document, option). what() is one line naming
/// the file and the key: "<file>: <key.path>: <problem>; allowed: <what>".
class CostInputError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// One top-level instance of a characterized unit: its cell area and its power at the reference
/// activity (both from the flow; power may be absent for older entries).
struct CharComponent {
  std::string name;
  double area_um2 = 0.0;
  std::optional<double> dynamic_w_ref;  ///< dynamic power at CharUnit::ref_activity
  /// Dynamic energy per cycle in the simulated workload run (switching-activity entries only).
  std::optional<double> dynamic_pj_activity;
  std::optional<double> leakage_w;
};

/// An entry written by the flow's documented scaling of a synthesized representative (e.g. the
/// 8x8 array standing in for mixpe_64x64): area per component and the factor applied to each.
struct CharScaled {
  std::string config;  ///< the named config this scaled entry stands for
  std::string rule;    ///< the scaling rule, as the flow states it
  /// What the representative's fmax means at the scaled size ("critical_path_note"; "" if the
  /// file has none).
  std::string fmax_note;
  double area_um2 = 0.0;
  std::map<std::string, double> breakdown_area_um2;
  std::map<std::string, double> factors;  ///< component -> factor (missing: 1)
};

/// Where an event's count is in a stats.json: the counter `counter` (a dotted path) under every
/// instance subtree stats.core.<instance><i> (the file writes "stats.core.tile<i>.array.planes").
struct EventCounter {
  std::string instance;  ///< "tile" or "array"
  std::string counter;   ///< e.g. "array.planes"
};

/// One synthesized unit (a compute tile or array at fixed parameters).
struct CharUnit {
  std::string name;       ///< key in "units", e.g. "lutcore_m3n5k6g2"
  std::string top;        ///< RTL top module, e.g. "lutcore_tile"
  nlohmann::json params;  ///< RTL parameters, e.g. {"M": 3, ...}
  std::string config;     ///< named config it was synthesized for ("" = none)
  double area_um2 = 0.0;  ///< cell area of the whole unit
  std::optional<double> fmax_mhz;
  /// How fmax was obtained when not by synthesizing this entry ("critical_path_note" of a fitted
  /// entry; "" for a synthesized one).
  std::string fmax_note;
  double leakage_w = 0.0;                ///< static power of the whole unit
  double power_period_ns = 0.0;          ///< clock period the power (and energies) were computed at
  double ref_activity = 0.1;             ///< activity of CharComponent::dynamic_w_ref
  std::vector<CharComponent> breakdown;  ///< in file order
  std::map<std::string, double> energy_default;  ///< event -> pJ at the default activity
  std::map<std::string, double>
      energy_measured;  ///< event -> pJ at measured activity (may be empty)
  /// event -> pJ at the activity measured on FP16 activations (units with an FP16 datapath and
  /// an "activity_fp16" run; empty otherwise): what a layer on the FP16 datapath costs.
  std::map<std::string, double> energy_measured_fp16;
  std::optional<CharScaled> scaled;
  /// event -> its stats counter, as the flow wrote it for this entry ("event_counters").
  std::map<std::string, EventCounter> event_counters;
  /// How the flow obtained this entry: "synthesized" (default) or "scaled" (fitted from smaller
  /// synthesized tiles, with the rule in `rule`).
  std::string method = "synthesized";
  std::string rule;
};

/// A primitive of the energy validation ("validation.primitives", rtl/synth/validate_energy.py):
/// one operation registered at both ends, its energy per operation from switching activity on
/// random operands, split into datapath, registers and clock.
struct CharPrimitive {
  std::string what;  ///< e.g. "FP32 add (lb_fp32_add)"
  double datapath_pj = 0.0;
  double registers_pj = 0.0;
  double clock_pj = 0.0;
  double area_um2 = 0.0;  ///< cells of the datapath and its registers
  double pj() const { return datapath_pj + registers_pj + clock_pj; }
};

/// A whole characterization file.
struct Characterization {
  std::string path;  ///< where it was read from (for messages and reports)
  std::string node;  ///< e.g. "nangate45"
  std::string description;
  std::map<std::string, std::string> event_definitions;
  /// Event pattern ("plane_b<b>": <b> = the weight bits) -> its stats counter: the file's map
  /// for every unit ("event_counters"), used where an entry has no map of its own.
  std::map<std::string, EventCounter> event_counters;
  std::vector<CharUnit> units;
  /// Name ("fadd32", "fmul32", ...) -> the validation primitive; empty if the file has none.
  std::map<std::string, CharPrimitive> primitives;

  /// The unit named `name`, or nullptr.
  const CharUnit* find(const std::string& name) const;
  /// The validation primitive named `name`, or nullptr.
  const CharPrimitive* primitive(const std::string& name) const;
};

/// Schema identifiers this reader accepts.
inline constexpr const char* kCharacterizationSchema = "lowbit.characterization";
inline constexpr int kCharacterizationSchemaVersion = 1;

/// Parses and checks a characterization document; `path` names it in errors. Keys the cost model
/// does not use are ignored (the flow may add more); keys it uses must have the right type. Throws
/// CostInputError with one line naming `path` and the key.
Characterization parse_characterization(const nlohmann::json& doc, const std::string& path);

/// Reads `path` (JSON) and parses it; a missing or malformed file is a CostInputError.
Characterization load_characterization(const std::filesystem::path& path);

}  // namespace lowbit
