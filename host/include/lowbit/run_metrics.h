// The metrics of one run, typed: the "metrics" object of stats.json and result.json, the columns
// of a sweep and the numbers of `lowbit report`, under one set of names.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/cost/cost_model.h"

namespace lowbit {

/// Energy and area of a run per useful op, token and second, from its cost breakdown.
struct CostMetrics {
  std::string node;                        ///< characterization node ("cost_node")
  std::optional<double> energy_pj;         ///< nullopt: not characterized (never 0)
  std::optional<double> pj_per_op;         ///< energy / ops
  std::optional<double> joules_per_token;  ///< energy / tokens (0 when the run has no tokens)
  std::optional<double> tops_per_w;        ///< ops / energy / 1e12
  std::optional<double> area_mm2;          ///< nullopt: not characterized
  std::optional<double> tops_per_mm2;      ///< ops / seconds / 1e12 / area
};

/// The metrics of a run. The first block is what every timed tier computes the same way
/// (run_metrics() in lowbit/compiler.h: the simulated and the analytic tier); the optional ones
/// are measured by a cycle-level run (dequant stalls, padding rows) or come from its cost model.
struct RunMetrics {
  uint64_t cycles = 0;
  double seconds = 0;
  double clock_mhz = 0;
  double ops = 0;  ///< useful ops per run: 2 x the workload's MACs (no padding), x repeat
  double ops_per_second = 0;
  double utilization = 0;  ///< roofline compute cycles / cycles
  double dram_bytes = 0;
  double dram_bandwidth_used_gbps = 0;
  double memory_bandwidth_deliverable_gbps = 0;  ///< min(DRAM peak, DMA window)
  std::string memory_bandwidth_limit;            ///< which of the two limits it
  double weight_port_gbps = 0;
  double roofline_compute_cycles = 0;
  double roofline_memory_cycles = 0;
  double roofline_bound_cycles = 0;
  double cycles_over_bound = 0;
  double op_row_occupancy = 0;  ///< M over the op rows it occupies
  double tokens_per_second = 0;
  /// Compute time at the op rows in use (only when padding rows exist: occupancy in (0, 1)).
  std::optional<double> compute_cycles_at_rows_in_use;
  /// Cycles the slowest tile waited for its dequantizer (cycle-level runs).
  std::optional<uint64_t> dequant_stall_cycles;
  /// The DRAM energy spec the run's cost used (follows top.dram.preset).
  std::optional<std::string> dram_energy_spec;
  /// Present when the run evaluated its cost model.
  std::optional<CostMetrics> cost;
};

/// The derived energy and area metrics of `cost` for a run of `ops` useful ops in `seconds`
/// producing `tokens` tokens: the one definition `lowbit run` and `lowbit report` share.
CostMetrics cost_metrics(const CostBreakdown& cost, const std::string& node, double ops,
                         double seconds, int tokens);

/// The "metrics" object, keys in the order above; absent optionals are left out, except the
/// energy and area of an evaluated cost, which are null when not characterized.
nlohmann::ordered_json to_json(const RunMetrics& m);

/// Reads a "metrics" object written by to_json(). `where` names the document in errors: a missing
/// key or a value of another type is an InputError naming `where` and the key.
RunMetrics run_metrics_from_json(const nlohmann::ordered_json& j, const std::string& where);

/// Names of the numeric metrics, in to_json() order (the sweep's objectives and columns).
const std::vector<std::string>& run_metric_names();

}  // namespace lowbit
