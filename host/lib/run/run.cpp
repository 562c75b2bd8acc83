// lowbit::run(): workload -> quantize -> compile -> backend -> verify -> metrics -> cost.
#include "lowbit/run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include "host/lib/backends/cpu/cpu_run.h"
#include "lowbit/accelerator.h"
#include "lowbit/characterization_path.h"
#include "lowbit/compiler.h"
#include "lowbit/error.h"
#include "lowbit/golden_run.h"
#include "lowbit/output_path.h"
#include "lowbit/progress.h"
#include "lowbit/trace.h"
#include "model/arch/dram_presets.h"
#include "model/cost/characterization.h"
#include "model/kernels/mac_fp16.h"
#include "run_dump.h"
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
  for (const char* u : {"ctrl", "load", "core", "blocks", "store"}) {
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

std::string vcd_file_path(const std::string& vcd) {
  const bool has_suffix = vcd.size() > 4 && vcd.substr(vcd.size() - 4) == ".vcd";
  return has_suffix ? vcd : vcd + ".vcd";
}

RunRecord run(const RunRequest& q) {
  const auto wall0 = Clock::now();
  const Workload& w = q.workload;
  const HwConfig& hw = q.config;
  const bool cpu = q.backend == "cpu";
  // Every output path and every input the end of the run needs is checked before any work.
  if (!q.trace_path.empty()) check_output_file(q.trace_path, "--trace");
  if (!q.vcd_path.empty()) check_output_file(vcd_file_path(q.vcd_path), "--vcd");
  if (!q.dump_dir.empty()) check_output_dir(q.dump_dir, "--dump");
  std::optional<Characterization> characterization;
  if (!cpu && q.backend != "golden" && !q.node.empty()) {
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
  std::unique_ptr<Accelerator> acc;
  if (!cpu) acc = connect(q.backend, hw, co);

  RunRecord r;
  r.workload = w.name;
  r.config_name = hw.name;
  r.config = hw.to_json();
  r.core = hw.unit_name();
  r.backend = q.backend;
  r.not_modelled = w.not_modelled;
  if (q.on_start) q.on_start(r);

  // Data and golden outputs of every layer (the golden kernels also check each other).
  std::vector<std::unique_ptr<LayerData>> data;
  std::vector<LayerInput> inputs;
  for (const LayerSpec& l : w.layers) {
    data.push_back(std::make_unique<LayerData>(make_layer_data(l)));
    inputs.push_back({l, data.back().get()});
  }
  // Compiled before the golden kernels run, so that what the ISA cannot encode or the program
  // size is refused before the long part of the run.
  std::optional<CompiledProgram> compiled;
  if (!cpu) compiled = compile(hw, inputs);
  std::vector<std::vector<float>> expected;          // what the configured hardware computes
  std::vector<std::vector<float>> expected_integer;  // mpgemm_integer: the CPU kernels' golden
  bool kernels_ok = true;
  for (size_t li = 0; li < w.layers.size(); ++li) {
    const LayerSpec& l = w.layers[li];
    const LayerData& d = *data[li];
    GoldenLayerResult g = run_golden_layer(l, d);
    kernels_ok = kernels_ok && g.integer_paths_bit_exact && g.within_bound;
    r.ops_per_run += layer_ops(l) * l.repeat;
    // The mac baseline with FP16 activations rounds differently (docs/mac.md): its own golden.
    if (hw.unit->group_rule(d.acts.format == ActFormat::kFp16) == GroupRule::kMacFp16) {
      expected.push_back(mac_fp16_gemm(d.weights, d.acts));
    } else {
      expected.push_back(g.out);
    }
    LayerRecord lr = layer_record(l);
    lr.integer_paths_bit_exact = g.integer_paths_bit_exact;
    lr.max_abs_diff_vs_reference = g.max_abs_diff_vs_reference;
    lr.error_bound = g.error_bound;
    lr.quantization_rel_error = g.quantization_rel_error;
    expected_integer.push_back(std::move(g.out));
    r.layers.push_back(lr);
    if (q.on_layer) q.on_layer(r.layers.back());
  }
  r.golden_kernels_agree = kernels_ok;

  if (cpu) {
    std::vector<const LayerData*> dp;
    std::vector<const std::vector<float>*> gp;
    for (size_t i = 0; i < data.size(); ++i) {
      dp.push_back(data[i].get());
      gp.push_back(&expected_integer[i]);
    }
    CpuRunSettings cs;
    cs.max_threads = q.cpu_threads;
    bool cpu_ok = false;
    r.cpu = run_cpu_reference(w, dp, gp, cs, cpu_ok);
    r.verified = cpu_ok && kernels_ok;
    // The CPU kernels compute (and are checked against) the integer-exact golden.
    if (!q.dump_dir.empty()) dump_run(q.dump_dir, w, hw, q.backend, data, expected_integer, true);
    r.wall_seconds = since(wall0);
    return r;
  }

  const CompiledProgram& cp = *compiled;
  Scoreboard sb;
  for (const auto& out : cp.outputs) {
    sb.add_region(out.dram, out.m, out.n, out.writes, &expected[out.layer],
                  w.layers[out.layer].name);
  }
  r.outputs_compared = sb.expected_elements();
  ProgressOptions po;
  if (!q.progress) po.mode = ProgressMode::kOff;
  Progress progress(fmt::format("{} backend", q.backend), r.outputs_compared, po);
  Program program = cp.program;
  const auto sim0 = Clock::now();
  const uint64_t cycles = acc->run(program, [&](uint64_t a, const uint8_t* p, uint64_t n) {
    sb.store(a, p, n);
    progress.update(sb.stored_elements());
  });
  progress.finish();
  r.simulate_seconds = since(sim0);
  r.verified = sb.ok() && kernels_ok;
  r.first_mismatch = sb.first_mismatch();
  r.program_instructions = cp.program.code.size();
  r.dram_image_bytes = cp.program.dram.size();
  r.blocks = cp.max_repeat;
  if (acc->timed()) {
    timed_results(q, *acc, cp, data, cycles, characterization ? &*characterization : nullptr, r);
    if (!q.trace_path.empty()) write_trace(q.trace_path, hw, *acc);
  }
  if (!q.dump_dir.empty()) dump_run(q.dump_dir, w, hw, q.backend, data, expected, false);
  r.wall_seconds = since(wall0);
  return r;
}

}  // namespace lowbit
