// Expansion of a sweep spec into its manifest: every point's full config, checked, with its id.
#pragma once

#include <string>

#include "lowbit/sweep_manifest.h"
#include "lowbit/sweep_spec.h"

namespace lowbit {

/// Expands `spec` for `tier` ("cycle" or "analytic"): parameter assignments x workloads x backends
/// (the analytic tier has one backend, "analytic"). Each assignment is applied to the base config
/// with the `--set` rules (config_override.h) and the result is validated as a config, so an
/// unknown key (with the nearest valid key), a value of the wrong type or out of range is an
/// InputError of one line naming the spec. Points with equal content (equal ids) appear once.
SweepManifest expand_sweep(const SweepSpec& spec, const std::string& tier);

/// The same design points for another tier (two-stage sweeps, tier comparison): configs, workloads
/// and params kept; backends `backends` for "cycle", "analytic" for "analytic"; ids recomputed.
std::vector<SweepPoint> retier_points(const std::vector<SweepPoint>& points,
                                      const std::string& tier,
                                      const std::vector<std::string>& backends);

}  // namespace lowbit
