// `lowbit run`: a workload (file, flags or the built-in default) on a backend; summary + result
// JSON. The pipeline is lowbit::run() (lowbit/run.h); this file parses flags and prints the record.
#include "cmd_run.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "lowbit/atomic_file.h"
#include "lowbit/decoder_context.h"
#include "lowbit/error.h"
#include "lowbit/output_path.h"
#include "lowbit/run.h"
#include "model/arch/memory_system.h"
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
  std::string context_chart;       ///< --context-chart PREFIX: decode figures against context
};

std::string si(double v, const char* unit) {
  const char* p[] = {"", "k", "M", "G", "T", "P"};
  int i = 0;
  while (std::abs(v) >= 1000 && i < 5) {
    v /= 1000;
    ++i;
  }
  return fmt::format("{:.3g} {}{}", v, p[i], unit);
}

void print_header(const RunRecord& r, const HwConfig& hw, const Workload& w, size_t name_width) {
  fmt::print("lowbit run: workload {} on {} ({}), backend {}\n", r.workload,
             hw.name.empty() ? hw.source : hw.name, r.core, r.backend);
  if (!w.description.empty()) fmt::print("  {}\n", w.description);
  fmt::print("\n{:<{}} {:>5} {:>6} {:>6} {:>8} {:>5} {:>5} {:>7} {:>9} {:>11}\n", "layer",
             name_width, "M", "N", "K", "weights", "group", "acts", "GOP", "quant.err",
             "|O-Oref|max");
}

void print_layer(const LayerRecord& l, size_t name_width) {
  fmt::print("{:<{}} {:>5} {:>6} {:>6} {:>8} {:>5} {:>5} {:>7.3f} {:>9.2e} {:>11.2e}\n", l.name,
             name_width, l.m, l.n, l.k, l.weight_format,
             l.group_size == 0 ? std::string("row") : std::to_string(l.group_size),
             l.activation_format, l.ops / 1e9, l.quantization_rel_error,
             l.max_abs_diff_vs_reference);
  if (!l.weight_type_mix.empty()) {
    // BitMoD: the per-group datatype choice, and RTN at the same width on the same weights.
    int groups = 0;
    for (const auto& [type, n] : l.weight_type_mix) groups += n;
    std::string mix;
    for (const auto& [type, n] : l.weight_type_mix) {
      mix += fmt::format("{}{} {:.1f}%", mix.empty() ? "" : ", ", type, 100.0 * n / groups);
    }
    fmt::print(
        "{:<{}}   datatypes of {} groups: {}; {} RTN on the same weights: quant.err {:.2e}\n", "",
        name_width, groups, mix, l.rtn_weight_format, l.rtn_quantization_rel_error);
  }
}

// Whether the config's clock is one the unit's RTL meets at the characterization node, and if
// not, what the run would give at the clock it does meet (docs/pipelining.md).
void print_clock(const CostBreakdown& cost, int tokens, double seconds) {
  if (!cost.unit_fmax_mhz) {
    fmt::print("clock: {} MHz, not checked: no fmax for this unit at {} (not characterized)\n",
               cost.clock_mhz, cost.node);
    return;
  }
  const double fmax = *cost.unit_fmax_mhz;
  const std::string basis =
      cost.unit_fmax_basis.empty() ? std::string() : "; fmax " + cost.unit_fmax_basis;
  if (cost.clock_met()) {
    fmt::print("clock: {} MHz, met by the RTL: {} closes at {:.0f} MHz at {} (OpenSTA{})\n",
               cost.clock_mhz, cost.unit_entry, fmax, cost.node, basis);
    return;
  }
  const double slow = cost.clock_mhz / fmax;
  fmt::print(
      "clock: {} MHz is NOT met by the RTL: {} closes at {:.0f} MHz at {} (OpenSTA{}); the same "
      "cycles at that clock take {}{} (a bound: memory-bound phases need fewer cycles there)\n",
      cost.clock_mhz, cost.unit_entry, fmax, cost.node, basis, si(seconds * slow, "s"),
      tokens > 0 ? fmt::format(", {:.2f} tokens/s", tokens / (seconds * slow)) : std::string());
}

