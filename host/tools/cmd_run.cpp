// `lowbit run`: a workload (file, flags or the built-in default) on a backend; summary + result
// JSON.
#include "cmd_run.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <bit>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cpu_run.h"
#include "lowbit/accelerator.h"
#include "lowbit/atomic_file.h"
#include "lowbit/compiler.h"
#include "lowbit/error.h"
#include "lowbit/golden_run.h"
#include "lowbit/npy.h"
#include "lowbit/output_path.h"
#include "lowbit/progress.h"
#include "lowbit/report.h"
#include "lowbit/trace.h"
#include "lowbit/workload.h"
#include "model/arch/dram_presets.h"
#include "model/arch/memory_system.h"
#include "model/arch/tile_layout.h"
#include "model/cost/characterization.h"
#include "model/cost/cost_model.h"
#include "model/kernels/mac_fp16.h"
#include "run_inputs.h"

namespace lowbit {
namespace {

struct RunOptions : WorkloadOptions {
  std::string backend = "sim";
  std::string tile = "sim";  ///< --tile rtl: the sim top with Verilated tiles (= --backend rtl)
  std::string output = "result.json";
  std::string stats = "stats.json";
  std::string trace, vcd;
  std::string dump_dir;
  bool progress = true;
  int threads = 0;  ///< cpu backend: measure threads 1..threads (0 = every logical CPU)
  std::string node = "nangate45";  ///< characterization node of the energy / area metrics
};

void dump_layer(const std::filesystem::path& dir, const LayerSpec& l, const LayerData& d,
                const std::vector<float>& out, const std::string& rounding,
                nlohmann::ordered_json& manifest) {
  const auto m = static_cast<size_t>(l.m), n = static_cast<size_t>(l.n),
             k = static_cast<size_t>(l.k);
  const auto g = static_cast<size_t>(d.weights.groups());
  // Workload layer names are checked on parse; this guards every other path in.
  if (!is_safe_file_name(l.name)) {
    throw InputError(fmt::format("{}: --dump: layer name '{}' cannot name a file; allowed: {}",
                                 dir.string(), l.name, "[A-Za-z0-9_.-], not starting with '.'"));
  }
  const std::string p = l.name + "_";
  if (d.acts.format == ActFormat::kInt8) {
    write_npy<int8_t>(dir / (p + "A.npy"), d.acts.int8, {m, k});
    write_npy<float>(dir / (p + "A_scale.npy"), d.acts.row_scales, {m});
  } else {
    write_npy_fp16(dir / (p + "A.npy"), d.acts.fp16, {m, k});
  }
  write_npy<uint8_t>(dir / (p + "W_codes.npy"), d.weights.codes, {n, k});
  write_npy_fp16(dir / (p + "W_scales.npy"), d.weights.scales, {n, g});
  write_npy<uint8_t>(dir / (p + "W_zeros.npy"), d.weights.zeros, {n, g});
  write_npy<float>(dir / (p + "O.npy"), out, {m, n});
  manifest["layers"].push_back({{"name", l.name},
                                {"weight_format", l.weight_format},
                                {"bits", d.weights.bits},
                                {"group_size", d.weights.group_size},
                                {"activation_format", l.activation_format},
                                {"O_rounding", rounding}});
  if (!l.model_tensor.empty()) {
    manifest["layers"].back()["model_tensor"] = l.model_tensor;
    manifest["layers"].back()["model_type"] = l.model_type;
  }
}

// The rule by which the configured hardware rounds O (the golden its stores must match).
std::string rounding_rule(const HwConfig& hw, const LayerData& d, bool integer_exact) {
  if (!integer_exact &&
      hw.unit->group_rule(d.acts.format == ActFormat::kFp16) == GroupRule::kMacFp16) {
    return "mac_fp16_gemm (docs/mac.md): w16 = fp16(w * scale) RNE; exact FP16 x FP16 products "
           "summed in binary32 RNE in K order within a group from +0; groups added in order in "
           "binary32 RNE; O = out * act_scale";
  }
  return "integer-exact (docs/kernels.md, golden (b)): exact integer group sums, dequantized "
         "once per group in binary32 in dequant.h order; O = out * act_scale";
}

// Writes every layer's arrays and the manifest. Called only after the run has completed, so a
// rejected run (bad input, exit 2) leaves nothing in the folder; each file is written atomically.
void dump_run(const std::filesystem::path& dir, const Workload& w, const HwConfig& hw,
              const std::vector<std::unique_ptr<LayerData>>& data,
              const std::vector<std::vector<float>>& outs, bool integer_exact,
              nlohmann::ordered_json manifest) {
  std::filesystem::create_directories(dir);
  for (size_t i = 0; i < w.layers.size(); ++i) {
    dump_layer(dir, w.layers[i], *data[i], outs[i], rounding_rule(hw, *data[i], integer_exact),
               manifest);
  }
  write_file_atomic(dir / "manifest.json", manifest.dump(2) + "\n");
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

// Compares every store against the golden outputs: the scoreboard of a run.
struct Scoreboard {
  struct Region {
    uint64_t base = 0, bytes = 0;
    int n = 0;
    const std::vector<float>* expected = nullptr;
    uint64_t compared = 0, mismatches = 0, expected_elements = 0;
    std::string layer;
  };
  std::vector<Region> regions;
  std::string first_mismatch;
  uint64_t stored_elements = 0, unexpected_bytes = 0;

  void store(uint64_t dram, const uint8_t* data, uint64_t bytes) {
    for (auto& r : regions) {
      if (dram < r.base || dram + bytes > r.base + r.bytes) continue;
      const uint64_t e0 = (dram - r.base) / 4;
      for (uint64_t e = 0; e < bytes / 4; ++e) {
        uint32_t got;
        std::memcpy(&got, data + 4 * e, 4);
        const uint32_t want = std::bit_cast<uint32_t>((*r.expected)[e0 + e]);
        ++r.compared;
        if (got != want) {
          if (r.mismatches++ == 0 && first_mismatch.empty()) {
            const uint64_t idx = e0 + e;
            first_mismatch = fmt::format("{}: O[{}][{}] = 0x{:08x}, golden 0x{:08x}", r.layer,
                                         idx / r.n, idx % r.n, got, want);
          }
        }
      }
      stored_elements += bytes / 4;
      return;
    }
    unexpected_bytes += bytes;
  }
  bool ok() const {
    if (unexpected_bytes) return false;
    for (const auto& r : regions) {
      if (r.mismatches || r.compared != r.expected_elements) return false;
    }
    return true;
  }
};

// The file SystemC writes for --vcd: the name with ".vcd" (it appends the suffix itself).
std::string vcd_file_path(const std::string& vcd) {
  const bool has_suffix = vcd.size() > 4 && vcd.substr(vcd.size() - 4) == ".vcd";
  return has_suffix ? vcd : vcd + ".vcd";
}

std::string si(double v, const char* unit) {
  const char* p[] = {"", "k", "M", "G", "T", "P"};
  int i = 0;
  while (std::abs(v) >= 1000 && i < 5) {
    v /= 1000;
    ++i;
  }
  return fmt::format("{:.3g} {}{}", v, p[i], unit);
}

void run(const RunOptions& opts) {
  const auto wall0 = std::chrono::steady_clock::now();
  RunOptions o = opts;
  if (o.tile == "rtl") {
    if (o.backend == "golden") {
      throw InputError(
          "--tile rtl: the golden backend has no tiles; allowed: --backend sim or rtl");
    }
    o.backend = "rtl";
  }
  const Workload w = workload_from_options(o);
  const HwConfig hw = config_from_options(o);
  // Every output path and every input the end of the run needs is checked before any work.
  check_output_file(o.output, "--output");
  if (o.backend != "cpu" && o.backend != "golden") check_output_file(o.stats, "--stats");
  if (!o.trace.empty()) check_output_file(o.trace, "--trace");
  if (!o.vcd.empty()) check_output_file(vcd_file_path(o.vcd), "--vcd");
  if (!o.dump_dir.empty()) check_output_dir(o.dump_dir, "--dump");
  std::optional<Characterization> characterization;
  if (o.backend != "cpu" && o.backend != "golden") {
    try {
      characterization = load_characterization(default_characterization_path(o.node));
    } catch (const CostInputError& e) {
      throw InputError(e.what());
    }
  }
  check_workload_memory(w);
  ConnectOptions co;
  co.vcd_path = o.vcd;
  co.timeline_cap = o.trace.empty() ? 0 : 2000000;
  std::unique_ptr<Accelerator> acc;
  if (o.backend != "cpu") acc = connect(o.backend, hw, co);

  fmt::print("lowbit run: workload {} on {} ({}), backend {}\n", w.name,
             hw.name.empty() ? hw.source : hw.name, hw.unit_name(), o.backend);
  if (!w.description.empty()) fmt::print("  {}\n", w.description);
  size_t name_width = 10;  // model files have longer layer names (blk12.gate_proj)
  for (const LayerSpec& l : w.layers) name_width = std::max(name_width, l.name.size());
  fmt::print("\n{:<{}} {:>5} {:>6} {:>6} {:>8} {:>5} {:>5} {:>7} {:>9} {:>11}\n", "layer",
             name_width, "M", "N", "K", "weights", "group", "acts", "GOP", "quant.err",
             "|O-Oref|max");

  nlohmann::ordered_json result = {
      {"workload", w.name}, {"config", hw.name}, {"core", hw.unit_name()}, {"backend", o.backend}};
  // --dump: O is what the configured hardware produces (the output its stores are compared with
  // bit for bit), so its rounding rule depends on the config (docs/top.md, "--dump").
  nlohmann::ordered_json manifest = {
      {"description",
       "lowbit run --dump: NumPy arrays per layer. Weight value = f(code, zero) by "
       "format (docs/kernels.md); real weight = scale * value; O = A x W^T as the "
       "configured hardware computes it (rounding rule per layer)."},
      {"config", hw.name.empty() ? hw.source : hw.name},
      {"config_source", hw.source},
      {"core", hw.unit_name()},
      {"backend", o.backend},
      {"layers", nlohmann::json::array()}};
  // Data and golden outputs of every layer (the golden kernels also check each other).
  std::vector<std::unique_ptr<LayerData>> data;
  std::vector<std::vector<float>> expected;
  std::vector<LayerInput> inputs;
  std::vector<std::vector<float>> expected_integer;  // mpgemm_integer: the CPU kernels' golden
  bool kernels_ok = true;
  double ops_total = 0;
  for (const LayerSpec& l : w.layers) {
    data.push_back(std::make_unique<LayerData>(make_layer_data(l)));
    inputs.push_back({l, data.back().get()});
  }
  // Compiled before the golden kernels run, so that what the ISA cannot encode or the program
  // size is refused before the long part of the run.
  std::optional<CompiledProgram> compiled;
  if (o.backend != "cpu") compiled = compile(hw, inputs);
  for (size_t li = 0; li < w.layers.size(); ++li) {
    const LayerSpec& l = w.layers[li];
    const LayerData& d = *data[li];
    GoldenLayerResult r = run_golden_layer(l, d);
    kernels_ok = kernels_ok && r.integer_paths_bit_exact && r.within_bound;
    ops_total += layer_ops(l) * l.repeat;
    // The mac baseline with FP16 activations rounds differently (docs/mac.md): its own golden.
    if (hw.unit->group_rule(d.acts.format == ActFormat::kFp16) == GroupRule::kMacFp16) {
      expected.push_back(mac_fp16_gemm(d.weights, d.acts));
    } else {
      expected.push_back(r.out);
    }
    expected_integer.push_back(r.out);
    nlohmann::ordered_json lj = {{"name", l.name},
                                 {"m", l.m},
                                 {"n", l.n},
                                 {"k", l.k},
                                 {"weight_format", l.weight_format},
                                 {"group_size", l.group_size},
                                 {"activation_format", l.activation_format},
                                 {"seed", l.seed},
                                 {"repeat", l.repeat},
                                 {"ops", layer_ops(l)},
                                 {"integer_paths_bit_exact", r.integer_paths_bit_exact},
                                 {"max_abs_diff_vs_reference", r.max_abs_diff_vs_reference},
                                 {"error_bound", r.error_bound},
                                 {"quantization_rel_error", r.quantization_rel_error}};
    if (!l.model_tensor.empty()) {
      lj["model_tensor"] = l.model_tensor;
      lj["model_type"] = l.model_type;
    }
    result["layers"].push_back(lj);
    fmt::print("{:<{}} {:>5} {:>6} {:>6} {:>8} {:>5} {:>5} {:>7.3f} {:>9.2e} {:>11.2e}", l.name,
               name_width, l.m, l.n, l.k, l.weight_format,
               l.group_size == 0 ? std::string("row") : std::to_string(l.group_size),
               l.activation_format, layer_ops(l) / 1e9, r.quantization_rel_error,
               r.max_abs_diff_vs_reference);
    fmt::print("\n");
  }

  if (o.backend == "cpu") {
    std::vector<const LayerData*> dp;
    std::vector<const std::vector<float>*> gp;
    for (size_t i = 0; i < data.size(); ++i) {
      dp.push_back(data[i].get());
      gp.push_back(&expected_integer[i]);
    }
    fmt::print("\n");
    CpuRunSettings cs;
    cs.max_threads = o.threads;
    bool cpu_ok = false;
    result["cpu"] = run_cpu_reference(w, dp, gp, cs, cpu_ok);
    const bool ok = cpu_ok && kernels_ok;
    if (!w.not_modelled.empty()) fmt::print("not modelled: {}\n", fmt::join(w.not_modelled, "; "));
    fmt::print(
        "verified against golden: {} (every CPU kernel by its rule: T-MAC and oneDNN bit "
        "for bit, SGEMM within the derived bound of docs/cpu-reference.md)\n",
        ok ? "yes" : "NO");
    result["verified"] = ok;
    // The CPU kernels compute (and are checked against) the integer-exact golden.
    if (!o.dump_dir.empty()) dump_run(o.dump_dir, w, hw, data, expected_integer, true, manifest);
    write_file_atomic(o.output, result.dump(2) + "\n");
    if (!ok) throw std::runtime_error("a CPU kernel does not match the golden model (see above)");
    return;
  }

  const CompiledProgram& cp = *compiled;
  Scoreboard sb;
  for (const auto& out : cp.outputs) {
    Scoreboard::Region reg;
    reg.base = out.dram;
    reg.bytes = 4ull * out.m * out.n;
    reg.n = out.n;
    reg.expected = &expected[out.layer];
    reg.expected_elements = static_cast<uint64_t>(out.m) * out.n * out.writes;
    reg.layer = w.layers[out.layer].name;
    sb.regions.push_back(reg);
  }
  uint64_t total_elements = 0;
  for (const auto& r : sb.regions) total_elements += r.expected_elements;
  ProgressOptions po;
  if (!o.progress) po.mode = ProgressMode::kOff;
  Progress progress(fmt::format("{} backend", o.backend), total_elements, po);
  Program program = cp.program;
  const auto sim0 = std::chrono::steady_clock::now();
  const uint64_t cycles = acc->run(program, [&](uint64_t a, const uint8_t* p, uint64_t n) {
    sb.store(a, p, n);
    progress.update(sb.stored_elements);
  });
  progress.finish();
  const double sim_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - sim0).count();
  const bool verified = sb.ok() && kernels_ok;

  fmt::print("\nprogram: {} instructions, DRAM image {} ({} block(s) x {} layer(s))\n",
             cp.program.code.size(), si(static_cast<double>(cp.program.dram.size()), "B"),
             cp.max_repeat, w.layers.size());
  nlohmann::ordered_json metrics;
  if (acc->timed()) {
    const nlohmann::ordered_json st = acc->stats();
    const double f = hw.top.clock_mhz * 1e6;
    const double seconds = static_cast<double>(cycles) / f;
    // Roofline and rates: one definition for every tier (run_metrics, host/lib/accel).
    const double dram_bytes =
        st["dram"]["bytes_read"].get<double>() + st["dram"]["bytes_written"].get<double>();
    metrics = run_metrics(hw, w, cp, static_cast<double>(cycles), dram_bytes);
    const double macs = st["core"]["macs"].get<double>();
    const double compute_cycles = metrics["roofline_compute_cycles"];
    const double memory_cycles = metrics["roofline_memory_cycles"];
    const double bound = metrics["roofline_bound_cycles"];
    const int tokens = w.layers.empty() ? 0 : w.layers.front().m;
    const auto& core = st["core"];
    fmt::print("cycles: {} = {} at {} MHz (simulated in {:.1f} s, {} cycles/s)\n", cycles,
               si(seconds, "s"), hw.top.clock_mhz, sim_s, si(cycles / std::max(sim_s, 1e-9), ""));
    fmt::print(
        "throughput: {} achieved ({} useful MACs x 2); utilization {:.1f}% of the core's "
        "peak for these formats\n",
        si(2 * macs / seconds, "op/s"), si(macs, ""), 100.0 * compute_cycles / cycles);
    fmt::print("DRAM: {} read, {} written, {} used of {} GB/s peak ({:.1f}%)\n",
               si(st["dram"]["bytes_read"].get<double>(), "B"),
               si(st["dram"]["bytes_written"].get<double>(), "B"), si(dram_bytes / seconds, "B/s"),
               hw.top.dram_bandwidth_gbps, 100.0 * memory_cycles / cycles);
    {
      const MemoryBandwidth mb = memory_bandwidth(hw.top);
      const double ghz = hw.top.clock_mhz / 1e3;
      const bool port_binds = mb.weight_port < mb.deliverable;
      fmt::print(
          "memory system: delivers {:.4g} GB/s (limit: {}; {} channel(s), {} burst "
          "request(s) per cycle, {} in flight per DMA queue); the core's weight buffer "
          "port reads {:.4g} GB/s{}\n",
          mb.deliverable * ghz, mb.deliverable_limit, hw.top.dram_channels, mb.issue_width,
          mb.window_bursts, mb.weight_port * ghz,
          port_binds ? ", which binds before DRAM on weight streams "
                       "(top.buffers.weight.width_bytes x banks / 2)"
                     : "");
    }
    fmt::print(
        "roofline: compute bound {:.0f} cycles, memory bound {:.0f} cycles -> lower bound "
        "{:.0f} ({}-bound); the run took {:.3f}x the bound; op rows in use {:.0f}% (M "
        "vs the core's {} rows per op)\n",
        compute_cycles, memory_cycles, bound,
        compute_cycles >= memory_cycles ? "compute" : "memory", cycles / bound,
        100.0 * metrics["op_row_occupancy"].get<double>(),
        cp.tiling.empty() ? 0 : cp.tiling[0].rows_per_op);
    const double occupancy = metrics["op_row_occupancy"].get<double>();
    if (occupancy > 0 && occupancy < 1) {
      // Padding rows do no useful work: the array's time at the rows in use, beside the bound.
      const double used = compute_cycles / occupancy;
      metrics["compute_cycles_at_rows_in_use"] = used;
      fmt::print(
          "at the op rows in use the compute time is {:.0f} cycles ({}); the run took "
          "{:.3f}x max(that, memory bound)\n",
          used, used >= memory_cycles ? "it binds, not memory" : "memory still binds",
          cycles / std::max(used, memory_cycles));
    }
    const uint64_t dequant_stall = dequant_stall_cycles(hw, core);
    metrics["dequant_stall_cycles"] = dequant_stall;
    fmt::print(
        "core stalls (cycles): dram {}, dependency {}, buffer conflict {}, buffer port {}, "
        "precompute {}, dequant {}, idle {}; busy {}\n",
        core["stall_dram_cycles"].get<uint64_t>(), core["stall_dependency_cycles"].get<uint64_t>(),
        core["stall_buffer_conflict_cycles"].get<uint64_t>(),
        core["stall_buffer_port_cycles"].get<uint64_t>(),
        core["stall_precompute_cycles"].get<uint64_t>(), dequant_stall,
        core["idle_cycles"].get<uint64_t>(), core["busy_cycles"].get<uint64_t>());
    if (dequant_stall > 0) {
      std::vector<std::string> short_layers;
      for (size_t i = 0; i < w.layers.size(); ++i) {
        const int need = hw.unit->min_dequant_group(hw.unit_params, data[i]->weights.bits);
        const int gs = data[i]->weights.group_size;
        const int g = gs > 0 ? gs : w.layers[i].k;
        if (g < need && g < w.layers[i].k) {
          short_layers.push_back(fmt::format("{} (G = {} < {})", w.layers[i].name, g, need));
        }
      }
      fmt::print(
          "dequant-limited: the arrays waited {} cycles ({:.1f}% of the run) for the "
          "per-group dequantizer; groups shorter than the dequant time stall the array "
          "(docs/top.md){}{}\n",
          dequant_stall, 100.0 * dequant_stall / cycles, short_layers.empty() ? "" : ": ",
          fmt::join(short_layers, ", "));
    }
    if (tokens > 0) {
      fmt::print("tokens/s: {:.2f} ({} token{} per run of {} blocks)\n", tokens / seconds, tokens,
                 tokens == 1 ? "" : "s", cp.max_repeat);
    }
    nlohmann::ordered_json tiling = nlohmann::json::array();
    for (const auto& t : cp.tiling) tiling.push_back(t.to_json());
    nlohmann::ordered_json sj = {{"workload", w.name},   {"config", hw.to_json()},
                                 {"backend", o.backend}, {"metrics", metrics},
                                 {"tiling", tiling},     {"stats", acc->describe_stats()}};
    // Energy and area from the characterization of the node (docs/energy-model.md); a unit
    // without characterization data gives null metrics and says why, never a silent 0.
    {
      // The weight width of per-bit event energies comes from the stats (cost_model.cpp).
      // DRAM energy per bit follows the memory preset (HBM or DDR), else the default DDR figure.
      CostOptions copts;
      if (const DramPreset* dp = find_dram_preset(hw.top.dram_preset)) {
        copts.dram_spec = std::string(dp->energy_spec);
      }
      sj["metrics"]["dram_energy_spec"] = copts.dram_spec;  // lowbit report reads it
      const CostBreakdown cost = evaluate_cost(sj, o.stats, *characterization, copts);
      auto& mj = sj["metrics"];
      mj["cost_node"] = o.node;
      const double ops = 2 * macs;
      if (cost.energy_pj) {
        mj["energy_pj"] = *cost.energy_pj;
        mj["pj_per_op"] = *cost.energy_pj / ops;
        mj["joules_per_token"] = tokens > 0 ? *cost.energy_pj * 1e-12 / tokens : 0.0;
        mj["tops_per_w"] = ops / (*cost.energy_pj * 1e-12) / 1e12;
      } else {
        mj["energy_pj"] = nullptr;
      }
      if (cost.area_um2) {
        mj["area_mm2"] = *cost.area_um2 * 1e-6;
        mj["tops_per_mm2"] = ops / seconds / 1e12 / (*cost.area_um2 * 1e-6);
      } else {
        mj["area_mm2"] = nullptr;
      }
      sj["cost"] = cost_to_json(cost);
      metrics = mj;
      if (cost.energy_pj && cost.area_um2) {
        fmt::print(
            "energy and area ({}, {}): {:.3g} pJ/op, {:.3g} J/token, {:.3g} TOPS/W; area "
            "{:.3g} mm^2, {:.3g} TOPS/mm^2 (boundary and sources: stats.json \"cost\")\n",
            o.node, cost.method.substr(0, cost.method.find(':')), *cost.energy_pj / ops,
            tokens > 0 ? *cost.energy_pj * 1e-12 / tokens : 0.0,
            ops / (*cost.energy_pj * 1e-12) / 1e12, *cost.area_um2 * 1e-6,
            ops / seconds / 1e12 / (*cost.area_um2 * 1e-6));
      } else {
        fmt::print("energy and area ({}): not characterized: {}\n", o.node,
                   cost.not_characterized.empty() ? std::string("see stats.json \"cost\"")
                                                  : cost.not_characterized.front());
      }
    }
    write_file_atomic(o.stats, sj.dump(2) + "\n");
    if (!o.trace.empty()) {
      TraceWriter tw(hw.top.clock_mhz);
      const auto proc = tw.add_process("accelerator");
      std::map<std::string, TraceWriter::TrackId> tracks;
      for (const char* u : {"ctrl", "load", "core", "blocks", "store"})
        tracks[u] = tw.add_thread(proc, u);
      for (const auto& e : acc->timeline()) {
        tw.complete(tracks[e.unit], e.name, e.unit, e.start, std::max<uint64_t>(1, e.end - e.start),
                    {{"address", fmt::format("0x{:x}", e.address)}});
      }
      tw.write(o.trace);
    }
  } else {
    fmt::print("untimed backend: outputs only (use --backend sim for cycles)\n");
  }
  fmt::print("ops per run: {:.3f} GOP; wall time {:.1f} s\n", ops_total / 1e9,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count());
  if (!w.not_modelled.empty()) fmt::print("not modelled: {}\n", fmt::join(w.not_modelled, "; "));
  fmt::print(
      "verified against golden: {} ({} output elements compared bit for bit{}; golden "
      "kernels agree: {})\n",
      verified ? "yes" : "NO", total_elements,
      sb.first_mismatch.empty() ? "" : ", first mismatch " + sb.first_mismatch,
      kernels_ok ? "yes" : "NO");
  result["metrics"] = metrics;
  result["ops_per_run"] = ops_total;
  result["not_modelled"] = w.not_modelled;
  result["verified"] = verified;
  if (!o.dump_dir.empty()) dump_run(o.dump_dir, w, hw, data, expected, false, manifest);
  write_file_atomic(o.output, result.dump(2) + "\n");
  if (!verified) throw std::runtime_error("the run does not match the golden model (see above)");
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run",
                                     "Run a workload on the accelerator (default: Llama-2-7B W2A8 "
                                     "decode on lutcore_m2n64k4, sim)");
  add_workload_options(cmd, *opts);
  cmd->add_option("--node", opts->node,
                  "Characterization node for energy and area: nangate45 or sky130hd")
      ->check(CLI::IsMember({"nangate45", "sky130hd"}))
      ->capture_default_str();
  cmd->add_option("--threads", opts->threads, "cpu backend: measure threads 1..N (0 = all CPUs)")
      ->check(CLI::Range(0, 4096))
      ->capture_default_str();
  cmd->add_option("--backend,-b", opts->backend,
                  "Backend: golden (untimed), sim, rtl, cpu (measured CPU reference kernels)")
      ->capture_default_str();
  cmd->add_option("--tile", opts->tile, "Compute tiles inside the sim top: sim (C++ models) or rtl")
      ->check(CLI::IsMember({"sim", "rtl"}))
      ->capture_default_str();
  cmd->add_option("--output,-o", opts->output, "Result JSON path")->capture_default_str();
  cmd->add_option("--stats", opts->stats, "Stats tree JSON path (timed backends)")
      ->capture_default_str();
  cmd->add_option("--trace", opts->trace, "Write a Chrome trace-event timeline here");
  cmd->add_option("--vcd", opts->vcd, "Write unit activity waveforms (VCD) here; for short runs");
  cmd->add_flag("!--no-progress", opts->progress, "No progress line / heartbeat");
  cmd->add_option("--dump", opts->dump_dir,
                  "Write A, weight codes, scales, zeros and O as .npy here");
  cmd->callback([opts] { run(*opts); });
}

}  // namespace lowbit
