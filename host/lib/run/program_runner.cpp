// The program backends of lowbit::run() (golden, sim, rtl): workload -> quantize -> compile ->
// connect(backend) -> verify every store -> metrics -> cost.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "decoder_record.h"
#include "lowbit/accelerator.h"
#include "lowbit/characterization_path.h"
#include "lowbit/compiler.h"
#include "lowbit/decoder_chain.h"
#include "lowbit/error.h"
#include "lowbit/output_path.h"
#include "lowbit/progress.h"
#include "lowbit/trace.h"
#include "model/arch/dram_presets.h"
#include "model/cost/characterization.h"
#include "model/kernels/fp4_gemm.h"
#include "model/kernels/mac_fp16.h"
#include "model/kernels/mpgemm.h"
#include "run_dump.h"
#include "run_steps.h"
#include "scoreboard.h"

namespace lowbit {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Cycles the slowest tile waited for its dequantizer: the unit's declared counter under each
// instance (tiles run in lockstep, so the maximum is the core's).
uint64_t dequant_stall_cycles(const HwConfig& hw, const nlohmann::ordered_json& core) {
  const nlohmann::json::json_pointer counter = param_pointer(hw.unit->cost().dequant_stall_counter);
  uint64_t worst = 0;
  for (const auto& [name, tile] : core.items()) {
    if (!tile.is_object() || !tile.contains(counter)) continue;
    worst = std::max(worst, tile[counter].get<uint64_t>());
  }
  return worst;
}

// Layers whose groups are shorter than the unit's dequant time (they stall the array).
std::vector<std::string> dequant_limited_layers(const HwConfig& hw, const Workload& w,
                                                const std::vector<std::unique_ptr<LayerData>>& d) {
  std::vector<std::string> v;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const int need = hw.unit->min_dequant_group(hw.unit_params, d[i]->weights.bits);
    const int gs = d[i]->weights.group_size;
    const int g = gs > 0 ? gs : w.layers[i].k;
    if (g < need && g < w.layers[i].k) {
      v.push_back(fmt::format("{} (G = {} < {})", w.layers[i].name, g, need));
    }
  }
  return v;
}

void write_trace(const std::string& path, const HwConfig& hw, const Accelerator& acc) {
  TraceWriter tw(hw.top.clock_mhz);
  const auto proc = tw.add_process("accelerator");
  std::map<std::string, TraceWriter::TrackId> tracks;
  for (const char* u : {"ctrl", "load", "core", "vector", "blocks", "store"}) {
    tracks[u] = tw.add_thread(proc, u);
  }
  for (const auto& e : acc.timeline()) {
    tw.complete(tracks[e.unit], e.name, e.unit, e.start, std::max<uint64_t>(1, e.end - e.start),
                {{"address", fmt::format("0x{:x}", e.address)}});
  }
  tw.write(path);
}

