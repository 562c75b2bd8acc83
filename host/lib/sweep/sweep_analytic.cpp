// The analytical tier: the program compiled from shapes alone, timed by its instruction-level
// replay (program_replay.h).
#include "lowbit/sweep_analytic.h"

#include <algorithm>
#include <cmath>

#include "lowbit/compiler.h"
#include "lowbit/golden_run.h"
#include "model/quant/act_format.h"
#include "model/quant/weight_format.h"
#include "program_replay.h"

namespace lowbit {
namespace {

// Operands of the right shapes and formats without their arrays: compile() in kShapesOnly mode
// reads only their layout.
LayerData shape_data(const LayerSpec& l) {
  LayerData d;
  const WeightFormat f = parse_weight_format(l.weight_format);
  auto& W = d.weights;
  W.n = l.n;
  W.k = l.k;
  W.bits = f.bits;
  W.kind = f.kind;
  W.codec = f.codec;
  W.group_size = l.group_size == 0 ? l.k : l.group_size;
  auto& A = d.acts;
  A.m = l.m;
  A.k = l.k;
  A.format = activation_format(l.activation_format).data;
  return d;
}

}  // namespace

RunRecord estimate_run(const HwConfig& hw, const Workload& w) {
  std::vector<LayerData> data;
  data.reserve(w.layers.size());
  std::vector<LayerInput> inputs;
  for (const auto& l : w.layers) data.push_back(shape_data(l));
  for (size_t i = 0; i < w.layers.size(); ++i) inputs.push_back({w.layers[i], &data[i]});
  const CompiledProgram cp = compile(hw, inputs, CompileMode::kShapesOnly);
  const double cycles = replay_program_cycles(hw, cp.program);
  double dram_bytes = 0;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const LayerTiling& t = cp.tiling[i];
    dram_bytes += static_cast<double>(t.weight_bytes + t.scale_bytes + t.act_bytes + t.out_bytes) *
                  w.layers[i].repeat;
  }
  RunRecord r;
  r.workload = w.name;
  r.config_name = hw.name;
  r.config = hw.to_json();
  r.core = hw.unit_name();
  r.backend = "analytic";
  r.outputs_computed = false;  // nothing runs: no outputs to verify
  for (const LayerSpec& l : w.layers) {
    r.layers.push_back(layer_record(l));
    r.ops_per_run += layer_ops(l) * l.repeat;
  }
  r.not_modelled = w.not_modelled;
  r.metrics = run_metrics(hw, w, cp, cycles, dram_bytes);
  r.tiling = cp.tiling;
  r.program_instructions = cp.program.code.size();
  r.dram_image_bytes = cp.dram_image_bytes;
  r.blocks = cp.max_repeat;
  return r;
}

}  // namespace lowbit
