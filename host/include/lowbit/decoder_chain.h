// Whole decoder blocks of a decode token (docs/decoder.md): the chain of blocks on the FP32 data
// path, each block's input the previous block's output, giving every linear layer of every block
// its own input and golden output.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <vector>

#include "lowbit/golden_run.h"
#include "lowbit/workload.h"
#include "model/kernels/decoder_block.h"
#include "model/quant/kv_quant.h"

namespace lowbit {

/// The chain's result: per block and linear layer (q, k, v, o, gate, up, down) what the layer
/// reads and what the hardware must produce.
struct DecoderChain {
  std::vector<std::array<Activations, kBlockLinears>> inputs;          ///< [block][layer]
  std::vector<std::array<std::vector<float>, kBlockLinears>> outputs;  ///< [block][layer]
  VectorCheck check;                    ///< every vector op of every block against its float64 rule
  BlockWork work;                       ///< summed over the blocks
  BlockWork block_work;                 ///< one block's (every block does the same work)
  double block0_rel_l2_vs_float64 = 0;  ///< block 0's output against the float64 block reference
  double block0_rule = 0;               ///< the block rule it is checked against
  bool block0_within_rule = false;      ///< within the rule, and no requantized code far apart
  /// Block 0's requantized codes (reference vs FP32 path): one step apart (aligned), further apart
  /// (a failure), compared (decoder_block_reference.h).
  uint64_t block0_codes_one_step = 0;
  uint64_t block0_codes_far = 0;
  uint64_t block0_codes_compared = 0;
  /// The LM head (workload layer 7, when present): the final RMSNorm of the rows that produce a
  /// token (decode: every sequence; prefill: the last prompt row), requantized, and its golden
  /// output [rows][vocab]; head_work counts the final RMSNorm and requantization (once per step).
  bool has_lm_head = false;
  std::vector<float> lm_head_norm_input;  ///< [rows][hidden] FP32: what the final RMSNorm reads
  Activations lm_head_input;
  std::vector<float> lm_head_output;
  BlockWork head_work;
  /// Block 0's FP32 rows (decode: one per sequence): its input x, the attention context before
  /// requantization and its output; with `outputs[0]` and `inputs[0]` they are what the block's
  /// vector program reads and must produce (decoder_block_vector.h).
  std::vector<float> block0_input, block0_attention, block0_output;
  double seconds = 0;  ///< wall time of the chain (informational)
};

/// The hardware's arithmetic of one linear layer: O = gemm(A, W).
using GemmFn = std::function<std::vector<float>(const Activations&, const QuantizedWeights&)>;

/// The once-per-step vector work before the LM head (final RMSNorm and requantization of the
/// rows that produce a token); empty without an LM head.
BlockWork decoder_head_work(const Workload& w);

/// The step of a decoder workload's blocks (shapes, KV format, rows, phase, context): the one
/// mapping from the workload to decoder_decode_step's spec, shared by the chain and the context
/// sweep. A prefill's context is its prompt (the rows). Throws InputError when the KV group does
/// not divide head_dim.
DecodeStepSpec decoder_step_spec(const Workload& w, const KvCacheSpec& kv, int context);

/// RMSNorm gain `which` (1: before attention, 2: before the feed-forward, 3: the final one before
/// the LM head; with sub-layer norms 4: the attention context's [heads x head_dim] and 5: the
/// feed-forward product's [ffn]; the others [hidden]) of the workload: 1 + N(0, 0.1^2) per element
/// from q_proj's seed (shared by the blocks). One definition for the chain and the CPU reference.
std::vector<float> decoder_norm_gain(const Workload& w, int which);

/// A block's RMSNorm gains (decoder_norm_gain 1 and 2, and 4 and 5 when the workload has
/// sub-layer norms); set() points a step spec at them (they must outlive its use).
struct DecoderGains {
  std::vector<float> norm1, norm2, attn_sub, ffn_sub;
  void set(DecodeStepSpec& s) const;
};
DecoderGains decoder_gains(const Workload& w);
/// The seed of block b's synthesized KV cache (q_proj's seed ^ splitmix(b + 1)).
uint64_t decoder_kv_seed(const Workload& w, int block);

/// Runs the workload's blocks (its layers' repeat) for one decode token at its context, or for a
/// prefill of its m prompt tokens (decoder.prefill), with the KV storage `kv`. Weights are each
/// layer's data (shared by every block, as in linear-only runs); block 0's input is layer q_proj's
/// synthesized activations before quantization; the RMSNorm gains are synthesized from q_proj's
/// seed (1 + N(0, 0.1^2)); block b's KV cache from seed ^ splitmix(b). Throws InputError when the
/// KV group does not divide head_dim.
DecoderChain run_decoder_chain(const Workload& w, const KvCacheSpec& kv,
                               const std::vector<std::unique_ptr<LayerData>>& data,
                               const GemmFn& gemm);

}  // namespace lowbit
