// A model file (GGUF, or safetensors with its config.json): decoder shape and linear weights.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/quant/tensors.h"
#include "model/quant/weight_format.h"

namespace lowbit {

/// The seven linear layers of a decoder block, in lowbit's order and names (as in the presets).
enum class LinearRole { kQ, kK, kV, kO, kGate, kUp, kDown };
inline constexpr LinearRole kLinearRoles[] = {LinearRole::kQ,   LinearRole::kK,    LinearRole::kV,
                                              LinearRole::kO,   LinearRole::kGate, LinearRole::kUp,
                                              LinearRole::kDown};
/// "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj".
const char* linear_role_name(LinearRole r);

/// The decoder's shape, from GGUF metadata or config.json.
struct ModelShape {
  std::string architecture;  ///< general.architecture / model_type, e.g. "llama"
  int blocks = 0, hidden = 0, ffn = 0, heads = 0, kv_heads = 0, head_dim = 0;
};

/// One linear weight W[n][k] of the file and how lowbit takes it.
struct ModelTensor {
  std::string name;    ///< the file's own tensor name
  std::string type;    ///< "Q4_0", "F16", ... (safetensors: the dtype)
  int n = 0, k = 0;    ///< out_features, in_features
  bool exact = false;  ///< true: codes and scales taken as stored; false: floats, quantized
  std::string format;  ///< exact: the lowbit weight format it maps to ("uint4", ...)
  int group_size = 0;  ///< exact: its group size
};

/// Weights of one tensor as every backend consumes them, and the real-valued weights they
/// approximate (exact types: the dequantized file weights; floats: the file's floats).
struct ModelWeights {
  QuantizedWeights q;
  std::vector<float> w_float;
};

/// An open model file (memory-mapped). Every error is an InputError, one line naming the file.
class ModelFile {
 public:
  /// Opens `path`: GGUF when it starts with the GGUF magic, else safetensors, whose shape comes
  /// from the config.json in the same folder.
  explicit ModelFile(const std::filesystem::path& path);
  ~ModelFile();
  ModelFile(ModelFile&&) noexcept;
  ModelFile& operator=(ModelFile&&) noexcept;

  const std::string& origin() const;
  const char* kind() const;  ///< "GGUF" or "safetensors"
  const ModelShape& shape() const;

  /// The tensor of linear layer `role` in block `block` (llama.cpp names blk.N.attn_q.weight, ...;
  /// Hugging Face names model.layers.N.self_attn.q_proj.weight, ...). Throws when it is missing,
  /// its shape disagrees with the metadata, or its type is not one lowbit reads.
  ModelTensor linear(int block, LinearRole role) const;

  /// Loads a tensor listed by linear(): exact types decoded as stored; float tensors quantized
  /// by quantize_weights to `float_format` with `group_size` (0 = whole row). Throws on bad data.
  ModelWeights load(const ModelTensor& t, WeightFormat float_format, int group_size) const;

  /// Reads a tensor's data and checks it as load() does (finite scales and floats, valid codes)
  /// without the quantization or dequantization load() adds: the up-front check of a workload.
  void check(const ModelTensor& t) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace lowbit
