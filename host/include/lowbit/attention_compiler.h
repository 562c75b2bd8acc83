// The compiler's attention program (docs/decoder.md, "Attention on the SystemC vector unit"): one
// decode token's attention for one layer and one sequence, the KV cache streamed from DRAM through
// the load DMA into the out buffer in chunks and consumed by the vector unit (vcfg / vec).
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
  int context = 1;  ///< positions attended (L)
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
};

/// Per KV head: load its query heads with the new token's k and v, store those two in the cache
/// format at position context - 1 (vec kvstore, st), stream its K in chunks (scores of every query
/// head of the group per chunk), softmax over the context, stream its V (context accumulated per
/// chunk), store the context. Operands sit in the first 2 MiB of the out buffer (the vec address
/// reach). Throws InputError naming top.buffers.out.kib when the scores of a group and two chunks
/// of one position do not fit, and std::invalid_argument on inconsistent shapes.
AttentionProgram compile_decode_attention(const HwConfig& hw, const AttentionShape& s);

}  // namespace lowbit
