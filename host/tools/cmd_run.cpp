// `lowbit run`: a workload (file, flags or the built-in default) on a backend; summary + result JSON.
#include "cmd_run.h"

#include <filesystem>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "default_workload.h"
#include "lowbit/atomic_file.h"
#include "lowbit/error.h"
#include "lowbit/golden_run.h"
#include "lowbit/npy.h"
#include "lowbit/workload.h"

namespace lowbit {
namespace {

struct RunOptions {
  std::string workload_path;
  std::string backend = "golden";
  std::string output = "result.json";
  std::string dump_dir;
  // Single-layer workload from flags.
  std::optional<int> m, n, k;
  std::string weights = "uint2", activations = "int8", distribution = "heavy_tailed";
  int group = 128;
  uint64_t seed = 1;
};

Workload workload_from_options(const RunOptions& o) {
  const bool flags = o.m || o.n || o.k;
  if (flags && !o.workload_path.empty()) {
    throw InputError("--workload and shape flags (--m/--n/--k) are exclusive; give one of them");
  }
  if (!o.workload_path.empty()) return load_workload(o.workload_path);
  if (!flags) return workload_from_json(nlohmann::json::parse(kDefaultWorkloadJson), kDefaultWorkloadName);
  nlohmann::json layer = {{"name", "gemm"},
                          {"m", o.m.value_or(1)},
                          {"n", o.n.value_or(4096)},
                          {"k", o.k.value_or(4096)},
                          {"weight_format", o.weights},
                          {"activation_format", o.activations},
                          {"group_size", o.group},
                          {"distribution", o.distribution},
                          {"seed", o.seed}};
  nlohmann::json doc = {{"name", "command-line"}, {"layers", nlohmann::json::array({layer})}};
  return workload_from_json(doc, "command line");
}

void dump_layer(const std::filesystem::path& dir, const LayerSpec& l, const LayerData& d,
                const std::vector<float>& out, nlohmann::ordered_json& manifest) {
  const auto m = static_cast<size_t>(l.m), n = static_cast<size_t>(l.n), k = static_cast<size_t>(l.k);
  const auto g = static_cast<size_t>(d.weights.groups());
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
                                {"activation_format", l.activation_format}});
}

void run(const RunOptions& o) {
  if (o.backend != "golden") {
    throw InputError(fmt::format(
        "--backend: '{}' is not available in this build; allowed: golden", o.backend));
  }
  const Workload w = workload_from_options(o);
  if (!o.dump_dir.empty()) std::filesystem::create_directories(o.dump_dir);

  fmt::print("lowbit run: workload {} on backend {}\n", w.name, o.backend);
  if (!w.description.empty()) fmt::print("  {}\n", w.description);
  fmt::print("\n{:<10} {:>5} {:>6} {:>6} {:>8} {:>5} {:>5} {:>7} {:>9} {:>11} {:>8} {:>8} {:>8} {:>8}\n",
             "layer", "M", "N", "K", "weights", "group", "acts", "GOP", "quant.err",
             "|O-Oref|max", "ref ms", "int ms", "lut ms", "mixpe ms");

  nlohmann::ordered_json result = {{"workload", w.name}, {"backend", o.backend}};
  nlohmann::ordered_json manifest = {
      {"description", "lowbit run --dump: NumPy arrays per layer. Weight value = f(code, zero) by "
                      "format (docs/kernels.md); real weight = scale * value; O = A x W^T."},
      {"layers", nlohmann::json::array()}};
  double ops_per_token = 0;
  bool verified = true;
  for (const LayerSpec& l : w.layers) {
    const LayerData d = make_layer_data(l);
    const GoldenLayerResult r = run_golden_layer(l, d);
    verified = verified && r.integer_paths_bit_exact && r.within_bound;
    ops_per_token += layer_ops(l) * l.repeat / l.m;
    auto ms = [&](const char* name) {
      for (const auto& t : r.timings) {
        if (t.kernel == name) return t.seconds * 1e3;
      }
      return 0.0;
    };
    fmt::print("{:<10} {:>5} {:>6} {:>6} {:>8} {:>5} {:>5} {:>7.3f} {:>9.2e} {:>11.2e} {:>8.1f} "
               "{:>8.1f} {:>8.1f} {:>8.1f}\n",
               l.name, l.m, l.n, l.k, l.weight_format,
               l.group_size == 0 ? std::string("row") : std::to_string(l.group_size),
               l.activation_format, layer_ops(l) / 1e9, r.quantization_rel_error,
               r.max_abs_diff_vs_reference, ms("reference"), ms("integer"), ms("lut"), ms("mixpe"));
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
    for (const auto& t : r.timings) lj["seconds"][t.kernel] = t.seconds;
    result["layers"].push_back(lj);
    if (!o.dump_dir.empty()) dump_layer(o.dump_dir, l, d, r.out, manifest);
  }
  fmt::print("\nops per token (M=1 rows, x repeat): {:.3f} GOP\n", ops_per_token / 1e9);
  if (!w.not_modelled.empty()) {
    fmt::print("not modelled: {}\n", fmt::join(w.not_modelled, "; "));
  }
  fmt::print("quant.err: ||O_ref - O_fp64|| / ||O_fp64|| against the unquantized product\n");
  fmt::print("|O-Oref|max: integer-exact kernel vs the fp64 dequantize reference (bound in "
             "docs/kernels.md)\n");
  fmt::print("verified against golden: {} (integer-exact = LUT = MixPE bit for bit, and within the "
             "bound of the reference)\n",
             verified ? "yes" : "NO");
  result["ops_per_token"] = ops_per_token;
  result["not_modelled"] = w.not_modelled;
  result["verified"] = verified;
  write_file_atomic(o.output, result.dump(2) + "\n");
  if (!o.dump_dir.empty()) {
    write_file_atomic(std::filesystem::path(o.dump_dir) / "manifest.json", manifest.dump(2) + "\n");
  }
  fmt::print("wrote {}{}\n", o.output, o.dump_dir.empty() ? "" : " and " + o.dump_dir + "/*.npy");
  if (!verified) throw std::runtime_error("golden kernels disagree (see the table above)");
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run a workload on a backend (default: the built-in Llama-2-7B W2A8 decode block)");
  cmd->add_option("--workload,-w", opts->workload_path, "Workload JSON file (docs/workloads.md)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--backend,-b", opts->backend, "Backend: golden");
  cmd->add_option("--output,-o", opts->output, "Result JSON path")->capture_default_str();
  cmd->add_option("--dump", opts->dump_dir, "Write A, weight codes, scales, zeros and O as .npy here");
  cmd->add_option("--m", opts->m, "Single layer from flags: rows of A (batch / sequence)");
  cmd->add_option("--n", opts->n, "Single layer: out_features");
  cmd->add_option("--k", opts->k, "Single layer: in_features");
  cmd->add_option("--weights", opts->weights, "Single layer: weight format")->capture_default_str();
  cmd->add_option("--activations", opts->activations, "Single layer: int8 or fp16")
      ->capture_default_str();
  cmd->add_option("--group", opts->group, "Single layer: group size 32/64/128, 0 = whole row")
      ->capture_default_str();
  cmd->add_option("--dist", opts->distribution, "Single layer: gaussian or heavy_tailed")
      ->capture_default_str();
  cmd->add_option("--seed", opts->seed, "Single layer: data seed")->capture_default_str();
  cmd->callback([opts] { run(*opts); });
}

}  // namespace lowbit
