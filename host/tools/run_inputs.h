// Inputs shared by `lowbit run` and `lowbit compile`: the workload, the hardware config, overrides.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "lowbit/workload.h"
#include "model/arch/hw_config.h"

namespace lowbit {

struct WorkloadOptions {
  std::string workload;  ///< file or preset name; empty = flags or the built-in default
  std::optional<int> m, n, k;
  std::string weights = "uint2", activations = "int8", distribution = "heavy_tailed";
  /// --group; unset: the layer default (128; mxfp4: 32, the OCP MX block, host/lib/workload.cpp).
  std::optional<int> group;
  uint64_t seed = 1;
  std::string model;                  ///< GGUF / safetensors file (docs/models.md); empty = none
  std::string blocks;                 ///< with model: blocks to run ("" = all)
  std::vector<std::string> layers;    ///< with model: linear layers to run (empty = all)
  std::string config;                 ///< file; empty = the built-in default (lutcore_m2n64k4)
  std::vector<std::string> sets;      ///< --set key.path=value
  std::optional<int> context;         ///< --context: decoder workloads' context length
  std::optional<int> prompt;          ///< --prompt: a prefill's prompt tokens
  std::optional<int> decoder_blocks;  ///< --decoder-blocks: run the first N blocks
};

/// Registers the options every workload-on-config command shares (--workload, --config, --set and
/// the single-layer flags) on `cmd`; `o` must outlive the command.
void add_workload_options(CLI::App* cmd, WorkloadOptions& o);

Workload workload_from_options(const WorkloadOptions& o);
/// The config with overrides applied; a bad config or override is an InputError.
HwConfig config_from_options(const WorkloadOptions& o);

}  // namespace lowbit
