// Parameters of the vector / special-function unit and of the KV cache it reads ("vector" subtree
// of a config; docs/decoder.md). The defaults are a design point chosen for the kit, not figures
// from a paper.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/arch/param_info.h"
#include "model/quant/kv_quant.h"

namespace lowbit {

struct VectorParams {
  int lanes = 64;               ///< FP32 lanes (elements or MACs per cycle)
  int latency_rmsnorm = 24;     ///< pipeline cycles of one RMSNorm (reduction, sqrt, divide)
  int latency_rotary = 6;       ///< of one rotary pass (two products and a sum)
  int latency_scores = 12;      ///< of one head's QK^T (dot-product reduction tree)
  int latency_softmax = 40;     ///< of one head's softmax (max, exp, sum, divide)
  int latency_context = 12;     ///< of one head's PV
  int latency_silu_gate = 20;   ///< of one SiLU x gate pass (exp, divide)
  int latency_residual = 4;     ///< of one residual add
  int latency_requant = 16;     ///< of one requantization (absmax reduction, divide, round)
  std::string kv_cache_format;  ///< KV storage: fp16, int8, int4 ("" = fp16)
  int kv_cache_group = 0;  ///< INT formats: elements per FP16 scale (0 = one per token and head)

  /// Latency of operator class i in VectorOp order (model/kernels/decoder_block.h).
  int latency(int op) const;
  /// The KV storage these parameters describe.
  KvCacheSpec kv_cache() const;
};

/// Every parameter of the "vector" subtree bound to its member (parsing, ranges, `--set`, docs).
const std::vector<ParamField<VectorParams>>& vector_param_fields();
const std::vector<ParamInfo>& vector_param_infos();

/// Reads the "vector" subtree (absent = defaults); unknown keys, out-of-range values and a KV
/// format other than fp16, int8, int4 throw ConfigError naming `source` and the key.
VectorParams vector_params_from_json(const nlohmann::json& config, std::string_view source);
nlohmann::json vector_params_to_json(const VectorParams& p);

}  // namespace lowbit
