// The "decoder" block of a run's record (docs/decoder.md): mapping, checks, per-token time,
// energy and the operator-class breakdown of a run of whole decoder blocks.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "decoder_attention.h"
#include "decoder_block_vector.h"
#include "lowbit/decoder_chain.h"
#include "model/arch/hw_config.h"
#include "model/cost/vector_cost.h"

namespace lowbit {

/// `linear_cycles`: the program's simulated cycles (nullopt: untimed backend); `linear_energy_pj`:
/// the cost model's energy of that run (nullopt: not evaluated or not characterized);
/// `attention`: the decode attention measured on the SystemC top (replaces the operator-level
/// attention phase; the operator-level figure is kept beside it with its error); `other`: the
/// block's other vector operators measured the same way (replace their operator-level cycles);
/// `final_norm`: the LM head's final RMSNorm and requantization of one row, likewise;
/// `vector_cost`: the vector unit's prices at the run's node (nullptr: not characterized).
nlohmann::ordered_json decoder_record(const Workload& w, const HwConfig& hw,
                                      const DecoderChain& chain,
                                      std::optional<double> linear_cycles,
                                      std::optional<double> linear_energy_pj,
                                      const VectorUnitCost* vector_cost,
                                      const std::optional<AttentionMeasure>& attention = {},
                                      const std::optional<BlockVectorMeasure>& other = {},
                                      const std::optional<BlockVectorMeasure>& final_norm = {});

/// The compiler's mapping of the attention matmuls and why (printed and recorded).
const char* decoder_attention_mapping();

}  // namespace lowbit
