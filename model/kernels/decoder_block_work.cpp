// The work of one decoder block step by formula (decoder_block.h): what decoder_decode_step
// counts while it computes, without computing (the context chart sweeps L with it).
#include <stdexcept>

#include "model/kernels/decoder_block.h"

namespace lowbit {

BlockWork decoder_block_work(const DecodeStepSpec& s) {
  const DecoderShape& sh = s.shape;
  if (s.m <= 0 || s.context < 1 || sh.heads <= 0 || sh.kv_heads <= 0 || sh.head_dim <= 0 ||
      (s.prefill && s.context != s.m)) {
    throw std::invalid_argument("decoder_block_work: inconsistent shapes");
  }
  const uint64_t M = static_cast<uint64_t>(s.m), H = static_cast<uint64_t>(sh.hidden),
                 F = static_cast<uint64_t>(sh.ffn), d = static_cast<uint64_t>(sh.head_dim),
                 heads = static_cast<uint64_t>(sh.heads), kvh = static_cast<uint64_t>(sh.kv_heads);
  const uint64_t seqs = s.prefill ? 1 : M, rows = s.prefill ? M : 1;
  const uint64_t base = s.prefill ? 0 : static_cast<uint64_t>(s.context) - 1;
  // Positions attended, summed over a sequence's rows: row i attends base + i + 1.
  const uint64_t attended = rows * base + rows * (rows + 1) / 2;
  BlockWork w;
  const auto set = [&w](VectorOp op, uint64_t elements, uint64_t invocations) {
    w.elements[static_cast<int>(op)] = elements;
    w.invocations[static_cast<int>(op)] = invocations;
  };
  // Two passes per row (sum of squares, scale); BitNet's sub-layer norms add the attention
  // context's and the feed-forward product's rows.
  set(VectorOp::kRmsNorm, 4 * M * H + (sh.sub_norms ? 2 * M * (heads * d + F) : 0),
      (sh.sub_norms ? 4 : 2) * M);
  set(VectorOp::kRotary, M * (heads + kvh) * d, M);
  set(VectorOp::kScores, seqs * heads * attended * d, seqs * heads * rows);
  set(VectorOp::kSoftmax, 3 * seqs * heads * attended, seqs * heads * rows);
  set(VectorOp::kContext, seqs * heads * attended * d, seqs * heads * rows);
  set(VectorOp::kSiluGate, M * F, M);
  set(VectorOp::kResidual, 2 * M * H, 2 * M);
  set(VectorOp::kRequant, M * (2 * H + heads * d + F), 4 * M);
  w.kv_read_bytes =
      seqs * kv_read_bytes_per_layer(s.kv, static_cast<int>(base + rows), sh.kv_heads, sh.head_dim);
  w.kv_write_bytes = M * kv_write_bytes_per_layer(s.kv, sh.kv_heads, sh.head_dim);
  return w;
}

}  // namespace lowbit
