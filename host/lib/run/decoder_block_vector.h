// A decoder block's vector operators other than attention measured on the SystemC top
// (docs/decoder.md, "The block's other vector operators on the SystemC unit"):
// compile_block_vector_ops for the workload's shapes, run with block 0's row 0 (decode: the first
// sequence's token; prefill: the first prompt row, rotary at position 0; its input, its linear
// layers' outputs and its attention context from the chain), every stored result checked bit for
// bit against the chain. The operators work row by row, so the run's timing counts it once per
// row of the block.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "lowbit/accelerator.h"
#include "lowbit/decoder_chain.h"
#include "lowbit/workload.h"
#include "model/arch/hw_config.h"
#include "model/kernels/decoder_block.h"

namespace lowbit {

struct BlockVectorMeasure {
  uint64_t cycles = 0;  ///< one sequence, one block: the program's SystemC cycles
  /// The unit's cycles per operator class (VectorOp order; attention's three are 0).
  std::array<uint64_t, kVectorOps> op_cycles{};
  uint64_t dram_bytes_read = 0, dram_bytes_written = 0;
  int ffn_chunk = 0, ffn_chunks = 0;
  /// Every store (the four requantized rows, rotated q and k, h, the block output) equals the
  /// chain's (the same FP32 kernels and quantizers) bit for bit.
  bool verified = false;
  std::string first_mismatch;
  /// Non-empty: the program was not run (why); the run keeps the operator-level model.
  std::string skipped;
  nlohmann::ordered_json to_json() const;
};

/// Runs block 0's other vector operators for row 0 on `acc` (a decoder workload on a timed
/// backend; nullopt otherwise). The stats of `acc` are then this program's: call after the previous
/// program's stats were taken.
std::optional<BlockVectorMeasure> measure_block_vector(Accelerator& acc, const Workload& w,
                                                       const HwConfig& hw,
                                                       const DecoderChain& chain);

/// The LM head's final RMSNorm and requantization (compile_final_norm) for the first row that
/// produces a token, on `acc`: its stored codes (and INT8 scale) checked against the chain's
/// lm_head input bit for bit; nullopt without an LM head or on an untimed backend. The run counts
/// it once per such row (decode: every sequence; prefill: the last prompt row).
std::optional<BlockVectorMeasure> measure_final_norm(Accelerator& acc, const Workload& w,
                                                     const HwConfig& hw, const DecoderChain& chain);

}  // namespace lowbit