// Metrics, stats tree, cost and console facts of a timed run.
void timed_results(const RunRequest& q, const Accelerator& acc, const CompiledProgram& cp,
                   const std::vector<std::unique_ptr<LayerData>>& data, uint64_t cycles,
                   const Characterization* ch, RunRecord& r) {
  const HwConfig& hw = q.config;
  const Workload& w = q.workload;
  const nlohmann::ordered_json st = acc.stats();
  r.dram_bytes_read = st["dram"]["bytes_read"].get<double>();
  r.dram_bytes_written = st["dram"]["bytes_written"].get<double>();
  r.macs = st["core"]["macs"].get<double>();
  const auto& core = st["core"];
  r.core_cycles.stall_dram = core["stall_dram_cycles"].get<uint64_t>();
  r.core_cycles.stall_dependency = core["stall_dependency_cycles"].get<uint64_t>();
  r.core_cycles.stall_buffer_conflict = core["stall_buffer_conflict_cycles"].get<uint64_t>();
  r.core_cycles.stall_buffer_port = core["stall_buffer_port_cycles"].get<uint64_t>();
  r.core_cycles.stall_precompute = core["stall_precompute_cycles"].get<uint64_t>();
  r.core_cycles.idle = core["idle_cycles"].get<uint64_t>();
  r.core_cycles.busy = core["busy_cycles"].get<uint64_t>();

  // Roofline and rates: one definition for every tier (run_metrics, lowbit/compiler.h).
  RunMetrics m =
      run_metrics(hw, w, cp, static_cast<double>(cycles), r.dram_bytes_read + r.dram_bytes_written);
  if (m.op_row_occupancy > 0 && m.op_row_occupancy < 1) {
    // Padding rows do no useful work: the array's time at the rows in use, beside the bound.
    m.compute_cycles_at_rows_in_use = m.roofline_compute_cycles / m.op_row_occupancy;
  }
  m.dequant_stall_cycles = dequant_stall_cycles(hw, core);
  if (*m.dequant_stall_cycles > 0) r.dequant_limited_layers = dequant_limited_layers(hw, w, data);
  r.tiling = cp.tiling;
  r.stats = acc.describe_stats();
  if (ch != nullptr) {
    // Energy and area from the characterization of the node (docs/energy-model.md); a unit
    // without characterization data gives null metrics and says why, never a silent 0. The
    // weight width of per-bit event energies comes from the stats (cost_model.cpp); DRAM energy
    // per bit follows the memory preset (HBM or DDR), else the default DDR figure.
    CostOptions copts;
    if (const DramPreset* dp = find_dram_preset(hw.top.dram_preset)) {
      copts.dram_spec = std::string(dp->energy_spec);
    }
    m.dram_energy_spec = copts.dram_spec;
    r.metrics = m;
    try {
      r.cost = evaluate_cost(stats_json(r), q.stats_name, *ch, copts);
    } catch (const CostInputError& e) {
      throw InputError(e.what());
    }
    const int tokens = w.layers.empty() ? 0 : w.layers.front().m;
    m.cost = cost_metrics(*r.cost, q.node, 2 * r.macs, m.seconds, tokens);
  }
  r.metrics = m;
}

}  // namespace

