// A workload built from a model file: its decoder blocks' linear layers with the file's weights.
#pragma once

#include <string>
#include <vector>

#include "lowbit/workload.h"

namespace lowbit {

/// Which part of a model file to run.
struct ModelSelection {
  std::string file;                 ///< GGUF or safetensors (config.json beside it)
  std::string blocks;               ///< "" = every block; else "0", "0-3", "0,2,5-7"
  std::vector<std::string> layers;  ///< empty = all seven; else names from linear_role_name()
};

/// One layer per selected (block, linear layer), in block order then q, k, v, o, gate, up, down;
/// named "blk<N>.<layer>", shaped and typed by the file: exactly mapped tensors keep their own
/// codes and scales (weight_format and group_size from the file), float tensors take
/// defaults.weight_format / group_size. m, activation_format, distribution and seed come from
/// `defaults` (activations are synthesized: a file holds none); layer i gets seed defaults.seed +
/// i. Every selected tensor's data is read and checked here, so bad data fails before any output.
/// Errors are InputError: the file's own problems name the file; a bad selection names `origin`
/// and the key (`blocks` / `layers`) with what is allowed.
Workload workload_from_model(const ModelSelection& selection, const LayerSpec& defaults,
                             const std::string& origin);

}  // namespace lowbit
