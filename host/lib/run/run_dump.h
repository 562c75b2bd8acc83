// `--dump`: a run's operands and outputs as .npy per layer, with a manifest.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "lowbit/decoder_chain.h"
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

/// A run of whole decoder blocks (docs/decoder.md, "--dump"): each linear layer's weights once
/// (the blocks share one image), then per block b and layer `blk<b>_<layer>_A*.npy` (what the
/// layer read: the previous operators' requantized output) and `blk<b>_<layer>_O.npy` (what the
/// hardware must produce, the array its stores were compared with), the LM head's A and O, block
/// 0's FP32 input, attention context and output, and manifest.json with the config, the decoder
/// shape and KV format, the rounding rule of every layer and the vector operators' rules.
void dump_decoder_run(const std::filesystem::path& dir, const Workload& w, const HwConfig& hw,
                      const std::string& backend,
                      const std::vector<std::unique_ptr<LayerData>>& data,
                      const DecoderChain& chain);

}  // namespace lowbit
