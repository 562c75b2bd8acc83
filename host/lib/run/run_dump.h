// `--dump`: a run's operands and outputs as .npy per layer, with a manifest.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "lowbit/golden_run.h"
#include "lowbit/workload.h"
#include "model/arch/hw_config.h"

namespace lowbit {

/// Writes every layer's A, weight codes, scales, zero points and O (`outs[i]`, what the hardware
/// produces; the integer-exact golden when `integer_exact`) and manifest.json into `dir`, each
/// file atomically. Called only after a run completed, so a rejected run leaves nothing there.
void dump_run(const std::filesystem::path& dir, const Workload& w, const HwConfig& hw,
              const std::string& backend, const std::vector<std::unique_ptr<LayerData>>& data,
              const std::vector<std::vector<float>>& outs, bool integer_exact);

}  // namespace lowbit
