// The compiler's attention programs (docs/decoder.md, "Attention on the SystemC vector unit"): one
// decode token's attention, or a prefill's causal attention over its prompt, for one layer and one
// sequence, the KV cache streamed from DRAM through the load DMA into the out buffer in chunks and
// consumed by the vector unit (vcfg / vec).
#pragma once

#include <cstdint>
#include <vector>

#include "model/arch/hw_config.h"
#include "model/arch/program.h"
#include "model/quant/kv_quant.h"

namespace lowbit {

struct AttentionShape {
  int heads = 0;
  int kv_heads = 0;
  int head_dim = 0;
  int context = 1;  ///< positions attended (L); a prefill: the prompt's P tokens
  KvCacheSpec kv;
};

/// The program and where its operands live in its DRAM image (the caller fills q and the cache;
/// the image is allocated, zero).
struct AttentionProgram {
  Program program;
  /// Per KV head g: its qpk rotated query heads, then the new token's rotated k and its v, FP32:
  /// [kv_heads][qpk + 2][head_dim]. The program stores the new k and v in the cache's format at
  /// position context - 1 (the KV write) before attention reads them.
  uint64_t q_dram = 0;
  /// [kv_heads][context] stored K head vectors (KvCacheSpec layout); the caller fills positions
  /// 0 .. context - 2.
  uint64_t k_dram = 0;
  uint64_t v_dram = 0;          ///< the same for V
  uint64_t ctx_dram = 0;        ///< [heads][head_dim] FP32 context, written by the program
  int chunk_positions = 0;      ///< KV positions per DMA chunk (two chunks double-buffered)
  int chunks_per_head = 0;      ///< chunks of one KV head's K (and of its V)
  uint64_t kv_read_bytes = 0;   ///< K and V bytes the program's loads read
  uint64_t kv_write_bytes = 0;  ///< K and V bytes the program's stores write (the new token)
  // A prefill's program (compile_prefill_attention) only:
  /// [kv_heads][2][P][head_dim] FP32: each KV head's k rows of the prompt, then its v rows (the
  /// program stores them in the cache format at positions 0 .. P - 1). q_dram is then
  /// [kv_heads][P][qpk][head_dim] and ctx_dram the same layout.
  uint64_t kv_src_dram = 0;
  int query_rows = 0;     ///< query rows per pass over a KV head's K and V
  int kv_write_rows = 0;  ///< prompt rows per kvstore of the KV write
};

/// Per KV head: load its query heads with the new token's k and v, store those two in the cache
/// format at position context - 1 (vec kvstore, st), stream its K in chunks (scores of every query
/// head of the group per chunk), softmax over the context, stream its V (context accumulated per
/// chunk), store the context. Operands sit in the first 2 MiB of the out buffer (the vec address
/// reach). Throws InputError naming top.buffers.out.kib when the scores of a group and two chunks
/// of one position do not fit, and std::invalid_argument on inconsistent shapes.
AttentionProgram compile_decode_attention(const HwConfig& hw, const AttentionShape& s);

/// A prefill's causal attention over a prompt of P = s.context tokens (query row i attends
/// positions 0 .. i). First the KV write of every KV head: its P FP32 k and v rows loaded in
/// batches, converted to the cache format (vec kvstore) and stored at their positions. Then per KV
/// head, passes of `query_rows` query rows (as many as fit half the out buffer: queries, scores of
/// the longest rows, contexts): K streamed over positions 0 .. r1 - 1 in chunks (row i's scores
/// from the chunks at or before i), a softmax per row over its i + 1 scores, V streamed the same
/// way (the context accumulated per chunk), the contexts stored. Each pass reads K and V up to its
/// last row, so the KV bytes read grow as the out buffer shrinks (a P-row pass reads each once).
/// Throws InputError naming top.buffers.out.kib when one row's scores and two chunks of one
/// position do not fit, and std::invalid_argument on inconsistent shapes.
AttentionProgram compile_prefill_attention(const HwConfig& hw, const AttentionShape& s);

}  // namespace lowbit