// Contexts of the chart: 512 .. 32768 in powers of two.
std::vector<int> chart_contexts() {
  std::vector<int> v;
  for (int L = 512; L <= 32768; L *= 2) v.push_back(L);
  return v;
}

// --context-chart: the run's linear layers (their cycles and energy do not depend on the context)
// with the operator-level vector / KV model at every context; CSV and SVG.
void write_chart(const RunOptions& o, const RunRecord& r, const Workload& w, const HwConfig& hw) {
  const auto& t = r.decoder["timing"];
  const auto& e = r.decoder["energy"];
  const std::optional<double> linear_pj =
      e["linear_pj"].is_null() ? std::nullopt : std::optional<double>(e["linear_pj"].get<double>());
  const std::vector<ContextPoint> pts =
      decoder_context_sweep(w, hw, t["breakdown_cycles"]["linear"].get<double>(), linear_pj,
                            r.vector_cost ? &*r.vector_cost : nullptr, chart_contexts());
  const std::vector<std::string> files = write_context_chart(
      o.context_chart,
      fmt::format("{} on {} (whole model, {} blocks; {} simulated): decode against context", w.name,
                  hw.name, r.decoder["model_blocks"].get<int>(), r.decoder["blocks"].get<int>()),
      pts);
  fmt::print(
      "context chart ({}, {}): the linear layers simulated once at context {} (their cycles do "
      "not depend on it), the vector unit and KV traffic by the operator-level model at each "
      "context:\n",
      files[0], files[1], r.decoder["context"].get<int>());
  for (const ContextPoint& p : pts) {
    fmt::print("  context {:>6}: {:.3g} tokens/s, {}\n", p.context,
               p.figures.model_tokens_per_second,
               p.figures.model_joules_per_token ? si(*p.figures.model_joules_per_token, "J/token")
                                                : std::string("J/token not evaluated"));
  }
}

