// The attention phase of a decode step measured on the SystemC top (docs/decoder.md, "Attention
// on the SystemC vector unit"): compile_decode_attention for the workload's shapes, run on the
// run's accelerator after the linear layers' program, its context checked bit for bit.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "lowbit/accelerator.h"
#include "lowbit/workload.h"
#include "model/arch/hw_config.h"

namespace lowbit {

struct AttentionMeasure {
  uint64_t cycles = 0;  ///< one sequence (a prefill: the whole prompt), one layer: SystemC cycles
  uint64_t kv_read_bytes = 0;    ///< K and V bytes the load DMA moved (q excluded)
  uint64_t kv_write_bytes = 0;   ///< the new K and V rows' bytes the store DMA wrote
  uint64_t dram_bytes_read = 0;  ///< the DRAM model's whole bursts (q included)
  uint64_t scores_cycles = 0, softmax_cycles = 0, context_cycles = 0;  ///< vector unit
  int chunk_positions = 0;
  int chunks_per_head = 0;
  int query_rows = 0;     ///< a prefill: query rows per pass over K and V (0: a decode step)
  bool verified = false;  ///< the context equals the FP32 kernels on the cached values
  /// Non-empty: the program was not run (why: the out buffer cannot hold a group's attention at
  /// this context); the run keeps the operator-level attention phase.
  std::string skipped;
  nlohmann::ordered_json to_json() const;
};

/// Runs block 0's attention (its synthesized KV cache at the run's format, synthesized queries) on
/// `acc` for a decode workload; nullopt for a prefill or an untimed backend. The stats of `acc`
/// are then the attention program's: call after the linear program's stats were taken. When the
/// program does not fit the config, the result says so in `skipped` (the run goes on).
std::optional<AttentionMeasure> measure_decode_attention(Accelerator& acc, const Workload& w,
                                                         const HwConfig& hw);

/// A prefill workload's causal attention over its prompt (compile_prefill_attention) on `acc`:
/// block 0's synthesized K and V rows for positions 0 .. P - 1 (stored by the program), synthesized
/// queries, every query row's context checked bit for bit against the FP32 kernels over positions
/// 0 .. i; nullopt for a decode or an untimed backend. Stats and `skipped` as above.
std::optional<AttentionMeasure> measure_prefill_attention(Accelerator& acc, const Workload& w,
                                                          const HwConfig& hw);

}  // namespace lowbit
