// lowbit::run(): the whole pipeline of one run, workload -> quantize -> compile -> backend ->
// verify -> metrics -> cost, returning its typed record (what `lowbit run` prints and writes).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lowbit/run_record.h"
#include "lowbit/workload.h"
#include "model/arch/hw_config.h"

namespace lowbit {

/// What to run and which side outputs to write. Plain data (the callbacks are optional).
struct RunRequest {
  Workload workload;
  HwConfig config;
  std::string backend = "sim";  ///< run_backend_names(): analytic, cpu, golden, rtl, sim
  int cpu_threads = 0;          ///< cpu: measure threads 1..N (0 = every logical CPU)
  /// Characterization node of the energy and area (sim, rtl); "" = no cost model.
  std::string node = "nangate45";
  /// Characterization file; "" = default_characterization_path(node).
  std::string characterization;
  /// Names the stats document in the cost model's errors (the file `lowbit run` writes it to).
  std::string stats_name = "stats.json";
  std::string trace_path;  ///< sim, rtl: Chrome trace of the units ("" = none)
  std::string vcd_path;    ///< sim, rtl: VCD of the units ("" = none; ".vcd" is appended)
  std::string dump_dir;    ///< A, W, scales, zeros and O as .npy per layer ("" = none)
  bool progress = false;   ///< a progress line on stderr while the backend runs

  /// Called once the inputs are checked and the backend is connected, before the data is made:
  /// the record so far (workload, config, core, backend).
  std::function<void(const RunRecord&)> on_start;
  /// Called after each layer's data and golden checks, in order.
  std::function<void(const LayerRecord&)> on_layer;
};

/// Runs `request`. Bad input (workload, config, backend, output paths, characterization) is an
/// InputError before any work; an illegal program or a deadlock a std::runtime_error. A run whose
/// outputs differ from the golden model returns normally with verified == false (the caller
/// decides); side outputs (trace, VCD, dump) are written only after the run completed.
RunRecord run(const RunRequest& request);

/// The backends run() knows, from its one table: connect()'s program backends (golden, sim, rtl:
/// the compiled ISA program, every store verified), cpu (the measured CPU reference kernels) and
/// analytic (the tile-level model: nothing runs, RunRecord::outputs_computed is false).
std::vector<std::string> run_backend_names();

/// The file SystemC writes for a VCD path (the path with ".vcd", which it appends itself).
std::string vcd_file_path(const std::string& vcd);

}  // namespace lowbit
