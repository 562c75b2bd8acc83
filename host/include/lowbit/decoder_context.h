// Per-step figures of whole decoder blocks from their work (docs/decoder.md): the one place the
// step's cycles and energy are summed (the run's "decoder" record and the context chart), and the
// chart of decode tokens/s and J/token against context length.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lowbit/workload.h"
#include "model/arch/hw_config.h"
#include "model/cost/vector_cost.h"
#include "model/kernels/decoder_block.h"

namespace lowbit {

/// One step (a decode token, or a prefill up to its first token) of the workload's blocks.
struct DecoderStepFigures {
  double cycles = 0;              ///< linear + blocks x vector side of a block + once per step
  double vector_once_cycles = 0;  ///< final RMSNorm before the LM head + embedding gather
  double embedding_cycles = 0;
  double embedding_bytes = 0;
  double seconds = 0;
  double tokens_per_second = 0;  ///< tokens the step produces per second
  double kv_dram_pj = 0;
  double embedding_dram_pj = 0;
  /// The vector unit over the step (null: not characterized at the node, then left out of
  /// joules_per_token): its lane operations and buffer bytes (blocks x a block's work + the
  /// head's), and the lanes' leakage over the step's seconds.
  std::optional<VectorEnergy> vector_block;  ///< one block's
  std::optional<double> vector_dynamic_pj;
  std::optional<double> vector_leakage_pj;
  std::optional<double> joules_per_token;  ///< null when the linear layers' energy is unknown
  /// The whole model when the run had fewer blocks (decoder.model_blocks; else = the run's): the
  /// linear cycles and energy split between the blocks and the LM head by MACs (same weight
  /// format), the blocks' part and their vector / KV side x model_blocks / blocks, the LM head,
  /// final RMSNorm and embedding once.
  double model_cycles = 0;
  double model_tokens_per_second = 0;
  std::optional<double> model_joules_per_token;
};

/// `linear_cycles` / `linear_pj`: the program's SystemC cycles and cost-model energy.
/// `vector_cost`: the vector unit's prices at the node (nullptr: not characterized).
/// `attention_phase_cycles`: a block's attention phase (scores, softmax, context and the KV read)
/// measured on the SystemC top (decoder_attention.h); nullopt = the operator-level model's.
/// `other_vector_cycles`: a block's other vector operators (RMSNorm, rotary, SiLU x gate,
/// residuals, requantization) measured on the SystemC top (decoder_block_vector.h); nullopt = the
/// operator-level model's. `head_vector_cycles`: the step's final RMSNorm and requantization
/// before the LM head measured the same way (all its rows); nullopt = the operator-level model's.
DecoderStepFigures decoder_step_figures(const Workload& w, const HwConfig& hw,
                                        const BlockWork& block_work, const BlockWork& head_work,
                                        double linear_cycles, std::optional<double> linear_pj,
                                        const VectorUnitCost* vector_cost,
                                        std::optional<double> attention_phase_cycles = std::nullopt,
                                        std::optional<double> other_vector_cycles = std::nullopt,
                                        std::optional<double> head_vector_cycles = std::nullopt);

/// The spec of one block step of the workload at context L (decode) or its prompt (prefill).
DecodeStepSpec decoder_step_spec(const Workload& w, const HwConfig& hw, int context);

struct ContextPoint {
  int context = 0;
  DecoderStepFigures figures;
};

/// Decode at each context: the linear layers' cycles and energy are the run's (they do not depend
/// on the context; the chart plots the whole-model figures); the vector unit and KV traffic by the
/// operator-level model with the work of decoder_block_work at L. InputError for a prefill workload
/// or a context outside [1, 131072].
std::vector<ContextPoint> decoder_context_sweep(const Workload& w, const HwConfig& hw,
                                                double linear_cycles,
                                                std::optional<double> linear_pj,
                                                const VectorUnitCost* vector_cost,
                                                const std::vector<int>& contexts);

/// Writes <prefix>.csv (context, cycles, seconds_per_token, tokens_per_second, joules_per_token)
/// and <prefix>.svg (tokens/s and J/token against context, log2 axis). Returns the two paths.
std::vector<std::string> write_context_chart(const std::string& prefix, const std::string& title,
                                             const std::vector<ContextPoint>& points);

}  // namespace lowbit
