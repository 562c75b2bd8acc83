// The compiler: tiles a workload's mpGEMMs for a hardware config and emits the ISA program and the
// DRAM image (weights in the tiles' layout, activations, row scales, room for the outputs).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lowbit/golden_run.h"
#include "lowbit/run_metrics.h"
#include "lowbit/workload.h"
#include "model/arch/hw_config.h"
#include "model/arch/program.h"

namespace lowbit {

/// One layer to compile: its spec and its quantized data (owned by the caller).
struct LayerInput {
  LayerSpec spec;
  const LayerData* data = nullptr;
  /// Decoder blocks (docs/decoder.md): block b's input activations (size = spec.repeat), each in
  /// its own DRAM region with its own output region; empty = every block reads data->acts.
  std::vector<const Activations*> block_acts = {};
};

/// Where a layer's output lands in DRAM (row-major M x N FP32) and how often the program writes it.
struct OutputRegion {
  size_t layer = 0;   ///< index into the compiled layers
  uint64_t dram = 0;  ///< byte address of O[0][0]
  int m = 0, n = 0;
  int writes = 0;  ///< times the program writes the region (the layer's repeat count)
  int block = -1;  ///< the decoder block of a per-block region (writes = 1); -1 = every block
};

/// The tiling the compiler chose for one layer (shown by `lowbit compile`, kept in stats.json).
struct LayerTiling {
  std::string name;
  int m = 0, n = 0, k = 0, group = 0;
  int rows_per_op = 0, cols_per_op = 0;  ///< core op shape (rows, tiles x tile columns)
  int k_chunk = 0;                       ///< K elements per tile op
  bool act_resident = false;             ///< the M-block's activations stay on chip across N
  bool weight_stationary = false;        ///< N-blocks outside: a weight chunk serves every M-block
  int m_blocks = 0, n_blocks = 0, k_chunks = 0;
  double peak_macs_per_cycle = 0;  ///< the core's peak for this layer's formats (roofline)
  uint64_t weight_bytes = 0, scale_bytes = 0, act_bytes = 0, out_bytes = 0;  ///< DRAM traffic
  /// The activation datapath the core runs the layer on: "int8", or "fp16" (fp16 and the FP8
  /// formats, which travel as FP16 values); the cost model prices its events with the energies
  /// simulated on that data. Empty in records written before the key.
  std::string act_datapath;
  nlohmann::ordered_json to_json() const;
};

struct CompiledProgram {
  Program program;  ///< with CompileMode::kShapesOnly: the code, and an empty DRAM image
  uint64_t dram_image_bytes = 0;  ///< the DRAM image's size (also when it is not built)
  std::vector<OutputRegion> outputs;
  std::vector<LayerTiling> tiling;
  int max_repeat = 1;  ///< decoder blocks the program runs (layers x repeat)
};

/// Compiles the layers, in order, repeated as each layer's `repeat` says (the whole model = blocks
/// x layers; every block reads the same weight image, see docs/top.md). Throws InputError when a
/// layer cannot run on the config (format not supported, one group does not fit a buffer half),
/// naming the layer and the config key to change.
CompiledProgram compile(const HwConfig& hw, const std::vector<LayerInput>& layers);

/// kFull: the code and the DRAM image (weights packed, activations copied). kShapesOnly: the same
/// code, tiling and image size from the layers' shapes and formats alone: no image is built and
/// the data's arrays are not read (they may be empty), for the analytic tier (estimate_run).
enum class CompileMode { kFull, kShapesOnly };
CompiledProgram compile(const HwConfig& hw, const std::vector<LayerInput>& layers,
                        CompileMode mode);

/// The metrics of a run (the "metrics" block of stats.json) for a run of a compiled program,
/// simulated (`lowbit run`) or estimated (`lowbit estimate`), so both tiers report the same keys
/// computed the same way: roofline compute bound = the workload's MACs at each layer's peak rate,
/// memory bound = DRAM bytes / peak bandwidth, op-row occupancy = M over the op rows it occupies,
/// tokens = M of the first layer.
RunMetrics run_metrics(const HwConfig& hw, const Workload& w, const CompiledProgram& cp,
                       double cycles, double dram_bytes);

}  // namespace lowbit