RunRecord run_program(const RunRequest& q) {
  const auto wall0 = Clock::now();
  const Workload& w = q.workload;
  const HwConfig& hw = q.config;
  // Every output path and every input the end of the run needs is checked before any work.
  check_side_outputs(q);
  std::optional<Characterization> characterization;
  if (q.backend != "golden" && !q.node.empty()) {
    try {
      characterization = load_characterization(
          q.characterization.empty() ? default_characterization_path(q.node) : q.characterization);
    } catch (const CostInputError& e) {
      throw InputError(e.what());
    }
  }
  check_workload_memory(w);
  ConnectOptions co;
  co.vcd_path = q.vcd_path;
  co.timeline_cap = q.trace_path.empty() ? 0 : 2000000;
  const std::unique_ptr<Accelerator> acc = connect(q.backend, hw, co);

  RunRecord r = record_header(q);
  if (q.on_start) q.on_start(r);
  const std::vector<std::unique_ptr<LayerData>> data = make_data(w);
  // Whole decoder blocks: the chain gives every block's linear layers their own inputs and
  // golden outputs (each block's input is the previous block's output).
  std::optional<DecoderChain> chain;
  if (w.decoder) {
    // The weights are checked once here; the chain then runs each of them once per block.
    for (const auto& d : data) {
      if (weight_codec_is_fp4(d->weights.codec))
        check_fp4_operands(d->acts, d->weights);
      else
        check_mpgemm_operands(d->acts, d->weights);
    }
    const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const GemmFn gemm = [&hw, threads](const Activations& a, const QuantizedWeights& wq) {
      // FP4 weights (docs/fp-weights.md): their golden rule, whatever the unit.
      if (weight_codec_is_fp4(wq.codec)) return fp4_gemm(a, wq);
      return hw.unit->group_rule(a.format == ActFormat::kFp16) == GroupRule::kMacFp16
                 ? mac_fp16_gemm(wq, a)
                 : mpgemm_integer_prechecked(a, wq, threads);
    };
    chain = run_decoder_chain(w, hw.vector.kv_cache(), data, gemm);
  }
  std::vector<LayerInput> inputs;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    inputs.push_back({w.layers[i], data[i].get(), {}});
    if (chain && i < kBlockLinears) {
      for (const auto& block : chain->inputs) inputs.back().block_acts.push_back(&block[i]);
    } else if (chain && chain->has_lm_head) {
      inputs.back().block_acts.push_back(&chain->lm_head_input);  // once, after the blocks
    }
  }
  // Compiled before the golden kernels run, so that what the ISA cannot encode or the program
  // size is refused before the long part of the run.
  CompiledProgram cp = compile(hw, inputs);
  const GoldenOutputs golden = run_goldens(q, data, r);

  Scoreboard sb;
  for (const auto& out : cp.outputs) {
    if (out.block >= 0 && out.layer >= kBlockLinears) {
      sb.add_region(out.dram, out.m, out.n, out.writes, &chain->lm_head_output,
                    w.layers[out.layer].name);
    } else if (out.block >= 0) {
      sb.add_region(out.dram, out.m, out.n, out.writes,
                    &chain->outputs[static_cast<size_t>(out.block)][out.layer],
                    fmt::format("blk{}.{}", out.block, w.layers[out.layer].name));
    } else {
      sb.add_region(out.dram, out.m, out.n, out.writes, &golden.hardware[out.layer],
                    w.layers[out.layer].name);
    }
  }
  r.outputs_compared = sb.expected_elements();
  ProgressOptions po;
  if (!q.progress) po.mode = ProgressMode::kOff;
  Progress progress(fmt::format("{} backend", q.backend), r.outputs_compared, po);
  r.program_instructions = cp.program.code.size();
  r.dram_image_bytes = cp.program.dram.size();
  // The run writes into its DRAM image: the program is moved to it, not copied (only cp's
  // tiling and outputs are read after this).
  Program program = std::move(cp.program);
  const auto sim0 = Clock::now();
  const uint64_t cycles = acc->run(program, [&](uint64_t a, const uint8_t* p, uint64_t n) {
    sb.store(a, p, n);
    progress.update(sb.stored_elements());
  });
  progress.finish();
  r.simulate_seconds = since(sim0);
  r.verified = sb.ok() && r.golden_kernels_agree &&
               (!chain || (chain->check.ok() && chain->block0_within_rule));
  r.first_mismatch = sb.first_mismatch();
  r.blocks = cp.max_repeat;
  if (acc->timed()) {
    timed_results(q, *acc, cp, data, cycles, characterization ? &*characterization : nullptr, r);
    if (!q.trace_path.empty()) write_trace(q.trace_path, hw, *acc);
  }
  if (chain) {
    std::optional<double> linear_cycles, linear_pj;
    if (acc->timed()) linear_cycles = static_cast<double>(cycles);
    if (r.cost && r.cost->energy_pj) linear_pj = *r.cost->energy_pj;
    // After the linear program's stats and trace were taken: the accelerator's stats become the
    // attention program's.
    const std::optional<AttentionMeasure> attention = w.decoder->prefill
                                                          ? measure_prefill_attention(*acc, w, hw)
                                                          : measure_decode_attention(*acc, w, hw);
    if (attention && attention->skipped.empty()) r.verified = r.verified && attention->verified;
    // The block's other vector operators (RMSNorm, rotary, SiLU x gate, residuals,
    // requantization) on the same top: the stats become that program's.
    const std::optional<BlockVectorMeasure> other = measure_block_vector(*acc, w, hw, *chain);
    if (other && other->skipped.empty()) r.verified = r.verified && other->verified;
    // The LM head's final RMSNorm and requantization, likewise.
    const std::optional<BlockVectorMeasure> head = measure_final_norm(*acc, w, hw, *chain);
    if (head && head->skipped.empty()) r.verified = r.verified && head->verified;
    if (characterization && acc->timed()) {
      r.vector_cost = vector_unit_cost(*characterization, hw.vector,
                                       hw.top.buffers[static_cast<int>(isa::Buffer::kOut)]);
    }
    r.decoder = decoder_record(w, hw, *chain, linear_cycles, linear_pj,
                               r.vector_cost ? &*r.vector_cost : nullptr, attention, other, head);
    r.decoder_chain_seconds = chain->seconds;
  }
  if (!q.dump_dir.empty()) {
    if (chain) {
      dump_decoder_run(q.dump_dir, w, hw, q.backend, data, *chain);
    } else {
      dump_run(q.dump_dir, w, hw, q.backend, data, golden.hardware, false);
    }
  }
  r.wall_seconds = since(wall0);
  return r;
}

}  // namespace lowbit
