// `lowbit compile`: tiles a workload for a config; prints the tiling, writes the program.
#include "cmd_compile.h"

#include <fmt/format.h>

#include <memory>

#include "lowbit/atomic_file.h"
#include "lowbit/compiler.h"
#include "lowbit/output_path.h"
#include "model/isa/assembler.h"
#include "run_inputs.h"

namespace lowbit {
namespace {

struct CompileOptions : WorkloadOptions {
  std::string binary, assembly;
};

void compile_cmd(const CompileOptions& o) {
  const Workload w = workload_from_options(o);
  const HwConfig hw = config_from_options(o);
  if (!o.binary.empty()) check_output_file(o.binary, "--binary");
  if (!o.assembly.empty()) check_output_file(o.assembly, "--asm");
  check_workload_memory(w);
  std::vector<std::unique_ptr<LayerData>> data;
  std::vector<LayerInput> inputs;
  for (const auto& l : w.layers) {
    data.push_back(std::make_unique<LayerData>(make_layer_data(l)));
    inputs.push_back({l, data.back().get()});
  }
  const CompiledProgram cp = compile(hw, inputs);
  fmt::print("lowbit compile: workload {} for {} ({})\n\n", w.name, hw.name, hw.unit_name());
  fmt::print("{:<10} {:>5} {:>6} {:>6} {:>6} {:>9} {:>8} {:>9} {:>9} {:>12} {:>10}\n", "layer", "M",
             "N", "K", "group", "op MxN", "k_chunk", "act", "blocks", "weight B", "act B");
  for (const auto& t : cp.tiling) {
    fmt::print(
        "{:<10} {:>5} {:>6} {:>6} {:>6} {:>9} {:>8} {:>9} {:>9} {:>12} {:>10}\n", t.name, t.m, t.n,
        t.k, t.group, fmt::format("{}x{}", t.rows_per_op, t.cols_per_op), t.k_chunk,
        t.weight_stationary ? "per block"
        : t.act_resident    ? "resident"
                            : "per chunk",
        fmt::format("{}x{}x{}", t.m_blocks, t.n_blocks, t.k_chunks), t.weight_bytes, t.act_bytes);
  }
  fmt::print("\n{} instructions ({} blocks x layers), DRAM image {} bytes\n",
             cp.program.code.size(), cp.max_repeat, cp.program.dram.size());
  fmt::print(
      "loop order: M-blocks, N-blocks, K-chunks, or N-blocks outside when all of K fits one "
      "chunk and that moves fewer bytes (act 'per block': weight-stationary); weights and "
      "scales double-buffered per chunk, activations resident per M-block when all of K "
      "fits half the act buffer, outputs double-buffered per block; a LUT unit's table "
      "precompute fused into its tile op\n");
  if (!o.binary.empty()) {
    const auto bin = isa::to_binary(cp.program.code);
    write_file_atomic(o.binary, std::string(bin.begin(), bin.end()));
    fmt::print("wrote {}\n", o.binary);
  }
  if (!o.assembly.empty()) {
    write_file_atomic(o.assembly, isa::disassemble(cp.program.code));
    fmt::print("wrote {}\n", o.assembly);
  }
}

}  // namespace

void add_compile_command(CLI::App& app) {
  auto o = std::make_shared<CompileOptions>();
  CLI::App* cmd =
      app.add_subcommand("compile", "Tile a workload for a config and emit the program");
  add_workload_options(cmd, *o);
  cmd->add_option("-o,--binary", o->binary, "Write the program binary (.lbp) here");
  cmd->add_option("--asm", o->assembly, "Write the disassembly here");
  cmd->callback([o] { compile_cmd(*o); });
}

}  // namespace lowbit