// The console summary of a timed run: cycles, throughput, memory, roofline, stalls, cost.
// Whole decoder blocks: the mapping, the vector unit's checks, the per-token results.
void print_decoder(const RunRecord& r) {
  const auto& d = r.decoder;
  const auto& kv = d["kv_cache"];
  const bool prefill = d.value("phase", "decode") == "prefill";
  const std::string attends =
      prefill ? fmt::format("causal attention over a prompt of {} tokens",
                            d["prompt_tokens"].get<int>())
              : fmt::format("attention over context {}", d["context"].get<int>());
  const bool sub = d.contains("sub_norms");  // BitNet b1.58's sub-layer norms
  fmt::print(
      "\ndecoder {}: {} of {} blocks x (RMSNorm, q/k/v, rotary, {}, {}o, residual, RMSNorm, "
      "gate/up, {}, {}down, residual), batch {}, heads {} / KV heads {} x {}; each "
      "block's input is the previous block's output; the blocks share one synthesized weight "
      "image\n",
      d["phase"].get<std::string>(), d["blocks"].get<int>(), d["model_blocks"].get<int>(), attends,
      sub ? "sub-layer RMSNorm, " : "",
      d.value("ffn_activation", "silu") == "relu2" ? "relu(gate)^2 x up" : "SiLU x gate",
      sub ? "sub-layer RMSNorm, " : "", d["batch"].get<int>(), d["heads"].get<int>(),
      d["kv_heads"].get<int>(), d["head_dim"].get<int>());
  fmt::print("KV cache: {}{} in DRAM, {} read and {} written per token step\n",
             kv["format"].get<std::string>(),
             kv["group"].get<int>() == 0
                 ? std::string(kv["format"] == "fp16" ? "" : ", one FP16 scale per token and head")
                 : fmt::format(", one FP16 scale per {} elements", kv["group"].get<int>()),
             si(kv["read_bytes"].get<double>(), "B"), si(kv["write_bytes"].get<double>(), "B"));
  fmt::print("mapping: {}\n", d["attention_mapping"].get<std::string>());
  if (!d["lm_head"].is_null()) {
    fmt::print(
        "LM head: final RMSNorm, then lm_head (hidden x {} vocabulary) on the accelerator for {} "
        "row(s), checked bit for bit; embedding gather: {} FP16 read from DRAM\n",
        d["lm_head"]["vocab"].get<int>(), d["lm_head"]["rows"].get<int>(),
        si(d["lm_head"]["embedding_bytes_read"].get<double>(), "B"));
  }
  std::string checks;
  for (const auto& [op, c] : d["vector_checks"].items()) {
    checks += fmt::format("{}{} {:.3f}", checks.empty() ? "" : ", ", op,
                          c["worst_error_over_bound"].get<double>());
  }
  fmt::print("vector ops vs float64 (worst error / rule bound, <= 1 passes): {}: {}\n", checks,
             d["vector_checks_ok"].get<bool>() ? "ok" : "FAILED");
  const auto& codes = d["block0_requant_codes"];
  fmt::print(
      "block 0 vs its float64 reference: relative L2 {:.3g} (rule <= {:.3g}; {} of {} requantized "
      "codes one step apart, aligned; {} further apart): {}; the chain of blocks took {:.1f} s\n",
      d["block0_rel_l2_vs_float64"].get<double>(), d["block0_rule"].get<double>(),
      codes["one_step_apart_aligned"].get<uint64_t>(), codes["compared"].get<uint64_t>(),
      codes["further_apart"].get<uint64_t>(), d["block0_within_rule"].get<bool>() ? "ok" : "FAILED",
      r.decoder_chain_seconds);
  if (d["timing"].is_null()) return;
  const auto& t = d["timing"];
  const auto& b = t["breakdown_cycles"];
  const double total = t["cycles"].get<double>();
  const auto pct = [&](const char* k) { return 100.0 * b[k].get<double>() / total; };
  if (prefill) {
    fmt::print(
        "time to first token: {:.0f} cycles = {} ({} blocks); {:.1f} prompt tokens/s ({}; {} "
        "vector "
        "lanes)\n",
        total, si(t["time_to_first_token_s"].get<double>(), "s"), d["blocks"].get<int>(),
        t["prompt_tokens_per_second"].get<double>(), t["model"].get<std::string>(),
        t["vector_lanes"].get<int>());
  } else {
    fmt::print("per token step: {:.0f} cycles = {}; {:.2f} tokens/s ({}; {} vector lanes)\n", total,
               si(t["seconds_per_token_step"].get<double>(), "s"),
               t["tokens_per_second"].get<double>(), t["model"].get<std::string>(),
               t["vector_lanes"].get<int>());
  }
  if (t.contains("whole_model")) {
    const auto& mm = t["whole_model"];
    fmt::print("whole model ({} blocks, {}): {} per {}, {:.3g} {}tokens/s\n",
               mm["blocks"].get<int>(), mm["scaling"].get<std::string>(),
               si(mm["seconds_per_token_step"].get<double>(), "s"),
               prefill ? "prefill (time to first token)" : "token step",
               prefill ? mm["prompt_tokens_per_second"].get<double>()
                       : mm["tokens_per_second"].get<double>(),
               prefill ? "prompt " : "");
  }
  fmt::print(
      "breakdown (cycles): linear {:.0f} ({:.1f}%), attention matmuls {:.0f} ({:.1f}%), KV "
      "traffic {:.0f} ({:.1f}%), nonlinear {:.0f} ({:.1f}%), embedding {:.0f} ({:.1f}%); "
      "attention phase {:.0f} ({})\n",
      b["linear"].get<double>(), pct("linear"), b["attention_matmuls"].get<double>(),
      pct("attention_matmuls"), b["kv_traffic"].get<double>(), pct("kv_traffic"),
      b["nonlinear"].get<double>(), pct("nonlinear"), b["embedding"].get<double>(),
      pct("embedding"), b["attention_phase"].get<double>(),
      t.contains("attention_systemc") && !t["attention_systemc"].contains("skipped")
          ? std::string("measured on the SystemC vector unit and DRAM model")
          : "= max(KV stream, QK^T + softmax + PV), bound by " +
                b["attention_phase_bound_by"].get<std::string>());
  if (t.contains("attention_systemc") && t["attention_systemc"].contains("skipped")) {
    fmt::print("attention on the SystemC vector unit: not run ({}); the operator-level model's\n",
               t["attention_systemc"]["skipped"].get<std::string>());
  } else if (t.contains("attention_systemc")) {
    const auto& a = t["attention_systemc"];
    // A prefill's program is the prompt's causal attention, in passes of query rows.
    const std::string passes =
        a["query_rows_per_pass"].is_null()
            ? std::string()
            : fmt::format(", {} query rows per pass", a["query_rows_per_pass"].get<int>());
    fmt::print(
        "attention on the SystemC vector unit (per {} and block): {} cycles (operator-level "
        "model {:.0f}, {:+.1f}%); KV read {} B through the load DMA and DRAM model (operator-level "
        "{:.0f} B), {} chunks of {} positions per KV head{}; context {}\n",
        prefill ? "prompt" : "sequence", a["cycles_per_sequence_layer"].get<uint64_t>(),
        a["operator_level_attention_phase"].get<double>(),
        100.0 * a["operator_level_error"].get<double>(), a["kv_read_bytes"].get<uint64_t>(),
        a["kv_read_bytes_operator_level"].get<double>(), a["chunks_per_kv_head"].get<int>(),
        a["chunk_positions"].get<int>(), passes,
        a["context_verified"].get<bool>() ? "equal to the FP32 kernels" : "MISMATCH");
  }
  if (t.contains("block_vector_systemc") && t["block_vector_systemc"].contains("skipped")) {
    fmt::print(
        "RMSNorm, rotary, SiLU x gate, residuals, requantization on the SystemC vector unit: not "
        "run ({}); the operator-level model's\n",
        t["block_vector_systemc"]["skipped"].get<std::string>());
  } else if (t.contains("block_vector_systemc")) {
    const auto& v = t["block_vector_systemc"];
    fmt::print(
        "RMSNorm, rotary, SiLU x gate, residuals, requantization on the SystemC vector unit (per "
        "{} and block): {} cycles (operator-level model {:.0f}, {:+.1f}%), up in {} chunks "
        "of {}; results {}\n",
        prefill ? "prompt row" : "sequence", v["cycles_per_sequence_block"].get<uint64_t>(),
        v["operator_level_cycles_per_sequence_block"].get<double>(),
        100.0 * v["operator_level_error"].get<double>(), v["ffn_chunks"].get<int>(),
        v["ffn_chunk_elements"].get<int>(),
        v["results_verified"].get<bool>()
            ? "equal to the FP32 kernels and quantizers"
            : "MISMATCH (" + v["first_mismatch"].get<std::string>() + ")");
  }
  const auto& e = d["energy"];
  if (e["joules_per_token"].is_null()) {
    fmt::print("energy per token: not evaluated (linear layers' energy unavailable); KV DRAM {}\n",
               si(e["kv_dram_pj"].get<double>() * 1e-12, "J"));
  } else {
    const auto& v = e["vector_unit"];
    const std::string vector =
        v.is_string()
            ? "; vector unit: " + v.get<std::string>()
            : fmt::format(
                  " + vector unit {} (lane operations {}, of which KV bytes through the out "
                  "buffer {}; leakage {}; FP32 add / multiply primitives of the node, "
                  "boundary: stats.json decoder.energy.vector_unit)",
                  si(v["pj"].get<double>() * 1e-12, "J"),
                  si(v["dynamic_pj"].get<double>() * 1e-12, "J"),
                  si(v["blocks_kv_buffer_pj"].get<double>() * 1e-12, "J"),
                  si(v["leakage_pj"].get<double>() * 1e-12, "J"));
    fmt::print("energy per {}: {} = linear layers {} + KV DRAM {} + embedding DRAM {} ({}){}\n",
               prefill ? "prefill" : "token", si(e["joules_per_token"].get<double>(), "J"),
               si(e["linear_pj"].get<double>() * 1e-12, "J"),
               si(e["kv_dram_pj"].get<double>() * 1e-12, "J"),
               si(e["embedding_dram_pj"].get<double>() * 1e-12, "J"),
               e["dram_energy_spec"].get<std::string>(), vector);
    if (e.contains("model_joules_per_token")) {
      fmt::print("whole model ({} blocks): {} per {}\n", d["model_blocks"].get<int>(),
                 si(e["model_joules_per_token"].get<double>(), "J"), prefill ? "prefill" : "token");
    }
  }
}

