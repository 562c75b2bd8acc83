// Cost model: energy and area of one accelerator run from its stats tree and characterization data.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/cost/characterization.h"

namespace lowbit {

/// How evaluate_cost() picks its numbers.
struct CostOptions {
  /// "measured" (energies at the toggle rates measured on workload data, the default activity
  /// where a unit has none) or "default" (every event at the flow's default activity).
  std::string activity = "measured";
  /// DRAM energy spec name (model/cost/dram_energy.h).
  std::string dram_spec = "ddr_horowitz2014_low";
  /// Weight bit width for the per-bit event energies; unset = inferred from the stats counters
  /// (lutcore: planes / beats, mixpe: shift_adds / (steps x R x C); mac has no such counter).
  std::optional<int> weight_bits;
  /// If set, also project energy and area to this feature size (nm), labelled as a projection.
  std::optional<double> project_to_nm;
};

/// One term of the energy or area sum. A term without a value is "not characterized" (never 0).
struct CostTerm {
  std::string component;        ///< e.g. "tile.precompute", "buffers.weight", "dram"
  std::string group;            ///< "compute", "leakage", "buffers" or "dram"
  std::optional<double> value;  ///< pJ (energy) or um^2 (area); nullopt = not characterized
  std::optional<double> count;  ///< events multiplied (energy terms from a stats counter)
  std::optional<double> per_event_pj;
  std::string source;   ///< where the number comes from (file, entry, key, stats counter)
  std::string missing;  ///< why there is no value
};

/// Energy and area projected to another node with classical scaling (always labelled).
struct CostProjection {
  double source_nm = 0.0;
  double target_nm = 0.0;
  double area_factor = 0.0;    ///< (target / source)^2
  double energy_factor = 0.0;  ///< target / source (supply voltage held constant)
  std::optional<double> energy_pj;
  std::optional<double> area_um2;
  std::string method;  ///< what was scaled and the citation
};

/// Energy and area of one run, per component, with what is inside the boundary.
struct CostBreakdown {
  std::string node;              ///< characterization node, e.g. "nangate45"
  std::string characterization;  ///< file it came from
  std::string config;            ///< config name from the stats document
  std::string core;              ///< lutcore, mixpe or mac
  std::string unit_entry;        ///< characterization entry used ("" = none)
  std::string method;            ///< "synthesized", "scaled: <rule>" or "not characterized: why"
  std::string activity;          ///< which event energies were used
  int tiles = 1;
  std::optional<int> weight_bits;
  std::string weight_bits_source;
  double seconds = 0.0;
  double clock_mhz = 0.0;               ///< the config's top.clock_mhz
  std::optional<double> unit_fmax_mhz;  ///< the unit entry's fmax at this node (OpenSTA)
  /// What unit_fmax_mhz is the fmax of, when not of the unit synthesized at the config's size
  /// ("" = synthesized at these parameters).
  std::string unit_fmax_basis;
  /// The clock is one the unit's RTL meets at this node (worst slack >= 0 at clock_mhz); false
  /// also when the entry has no fmax.
  bool clock_met() const { return unit_fmax_mhz && clock_mhz <= *unit_fmax_mhz; }
  std::vector<CostTerm> energy;     ///< terms in pJ
  std::vector<CostTerm> area;       ///< terms in um^2
  std::optional<double> energy_pj;  ///< total; nullopt when any term is not characterized
  std::optional<double> area_um2;   ///< total; nullopt when any term is not characterized
  double energy_known_pj = 0.0;     ///< sum of the characterized terms only
  double area_known_um2 = 0.0;
  std::vector<std::string> not_characterized;  ///< one line per missing term
  std::vector<std::string> inside_boundary;
  std::vector<std::string> outside_boundary;
  std::vector<std::string> notes;
  std::optional<CostProjection> projection;
};

/// Feature size (nm) of a characterization node name; nullopt if unknown.
std::optional<double> node_feature_nm(const std::string& node);

/// Evaluates `stats_doc` (a stats.json of `lowbit run --stats`: config, metrics, stats) with `ch`.
/// `stats_path` names the document in errors. Throws CostInputError for a malformed document or a
/// bad option; a unit or event the characterization lacks becomes a term without a value.
CostBreakdown evaluate_cost(const nlohmann::json& stats_doc, const std::string& stats_path,
                            const Characterization& ch, const CostOptions& opts = {});

/// The breakdown as JSON (null for "not characterized" values).
nlohmann::ordered_json cost_to_json(const CostBreakdown& c);

/// Reads what cost_to_json() wrote (cost_to_json(cost_from_json(j)) == j); `where` names the
/// document in errors. `config` and `core` are not in that JSON and are left empty. A missing or
/// mistyped key is a CostInputError naming `where` and the key.
CostBreakdown cost_from_json(const nlohmann::json& j, const std::string& where);

}  // namespace lowbit
