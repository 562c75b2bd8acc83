// Workload and hardware-config inputs of `lowbit run` / `lowbit compile`.
#include "run_inputs.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "default_workload.h"
#include "lowbit/config_override.h"
#include "lowbit/error.h"

namespace lowbit {

void add_workload_options(CLI::App* cmd, WorkloadOptions& o) {
  cmd->add_option("--workload,-w", o.workload,
                  "Workload JSON file or preset name (docs/workloads.md); default: built-in")
      ->check(CLI::Validator(
          [](std::string& s) {
            return s.empty() ? std::string("empty; allowed: a workload file or preset name")
                             : std::string();
          },
          "NONEMPTY"));
  cmd->add_option("--model", o.model,
                  "GGUF or safetensors model file: its decoder's linear layers with the file's own "
                  "weights (docs/models.md)");
  cmd->add_option("--blocks", o.blocks,
                  "With --model: blocks to run, e.g. 0 or 0,2-3 (default: all)");
  cmd->add_option("--layers", o.layers,
                  "With --model: linear layers to run (q_proj k_proj v_proj o_proj gate_proj "
                  "up_proj down_proj; default: all)")
      ->delimiter(',');
  cmd->add_option("--config,-c", o.config,
                  "Hardware config JSON (configs/); default: built-in lutcore_m2n64k4")
      ->check(CLI::ExistingFile);
  cmd->add_option("--set", o.sets, "Override a config value: key.path=value (repeatable)");
  cmd->add_option("--context", o.context,
                  "Decoder workloads: positions the decode token attends (docs/decoder.md)");
  cmd->add_option("--prompt", o.prompt,
                  "Prefill workloads: prompt tokens P (every layer's m; time to first token)");
  cmd->add_option("--decoder-blocks", o.decoder_blocks,
                  "Decoder workloads: run the first N blocks (per-token figures are also scaled "
                  "to the model's blocks)");
  cmd->add_option("--m", o.m, "Single layer from flags: rows of A (batch / sequence)");
  cmd->add_option("--n", o.n, "Single layer: out_features");
  cmd->add_option("--k", o.k, "Single layer: in_features");
  cmd->add_option("--weights", o.weights, "Single layer (or --model float tensors): weight format")
      ->capture_default_str();
  cmd->add_option("--activations", o.activations, "Single layer: int8, fp16, fp8_e4m3 or fp8_e5m2")
      ->capture_default_str();
  cmd->add_option("--group", o.group,
                  "Single layer: group size 32/64/128, 0 = whole row (default 128; mxfp4: 32)");
  cmd->add_option("--dist", o.distribution, "Single layer: gaussian or heavy_tailed")
      ->capture_default_str();
  // Parsed here, not by CLI11: its integer conversion refused 2^64 - 1 for this unsigned option.
  cmd->add_option_function<std::string>(
         "--seed",
         [&o](const std::string& text) {
           uint64_t v = 0;
           const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
           if (text.empty() || ec != std::errc() || p != text.data() + text.size()) {
             throw CLI::ValidationError(
                 "--seed", fmt::format("'{}' is not allowed; allowed: an integer in [0, {}]", text,
                                       UINT64_MAX));
           }
           o.seed = v;
         },
         "Single layer: data seed (0..2^64-1)")
      ->default_str(std::to_string(o.seed));
}

static Workload workload_without_context(const WorkloadOptions& o);

Workload workload_from_options(const WorkloadOptions& o) {
  Workload w = workload_without_context(o);
  if (o.context) set_decoder_context(w, *o.context, "command line");
  if (o.prompt) set_decoder_prompt(w, *o.prompt, "command line");
  if (o.decoder_blocks) set_decoder_blocks(w, *o.decoder_blocks, "command line");
  return w;
}

static Workload workload_without_context(const WorkloadOptions& o) {
  const bool flags = o.m || o.n || o.k;
  if (!o.model.empty()) {
    // A model file: the layers come from it; the flags give M and the formats of float tensors.
    if (!o.workload.empty() || o.n || o.k) {
      throw InputError("--model is exclusive with --workload and --n/--k; give one of them");
    }
    nlohmann::json model = {{"file", o.model}, {"blocks", o.blocks}, {"layers", o.layers}};
    nlohmann::json defaults = {{"m", o.m.value_or(1)},
                               {"weight_format", o.weights},
                               {"activation_format", o.activations},
                               {"distribution", o.distribution},
                               {"seed", o.seed}};
    if (o.group) defaults["group_size"] = *o.group;
    nlohmann::json doc = {{"name", std::filesystem::path(o.model).filename().string()},
                          {"model", model},
                          {"defaults", defaults}};
    return workload_from_json(doc, "command line");
  }
  if (!o.blocks.empty() || !o.layers.empty()) {
    throw InputError("--blocks and --layers select from a model file; allowed only with --model");
  }
  if (flags && !o.workload.empty()) {
    throw InputError(
        "--workload: given with shape flags (--m/--n/--k); allowed: one of --workload or the "
        "shape flags");
  }
  if (!o.workload.empty()) return load_workload(resolve_workload(o.workload));
  if (!flags) {
    return workload_from_json(nlohmann::json::parse(kDefaultWorkloadJson), kDefaultWorkloadName);
  }
  nlohmann::json layer = {{"name", "gemm"},
                          {"m", o.m.value_or(1)},
                          {"n", o.n.value_or(4096)},
                          {"k", o.k.value_or(4096)},
                          {"weight_format", o.weights},
                          {"activation_format", o.activations},
                          {"distribution", o.distribution},
                          {"seed", o.seed}};
  if (o.group) layer["group_size"] = *o.group;
  nlohmann::json doc = {{"name", "command-line"}, {"layers", nlohmann::json::array({layer})}};
  return workload_from_json(doc, "command line");
}

HwConfig config_from_options(const WorkloadOptions& o) {
  try {
    HwConfig hw = o.config.empty() ? hw_config_from_json(nlohmann::json::parse(kDefaultConfigJson),
                                                         kDefaultConfigName)
                                   : load_hw_config(o.config);
    if (!o.sets.empty()) {
      nlohmann::json j = hw.to_json();
      apply_overrides(j, o.sets, hw.source);
      const std::string source = hw.source;
      hw = hw_config_from_json(j, source + " (with --set)");
      hw.source = source;
    }
    return hw;
  } catch (const ConfigError& e) {
    throw InputError(e.what());
  }
}

}  // namespace lowbit