void print_timed(const RunRecord& r, const HwConfig& hw, const std::string& node) {
  const RunMetrics& m = *r.metrics;
  const uint64_t cycles = m.cycles;
  const double seconds = m.seconds;
  const double compute_cycles = m.roofline_compute_cycles;
  const double memory_cycles = m.roofline_memory_cycles;
  fmt::print("cycles: {} = {} at {} MHz (simulated in {:.1f} s, {} cycles/s)\n", cycles,
             si(seconds, "s"), hw.top.clock_mhz, r.simulate_seconds,
             si(cycles / std::max(r.simulate_seconds, 1e-9), ""));
  fmt::print(
      "throughput: {} achieved ({} useful MACs x 2); utilization {:.1f}% of the core's "
      "peak for these formats\n",
      si(2 * r.macs / seconds, "op/s"), si(r.macs, ""), 100.0 * compute_cycles / cycles);
  fmt::print("DRAM: {} read, {} written, {} used of {} GB/s peak ({:.1f}%)\n",
             si(r.dram_bytes_read, "B"), si(r.dram_bytes_written, "B"),
             si((r.dram_bytes_read + r.dram_bytes_written) / seconds, "B/s"),
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
      compute_cycles, memory_cycles, m.roofline_bound_cycles,
      compute_cycles >= memory_cycles ? "compute" : "memory",
      static_cast<double>(cycles) / m.roofline_bound_cycles, 100.0 * m.op_row_occupancy,
      r.tiling.empty() ? 0 : r.tiling[0].rows_per_op);
  if (m.compute_cycles_at_rows_in_use) {
    const double used = *m.compute_cycles_at_rows_in_use;
    fmt::print(
        "at the op rows in use the compute time is {:.0f} cycles ({}); the run took "
        "{:.3f}x max(that, memory bound)\n",
        used, used >= memory_cycles ? "it binds, not memory" : "memory still binds",
        cycles / std::max(used, memory_cycles));
  }
  const uint64_t dequant_stall = m.dequant_stall_cycles.value_or(0);
  const CoreCycles& c = r.core_cycles;
  fmt::print(
      "core stalls (cycles): dram {}, dependency {}, buffer conflict {}, buffer port {}, "
      "precompute {}, dequant {}, idle {}; busy {}\n",
      c.stall_dram, c.stall_dependency, c.stall_buffer_conflict, c.stall_buffer_port,
      c.stall_precompute, dequant_stall, c.idle, c.busy);
  if (dequant_stall > 0) {
    fmt::print(
        "dequant-limited: the arrays waited {} cycles ({:.1f}% of the run) for the "
        "per-group dequantizer; groups shorter than the dequant time stall the array "
        "(docs/top.md){}{}\n",
        dequant_stall, 100.0 * dequant_stall / cycles, r.dequant_limited_layers.empty() ? "" : ": ",
        fmt::join(r.dequant_limited_layers, ", "));
  }
  const int tokens = r.layers.empty() ? 0 : r.layers.front().m;
  if (tokens > 0 && !r.decoder.is_null()) {
    fmt::print(
        "linear layers alone: {:.2f} tokens/s (the whole token, with attention and the vector "
        "unit: \"per token step\" below)\n",
        tokens / seconds);
  } else if (tokens > 0) {
    fmt::print("tokens/s: {:.2f} ({} token{} per run of {} blocks)\n", tokens / seconds, tokens,
               tokens == 1 ? "" : "s", r.blocks);
  }
  if (!r.cost || !m.cost) return;
  const CostBreakdown& cost = *r.cost;
  print_clock(cost, tokens, seconds);
  const CostMetrics& cm = *m.cost;
  if (cm.energy_pj && cm.area_mm2) {
    fmt::print(
        "energy and area ({}, {}): {:.3g} pJ/op, {:.3g} J/token, {:.3g} TOPS/W; area "
        "{:.3g} mm^2, {:.3g} TOPS/mm^2 (boundary and sources: stats.json \"cost\")\n",
        node, cost.method.substr(0, cost.method.find(':')), *cm.pj_per_op, *cm.joules_per_token,
        *cm.tops_per_w, *cm.area_mm2, *cm.tops_per_mm2);
  } else {
    fmt::print("energy and area ({}): not characterized: {}\n", node,
               cost.not_characterized.empty() ? std::string("see stats.json \"cost\"")
                                              : cost.not_characterized.front());
  }
}

