// Tile-level analytical model of a run: roofline per layer from the compiler's tiling, plus fill.
#include "lowbit/sweep_analytic.h"

#include <algorithm>
#include <cmath>

#include "lowbit/compiler.h"
#include "lowbit/golden_run.h"
#include "model/arch/memory_system.h"
#include "model/arch/tile_layout.h"
#include "model/quant/weight_format.h"

namespace lowbit {
namespace {

// Operands of the right shapes and formats, all zero: compile() needs only their layout.
LayerData zero_data(const LayerSpec& l) {
  LayerData d;
  const WeightFormat f = parse_weight_format(l.weight_format);
  auto& W = d.weights;
  W.n = l.n;
  W.k = l.k;
  W.bits = f.bits;
  W.kind = f.kind;
  W.codec = f.codec;
  W.group_size = l.group_size == 0 ? l.k : l.group_size;
  W.codes.assign(static_cast<size_t>(l.n) * l.k, 0);
  W.scales.assign(static_cast<size_t>(l.n) * W.groups(), 0);
  W.zeros.assign(static_cast<size_t>(l.n) * W.groups(), 0);
  auto& A = d.acts;
  A.m = l.m;
  A.k = l.k;
  if (l.activation_format == "fp16") {
    A.format = ActFormat::kFp16;
    A.fp16.assign(static_cast<size_t>(l.m) * l.k, 0);
  } else {
    A.format = ActFormat::kInt8;
    A.int8.assign(static_cast<size_t>(l.m) * l.k, 0);
    A.row_scales.assign(static_cast<size_t>(l.m), 1.0f);
  }
  return d;
}

}  // namespace

RunRecord estimate_run(const HwConfig& hw, const Workload& w) {
  std::vector<LayerData> data;
  data.reserve(w.layers.size());
  std::vector<LayerInput> inputs;
  for (const auto& l : w.layers) data.push_back(zero_data(l));
  for (size_t i = 0; i < w.layers.size(); ++i) inputs.push_back({w.layers[i], &data[i]});
  const CompiledProgram cp = compile(hw, inputs);

  const TopParams& top = hw.top;
  const double latency = top.dram_latency_cycles();
  // min(peak, DMA window) in bytes per cycle (model/arch/memory_system.h).
  const double bw = memory_bandwidth(top).deliverable;
  const BufferParams& wbuf = top.buffers[1];
  double cycles = 0, dram_bytes = 0;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const LayerSpec& l = w.layers[i];
    const LayerTiling& t = cp.tiling[i];
    const LayerData& d = data[i];
    const OpFormat fm{d.weights.kind, d.weights.bits, d.acts.format == ActFormat::kFp16,
                      d.weights.group_size, d.weights.codec};
    const TileLayout L(hw, fm);
    // Core: beats of every chunk of one (M-block, N-block), bit-serial on lutcore (2 cycles a
    // beat on bitmod), and no faster
    // than the weight buffer's port (a half of the buffer holds banks / 2 banks).
    const double per_beat_core = L.cycles_per_beat();
    const double port = static_cast<double>(wbuf.width_bytes) * std::max(1u, wbuf.banks / 2);
    const double per_beat_port = static_cast<double>(L.beat_bytes()) * L.tiles / port;
    const double per_beat = std::max(per_beat_core, per_beat_port);
    double beats = 0;
    for (int c = 0; c < t.k_chunks; ++c) {
      const int k0 = c * t.k_chunk;
      beats += static_cast<double>(L.chunk_beats(std::min(t.k_chunk, l.k - k0), l.k));
    }
    const double core = static_cast<double>(t.m_blocks) * t.n_blocks * beats * per_beat;
    const double bytes =
        static_cast<double>(t.weight_bytes + t.scale_bytes + t.act_bytes + t.out_bytes);
    const double memory = bytes / bw;
    const double first_chunk =
        static_cast<double>(t.weight_bytes) / t.m_blocks / t.n_blocks / std::max(1, t.k_chunks);
    const double last_out = 4.0 * t.rows_per_op * t.cols_per_op;
    const double fill = latency + (first_chunk + last_out) / bw;
    cycles += l.repeat * (std::max(core, memory) + fill);
    dram_bytes += bytes * l.repeat;
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
  r.dram_image_bytes = cp.program.dram.size();
  r.blocks = cp.max_repeat;
  return r;
}

}  // namespace lowbit
