// Workloads: named lists of quantized linear layers (GEMM/GEMV shapes, formats, group size, seed).
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/kernels/vector_ops.h"

namespace lowbit {

/// One linear layer O[M,N] = A[M,K] x W[N,K]^T. A workload never mentions hardware (Timeloop).
struct LayerSpec {
  std::string name;
  int m = 1;                      ///< rows of A: batch (decode) or sequence length (prefill)
  int n = 0;                      ///< out_features
  int k = 0;                      ///< in_features
  std::string weight_format;      ///< all_weight_format_names(): "binary" .. "uint8", "bitmod_w3/4"
  int group_size = 128;           ///< 32, 64, 128 or 0 for one group per row (whole K)
  std::string activation_format;  ///< "int8" or "fp16"
  std::string distribution;       ///< "gaussian" or "heavy_tailed" (weights and activations)
  uint64_t seed = 1;
  int repeat = 1;            ///< how many times the layer occurs in the model (e.g. blocks)
  std::string model_file;    ///< weights from this model file (docs/models.md); empty = synthesized
  std::string model_tensor;  ///< the tensor's name in model_file
  std::string model_type;    ///< its type in the file ("Q4_0", "F16", ...), for reports
};

/// Whole decoder blocks (docs/decoder.md): the workload's seven layers (q, k, v, o, gate, up,
/// down, in that order, one repeat = the blocks) become Llama-style decoder blocks with attention
/// over a KV cache, RMSNorm, rotary embedding, SiLU x gate and residuals, one decode token each.
struct DecoderSpec {
  int heads = 0;              ///< query heads
  int kv_heads = 0;           ///< KV heads (grouped-query attention when < heads)
  int head_dim = 0;           ///< q_proj n = heads x head_dim, k_proj n = kv_heads x head_dim
  int context = 2048;         ///< positions the decode token attends (`--context`)
  double rope_theta = 10000;  ///< rotary base
  double norm_eps = 1e-5;     ///< RMSNorm epsilon
  /// `"phase": "prefill"`: the m rows are one prompt's tokens (time to first token), causal
  /// attention among them from an empty cache; context = m. Else a decode step at `context`.
  bool prefill = false;
  /// Vocabulary of the LM head (an eighth layer `lm_head`, hidden x vocab, after the final
  /// RMSNorm; the embedding gather reads hidden FP16 values per token); 0: no LM head.
  int vocab = 0;
  /// The model's blocks when `--decoder-blocks` ran fewer (0: the layers' repeat, all of them).
  int model_blocks = 0;
  /// `"sub_norms": true`: BitNet b1.58's sub-layer RMSNorms (the attention context before o, the
  /// feed-forward product before down), each with its own gain.
  bool sub_norms = false;
  /// `"ffn_activation"`: the feed-forward gate's activation, "silu" (default) or "relu2" (squared
  /// ReLU, BitNet b1.58 2B4T).
  GateAct ffn_act = GateAct::kSilu;
};

/// The parts of a model a linear-only run (cpu, analytic backends) leaves out.
const std::vector<std::string>& linear_only_not_modelled();

/// A workload file: name, description, what is not modelled, layers.
struct Workload {
  std::string name;
  std::string origin;  ///< the file (or "command line") it came from, for messages
  std::string description;
  std::vector<std::string> not_modelled;  ///< e.g. attention score matmuls, softmax, norms
  std::vector<LayerSpec> layers;
  std::optional<DecoderSpec> decoder;  ///< whole decoder blocks (decode), else linear layers only
};

/// Sets the decoder's context (`lowbit run --context`): InputError naming `origin` when the
/// workload has no decoder section or L is outside [1, 131072].
void set_decoder_context(Workload& w, int context, const std::string& origin);

/// Sets a prefill's prompt length P (`lowbit run --prompt`): every layer's m and the context.
/// InputError naming `origin` when the workload is not a prefill or P is outside [1, 131072].
void set_decoder_prompt(Workload& w, int prompt, const std::string& origin);

/// Runs only the first N blocks of a decoder workload (`lowbit run --decoder-blocks`): the
/// layers' repeat becomes N, model_blocks keeps the model's count (per-token figures are then
/// also given for the whole model). InputError outside [1, model's blocks].
void set_decoder_blocks(Workload& w, int blocks, const std::string& origin);

/// Parses a workload JSON document; `origin` names the file in error messages. Unknown keys,
/// wrong types and out-of-range values throw InputError with one line naming origin and key.
/// A document with `model` (instead of `layers`) takes its layers from that model file
/// (workload_from_model); a relative model path is taken from `base_dir`.
Workload workload_from_json(const nlohmann::json& doc, const std::string& origin,
                            const std::filesystem::path& base_dir = {});
/// Reads and parses a workload file (malformed JSON is an InputError too).
Workload load_workload(const std::filesystem::path& path);

/// The folder holding the named presets: $LOWBIT_WORKLOADS_DIR when set, else the source tree's
/// workloads/ (compiled in).
std::filesystem::path workload_presets_dir();
/// Names of the presets (file stems of workload_presets_dir()/*.json), sorted; empty when the
/// folder does not exist.
std::vector<std::string> workload_presets();
/// A workload named by path or by preset: returns `name_or_path` when that file exists; else, when
/// it has no directory part, workload_presets_dir()/<name>.json (".json" optional) when that
/// exists; else throws InputError naming the input and listing the presets.
std::filesystem::path resolve_workload(const std::string& name_or_path);

/// Multiply-accumulate operations of a layer counted as 2*M*N*K (one multiply + one add).
inline double layer_ops(const LayerSpec& l) { return 2.0 * l.m * l.n * static_cast<double>(l.k); }

/// Bytes a run of the workload holds at once, estimated from the shapes: weight codes and their
/// packed DRAM image and the float image they were quantized from (8 B per weight, generous),
/// activations (8 B per element) and the unquantized (double), golden, expected and simulated
/// outputs (32 B per output element).
double workload_memory_bytes(const Workload& w);
/// Physical memory of this machine in bytes (sysconf); the limit of workload_memory_bytes().
double machine_memory_bytes();
/// Throws InputError naming the largest layer's shape keys when the workload's estimated memory
/// exceeds what the machine has (checked before any data is made).
void check_workload_memory(const Workload& w);

/// Allowed values, for messages and for `lowbit run` flags.
const std::vector<std::string>& allowed_weight_formats();
const std::vector<std::string>& allowed_activation_formats();

}  // namespace lowbit