void run_command(const RunOptions& opts) {
  RunOptions o = opts;
  if (o.tile == "rtl") {
    if (o.backend == "golden") {
      throw InputError(
          "--tile rtl: the golden backend has no tiles; allowed: --backend sim or rtl");
    }
    o.backend = "rtl";
  }
  RunRequest q;
  q.workload = workload_from_options(o);
  q.config = config_from_options(o);
  q.backend = o.backend;
  q.cpu_threads = o.threads;
  q.node = o.node;
  q.stats_name = o.stats;
  q.trace_path = o.trace;
  q.vcd_path = o.vcd;
  q.dump_dir = o.dump_dir;
  q.progress = o.progress;
  // The files this command writes are checked before any work (run() checks its own).
  check_output_file(o.output, "--output");
  if (!o.context_chart.empty()) {
    // Checked before the run: a decode of decoder blocks on a timed program backend.
    if (!q.workload.decoder || q.workload.decoder->prefill ||
        (o.backend != "sim" && o.backend != "rtl")) {
      throw InputError(
          "--context-chart: needs a decode workload with \"decoder\" on a timed program backend; "
          "allowed: e.g. -w llama2_7b_decode_w2a8 with --backend sim or rtl");
    }
    check_output_file(o.context_chart + ".csv", "--context-chart");
    check_output_file(o.context_chart + ".svg", "--context-chart");
  }
  const bool writes_stats = o.backend != "cpu" && o.backend != "golden";
  if (writes_stats) check_output_file(o.stats, "--stats");
  size_t name_width = 10;  // model files have longer layer names (blk12.gate_proj)
  for (const LayerSpec& l : q.workload.layers) name_width = std::max(name_width, l.name.size());
  q.on_start = [&](const RunRecord& r) { print_header(r, q.config, q.workload, name_width); };
  q.on_layer = [&](const LayerRecord& l) { print_layer(l, name_width); };

  const RunRecord r = run(q);
  if (!r.cpu.is_null()) {  // the CPU reference kernels: their table was printed as they ran
    if (!r.not_modelled.empty()) fmt::print("not modelled: {}\n", fmt::join(r.not_modelled, "; "));
    fmt::print(
        "verified against golden: {} (every CPU kernel by its rule: T-MAC and oneDNN bit "
        "for bit, SGEMM within the derived bound of docs/cpu-reference.md)\n",
        r.verified ? "yes" : "NO");
    write_file_atomic(o.output, result_json(r).dump(2) + "\n");
    if (!r.verified) {
      throw std::runtime_error("a CPU kernel does not match the golden model (see above)");
    }
    return;
  }
  fmt::print("\nprogram: {} instructions, DRAM image {} ({} block(s) x {} layer(s))\n",
             r.program_instructions, si(static_cast<double>(r.dram_image_bytes), "B"), r.blocks,
             r.layers.size());
  if (!r.outputs_computed) {
    // The analytic backend: the tile-level model, as `lowbit estimate` prints it.
    const RunMetrics& m = *r.metrics;
    fmt::print(
        "analytic estimate: {} cycles = {} at {} MHz; roofline bound {:.0f} ({:.3f}x); "
        "tokens/s {:.2f} (docs/sweep.md, \"Analytic tier\")\n",
        m.cycles, si(m.seconds, "s"), m.clock_mhz, m.roofline_bound_cycles, m.cycles_over_bound,
        m.tokens_per_second);
    write_file_atomic(o.stats, stats_json(r).dump(2) + "\n");
    fmt::print("ops per run: {:.3f} GOP; wall time {:.1f} s\n", r.ops_per_run / 1e9,
               r.wall_seconds);
    if (!r.not_modelled.empty()) fmt::print("not modelled: {}\n", fmt::join(r.not_modelled, "; "));
    fmt::print(
        "verified against golden: not applicable (the analytic backend computes no outputs)\n");
    write_file_atomic(o.output, result_json(r).dump(2) + "\n");
    return;
  }
  if (r.metrics) {
    print_timed(r, q.config, o.node);
    write_file_atomic(o.stats, stats_json(r).dump(2) + "\n");
  } else {
    fmt::print("untimed backend: outputs only (use --backend sim for cycles)\n");
  }
  if (!r.decoder.is_null()) print_decoder(r);
  if (!o.context_chart.empty() && !r.decoder.is_null() && !r.decoder["timing"].is_null()) {
    write_chart(o, r, q.workload, q.config);
  }
  fmt::print("ops per run: {:.3f} GOP; wall time {:.1f} s\n", r.ops_per_run / 1e9, r.wall_seconds);
  if (!r.not_modelled.empty()) fmt::print("not modelled: {}\n", fmt::join(r.not_modelled, "; "));
  fmt::print(
      "verified against golden: {} ({} output elements compared bit for bit{}; golden "
      "kernels agree: {})\n",
      r.verified ? "yes" : "NO", r.outputs_compared,
      r.first_mismatch.empty() ? "" : ", first mismatch " + r.first_mismatch,
      r.golden_kernels_agree ? "yes" : "NO");
  write_file_atomic(o.output, result_json(r).dump(2) + "\n");
  if (!r.verified) throw std::runtime_error("the run does not match the golden model (see above)");
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
                  "Backend: golden (untimed), sim, rtl, cpu (measured CPU reference kernels), "
                  "analytic (tile-level estimate, nothing runs)")
      ->capture_default_str();
  cmd->add_option("--tile", opts->tile, "Compute tiles inside the sim top: sim (C++ models) or rtl")
      ->check(CLI::IsMember({"sim", "rtl"}))
      ->capture_default_str();
  cmd->add_option("--output,-o", opts->output, "Result JSON path")->capture_default_str();
  cmd->add_option("--context-chart", opts->context_chart,
                  "Decoder decode workloads: write PREFIX.csv and PREFIX.svg, decode tokens/s and "
                  "J/token at contexts 512..32768 (docs/decoder.md)");
  cmd->add_option("--stats", opts->stats, "Stats tree JSON path (timed backends)")
      ->capture_default_str();
  cmd->add_option("--trace", opts->trace, "Write a Chrome trace-event timeline here");
  cmd->add_option("--vcd", opts->vcd, "Write unit activity waveforms (VCD) here; for short runs");
  cmd->add_flag("!--no-progress", opts->progress, "No progress line / heartbeat");
  cmd->add_option("--dump", opts->dump_dir,
                  "Write A, weight codes, scales, zeros and O as .npy here");
  cmd->callback([opts] { run_command(*opts); });
}

}  // namespace lowbit
