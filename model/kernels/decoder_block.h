// One decoder block of a Llama-style model for a decode step (docs/decoder.md): the FP32 data
// path of the accelerator, with every vector-unit operator checked against its float64 reference
// by the stated rule (vector_ops_reference.h), and the counts of work each operator class did.
//
//   x -> RMSNorm(g1) -> quant -> q, k, v (linear) -> rotary(q, k) -> write k, v to the KV cache
//     -> per head: scores = q K^T / sqrt(d) over the context, softmax, context = P V
//     -> quant -> o (linear) -> h = x + o -> RMSNorm(g2) -> quant -> gate, up (linear)
//     -> silu(gate) * up -> quant -> down (linear) -> out = h + down  (or relu(gate)^2 * up:
//        DecoderShape::ffn_act)
//
// With sub-layer norms (BitNet b1.58; DecoderShape::sub_norms) an RMSNorm of its own gain also
// runs on the attention context before o's quantization and on silu(gate) * up before down's.
//
// The linear layers are the caller's (the accelerator's exact golden arithmetic); the block only
// calls them. Grouped-query attention: query head i reads KV head i / (heads / kv_heads).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "model/kernels/vector_ops.h"
#include "model/quant/kv_quant.h"
#include "model/quant/tensors.h"

namespace lowbit {

/// The shapes of a decoder block and its attention.
struct DecoderShape {
  int hidden = 0;
  int ffn = 0;
  int heads = 0;
  int kv_heads = 0;
  int head_dim = 0;
  double rope_theta = 10000.0;
  float norm_eps = 1e-5f;
  /// BitNet b1.58's sub-layer norms: RMSNorm over the attention context (heads x head_dim)
  /// before o and over silu(gate) x up (ffn) before down, each with its own gain.
  bool sub_norms = false;
  /// The feed-forward gate's activation: SiLU (Llama, BitNet b1.58 3B) or squared ReLU (BitNet
  /// b1.58 2B4T).
  GateAct ffn_act = GateAct::kSilu;
};

/// The seven linear layers in the order the block calls them.
enum class BlockLinear : int { kQ, kK, kV, kO, kGate, kUp, kDown };
inline constexpr int kBlockLinears = 7;

/// Vector-unit operator classes (for the rules, the timing and the breakdown).
enum class VectorOp : int {
  kRmsNorm,
  kRotary,
  kScores,  ///< QK^T (dot products) and the 1/sqrt(d) scale
  kSoftmax,
  kContext,  ///< PV
  kSiluGate,
  kResidual,
  kRequant,  ///< FP32 -> the activation format of the next linear layer
};
inline constexpr int kVectorOps = 8;
const char* vector_op_name(VectorOp op);

/// Work of one block on the vector unit and the KV cache.
struct BlockWork {
  /// Lane operations per op: elements per pass x passes (RMSNorm 2, softmax 3), MACs for
  /// scores and context.
  std::array<uint64_t, kVectorOps> elements{};
  std::array<uint64_t, kVectorOps> invocations{};  ///< dependent passes (each pays the latency)
  uint64_t kv_read_bytes = 0;
  uint64_t kv_write_bytes = 0;
};

/// Worst error / bound of each operator over a block (<= 1 everywhere: within its rule).
struct VectorCheck {
  std::array<double, kVectorOps> worst_ratio{};
  std::array<uint64_t, kVectorOps> checked{};
  bool ok() const;
  void merge(const VectorCheck& o);
};

/// The linear layer of the caller: O[M][N] FP32 for the given quantized input.
using LinearFn = std::function<std::vector<float>(BlockLinear, const Activations&)>;

/// Inputs of a step of one block: a decode step (m sequences, one new token each at position
/// context - 1) or a prefill (prefill = true: the m rows are the prompt's positions 0 .. m - 1 of
/// one sequence, the cache starts empty and row i attends positions 0 .. i; context == m).
struct DecodeStepSpec {
  DecoderShape shape;
  KvCacheSpec kv;
  int context = 1;  ///< decode: positions attended, context - 1 cached tokens and the new one
  int m = 1;        ///< decode: sequences in the batch (each its own cache); prefill: prompt rows
  bool prefill = false;  ///< rows are one sequence's prompt (causal attention among them)
  ActFormat act_format = ActFormat::kInt8;
  uint64_t kv_seed = 0;                               ///< the synthesized cache of this block
  const std::vector<float>* norm1_gain = nullptr;     ///< [hidden]
  const std::vector<float>* norm2_gain = nullptr;     ///< [hidden]
  const std::vector<float>* attn_sub_gain = nullptr;  ///< [heads x head_dim], with sub_norms
  const std::vector<float>* ffn_sub_gain = nullptr;   ///< [ffn], with sub_norms
  bool check = true;  ///< compare every vector op with its float64 reference
};

struct DecodeStepResult {
  std::array<Activations, kBlockLinears> linear_inputs;  ///< what each linear layer read
  std::array<std::vector<float>, kBlockLinears> linear_outputs;
  std::vector<float> attention;  ///< [M][heads * head_dim] context before quantization
                                 ///< (and before the sub-layer norm)
  std::vector<float> out;        ///< [M][hidden] the block's output (next block's input)
  VectorCheck check;
  BlockWork work;
};

/// True when the spec's gains are present and sized for its shape (sub-norm gains with
/// sub_norms only).
bool decoder_gains_fit(const DecodeStepSpec& s);

/// Adds b's work to a.
void add_work(BlockWork& a, const BlockWork& b);

/// Runs one block for x [M][hidden]. Decode: the cached K and V of positions 0 .. context - 2 are
/// synthesized from kv_seed (uniform, unit variance; cheap and seeded), stored in the KV format
/// and read back; the new token's k and v (after rotary) are stored and read back the same way.
/// Prefill: every row's k (rotated at its position) and v are stored and read back, and row i
/// attends rows 0 .. i. Throws std::invalid_argument on inconsistent shapes.
DecodeStepResult decoder_decode_step(const DecodeStepSpec& spec, const std::vector<float>& x,
                                     const LinearFn& linear);

/// The work decoder_decode_step counts for `spec`, by formula (the same numbers, no computing:
/// the context chart evaluates it at every L). Throws std::invalid_argument on bad shapes.
BlockWork decoder_block_work(const DecodeStepSpec& spec);

/// A cached K (odd = false) or V element of the synthesized KV cache: uniform on [-sqrt 3, sqrt 3]
/// (unit variance) from a hash of (seed, sequence b, KV head, position, element).
float synthesized_kv(uint64_t seed, int b, int kv_head, size_t position, size_t element,
                     size_t head_dim, bool value);
/// The head_dim elements of one cached K or V vector: out[e] = synthesized_kv(seed, b, kv_head,
/// position, e, head_dim, value), bit for bit (5.4 x 10^8 of them per Llama-2-7B decode token at
/// context 2,048, issue 20). out.size() must be head_dim.
void synthesized_kv_row(uint64_t seed, int b, int kv_head, size_t position, bool value,
                        std::span<float> out);

/// Quantizes FP32 rows to the activation format (the vector unit's requantization).
Activations requantize(const std::vector<float>& x, int m, int k, ActFormat f);

}  // namespace lowbit
