// The typed, schema-versioned record of one run: what lowbit::run() returns, what `lowbit run`
// writes as result.json and stats.json, and what `lowbit report` and `lowbit sweep` read back.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lowbit/compiler.h"
#include "lowbit/run_metrics.h"
#include "model/cost/cost_model.h"
#include "model/cost/vector_cost.h"

namespace lowbit {

/// Version of the run record's files (result.json and stats.json, key "schema_version"). Raise it
/// when a key changes meaning or goes away; readers refuse other versions.
inline constexpr int kRunRecordSchemaVersion = 1;

/// One workload layer as run, with its golden-model checks (result.json "layers").
struct LayerRecord {
  std::string name;
  int m = 0, n = 0, k = 0;
  std::string weight_format;
  int group_size = 0;
  std::string activation_format;
  uint64_t seed = 0;
  int repeat = 1;
  double ops = 0;                        ///< 2 x M x N x K (one occurrence)
  bool integer_paths_bit_exact = false;  ///< the golden kernels agree bit for bit
  double max_abs_diff_vs_reference = 0;  ///< max |O - O_ref|
  double error_bound = 0;                ///< the bound it must stay within
  double quantization_rel_error = 0;     ///< ||O_ref - O_fp64|| / ||O_fp64||
  std::string model_tensor, model_type;  ///< layers of a model file; empty otherwise
  /// BitMoD weights: groups per chosen datatype (type name, count; the quantizer's choice), and
  /// the quantization error of the same float weights as `rtn_weight_format` (intN RTN, the
  /// same group size) for comparison. Empty / unset for the other formats.
  std::vector<std::pair<std::string, int>> weight_type_mix;
  std::string rtn_weight_format;
  double rtn_quantization_rel_error = 0;
};

/// The core unit's cycles by cause (stats.json "stats.core"), as the console shows them.
struct CoreCycles {
  uint64_t stall_dram = 0, stall_dependency = 0, stall_buffer_conflict = 0, stall_buffer_port = 0,
           stall_precompute = 0, idle = 0, busy = 0;
};

/// A run: workload -> quantize -> compile -> backend -> verify -> metrics -> cost.
/// Plain data (no SystemC types, no pointers): copyable, comparable through its JSON.
struct RunRecord {
  int schema_version = kRunRecordSchemaVersion;
  std::string workload;
  std::string config_name;        ///< the config's name ("" for an unnamed config)
  nlohmann::ordered_json config;  ///< the whole config tree, every key (HwConfig::to_json)
  std::string core;               ///< the compute unit
  std::string backend;            ///< golden, sim, rtl, cpu or analytic
  std::vector<LayerRecord> layers;
  double ops_per_run = 0;  ///< every layer's ops x repeat
  std::vector<std::string> not_modelled;

  /// False when the backend computes no outputs (analytic): then verified means nothing and
  /// result.json's "verified" is null.
  bool outputs_computed = true;
  /// Every stored output equal to the golden model bit for bit, and the golden kernels agree.
  bool verified = false;
  bool golden_kernels_agree = false;
  uint64_t outputs_compared = 0;  ///< output elements compared (every store of every block)
  std::string first_mismatch;     ///< "" when none

  /// Timed backends (sim, rtl, analytic): the metrics; nullopt for golden and cpu.
  std::optional<RunMetrics> metrics;
  std::vector<LayerTiling> tiling;  ///< the compiler's tiling per layer (timed backends)
  /// The stats tree with a unit and a description per counter (sim, rtl); null otherwise.
  nlohmann::ordered_json stats;
  /// Energy and area (sim, rtl): every term with its source; nullopt when not evaluated.
  std::optional<CostBreakdown> cost;

  // What the console summary shows besides the metrics (not in the files).
  uint64_t program_instructions = 0;
  uint64_t dram_image_bytes = 0;
  int blocks = 1;   ///< decoder blocks the program ran
  double macs = 0;  ///< useful MACs the core counted
  double dram_bytes_read = 0, dram_bytes_written = 0;
  CoreCycles core_cycles;
  std::vector<std::string> dequant_limited_layers;  ///< "name (G = g < need)"
  double simulate_seconds = 0;                      ///< wall time of the backend's run
  double wall_seconds = 0;                          ///< wall time of the whole pipeline
  double decoder_chain_seconds = 0;                 ///< wall time of the decoder chain
  /// The vector unit's prices at the run's node (decoder runs; the context chart reuses them).
  std::optional<VectorUnitCost> vector_cost;

  /// cpu backend: the CPU reference's measurements (result.json "cpu").
  nlohmann::ordered_json cpu;
  /// Whole decoder blocks (docs/decoder.md): context, KV cache, mapping, the vector unit's
  /// checks, per-token time and energy and the operator-class breakdown (result.json and
  /// stats.json "decoder"); null for linear-only runs.
  nlohmann::ordered_json decoder;
};

/// result.json: schema_version, workload, config name, core, backend, layers, then the CPU's
/// measurements (cpu) or the metrics (null when untimed), ops per run and what is not modelled,
/// and "verified".
nlohmann::ordered_json result_json(const RunRecord& r);

/// stats.json of a timed run: schema_version, workload, config tree, backend, metrics, tiling,
/// and (cycle-level runs) the stats tree and the cost breakdown.
nlohmann::ordered_json stats_json(const RunRecord& r);

/// Reads a stats.json written by stats_json(); `path` names it in errors. A document without
/// "schema_version", of another version, or with a missing or mistyped key is an InputError
/// (one line naming the file and the key). Console-only fields are left at their defaults. Read
/// with key order kept (ordered_json), stats_json() of the result is the same document.
RunRecord run_record_from_stats_json(const nlohmann::ordered_json& doc, const std::string& path);

/// The layer's record from its spec (the golden checks are filled in by the caller).
LayerRecord layer_record(const LayerSpec& l);

}  // namespace lowbit
