// The compiler's program for a decoder block's vector operators other than attention
// (docs/decoder.md, "The block's other vector operators on the SystemC unit"): RMSNorm before
// attention and before the feed-forward, the rotary embedding of q and k, the requantization of
// every linear layer's input, both residual adds and SiLU x gate, for one sequence (one row) of
// a decode step. The linear layers' outputs come from DRAM (where the linear program stores them)
// and the requantized codes go back to DRAM (where the linear program loads its activations).
#pragma once

#include <cstdint>

#include "model/arch/hw_config.h"
#include "model/arch/program.h"
#include "model/kernels/vector_ops.h"
#include "model/quant/tensors.h"

namespace lowbit {

struct BlockVectorShape {
  int hidden = 0;
  int ffn = 0;
  int heads = 0;
  int kv_heads = 0;
  int head_dim = 0;
  ActFormat act_format = ActFormat::kInt8;
  float norm_eps = 1e-5f;
  bool sub_norms = false;            ///< BitNet b1.58's sub-layer RMSNorms (decoder_block.h)
  GateAct ffn_act = GateAct::kSilu;  ///< the gate's activation (vcfg `gact`)
};

/// A requantized activation row in DRAM: `codes` bytes of codes (int8, or FP16 little-endian),
/// then (int8) the row's FP32 scale at `scale`.
struct RequantRegion {
  uint64_t codes = 0;
  uint64_t scale = 0;  ///< 0 for FP16 (no scale)
  uint64_t bytes = 0;  ///< what the program's store writes (codes, padding, scale)
};

/// The program and its DRAM image (allocated, zero; the caller fills the inputs).
struct BlockVectorProgram {
  Program program;
  // Inputs, FP32 unless said: x and the first RMSNorm gain (contiguous, one load).
  uint64_t x_dram = 0, gain1_dram = 0;
  // q and k as the linear layers gave them, then the rotary table of the row's position (cos
  // [hd/2], sin [hd/2]): one load.
  uint64_t q_dram = 0, k_dram = 0, rotary_dram = 0;
  uint64_t attention_dram = 0;          ///< the attention context [heads x hd]
  uint64_t o_dram = 0;                  ///< o's output [hidden]
  uint64_t gain2_dram = 0;              ///< the second RMSNorm gain
  uint64_t gate_dram = 0, up_dram = 0;  ///< [ffn] each
  uint64_t down_dram = 0;               ///< down's output [hidden], right after h (one load)
  /// With sub-layer norms: the attention context's gain [heads x hd] and the feed-forward
  /// product's [ffn] (0 without).
  uint64_t attn_sub_gain_dram = 0, ffn_sub_gain_dram = 0;
  // Outputs.
  RequantRegion a_qkv, a_o, a_ffn, a_down;  ///< inputs of q/k/v, o, gate/up, down
  uint64_t qk_rot_dram = 0;                 ///< rotated q then rotated k (one store)
  uint64_t h_dram = 0;                      ///< h = x + o [hidden]
  uint64_t out_dram = 0;                    ///< the block's output h + down [hidden]
  int ffn_chunk = 0;  ///< up elements per DMA chunk (two chunks double-buffered)
  int ffn_chunks = 0;
  uint64_t input_bytes = 0;   ///< bytes the program's loads read
  uint64_t output_bytes = 0;  ///< bytes the program's stores write
};

/// One sequence's vector operators of a decode block, in the block's order (each operator one
/// `vec` with one pass, SiLU x gate one per chunk of up): rmsnorm(x, g1), requant -> a_qkv;
/// rotary(q | k); requant(attention) -> a_o; h = x + o; rmsnorm(h, g2), requant -> a_ffn;
/// silu(gate) x up (up streamed in chunks, gate held whole for the row's requantization),
/// requant -> a_down; out = h + down. With sub-layer norms an RMSNorm (in place, its gain loaded
/// beside the row) runs on the attention context before its requantization and on silu(gate) x
/// up before its requantization. Semaphores order every buffer region between the load,
/// vector and store queues (a load waits for the last vec and store that touch its region, a vec
/// for the loads that fill and the stores that read what it overwrites, a store for the vec that
/// wrote its region). Throws InputError naming top.buffers.out.kib (or act.kib) when the rows do
/// not fit, std::invalid_argument on inconsistent shapes.
BlockVectorProgram compile_block_vector_ops(const HwConfig& hw, const BlockVectorShape& s);

/// The once-per-step vector work before the LM head for one row that produces a token: the
/// final RMSNorm (its own gain) and the requantization of its output for lm_head.
struct FinalNormProgram {
  Program program;
  uint64_t x_dram = 0, gain_dram = 0;  ///< the row [hidden] and the gain [hidden] (one load)
  RequantRegion a_head;                ///< lm_head's input row, as the program stores it
};

/// ld x and the gain, `vec rmsnorm`, `vec requant` into the act buffer, `st` the codes (and the
/// INT8 row scale); semaphores as compile_block_vector_ops orders them. Throws InputError naming
/// top.buffers.out.kib or act.kib when the row does not fit.
FinalNormProgram compile_final_norm(const HwConfig& hw, int hidden, ActFormat act_format,
                                    float norm_eps);

}  // namespace lowbit
