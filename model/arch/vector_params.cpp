// Declaration and parsing of the vector unit's parameters (vector_params.h).
#include "model/arch/vector_params.h"

#include <fmt/format.h>

#include "model/arch/config_error.h"

namespace lowbit {

int VectorParams::latency(int op) const {
  const int v[] = {latency_rmsnorm, latency_rotary,    latency_scores,   latency_softmax,
                   latency_context, latency_silu_gate, latency_residual, latency_requant};
  return v[op];
}

KvCacheSpec VectorParams::kv_cache() const {
  return {kv_cache_format.empty() ? KvFormat::kFp16 : parse_kv_format(kv_cache_format),
          kv_cache_group};
}

const std::vector<ParamField<VectorParams>>& vector_param_fields() {
  static const std::vector<ParamField<VectorParams>> fields = [] {
    const VectorParams d;
    auto lat = [&](const char* key, int def, const char* what,
                   ParamRef (*member)(VectorParams&)) -> ParamField<VectorParams> {
      return {{std::string("latency.") + key, ParamType::kInt, double(def), 0, 4096, "cycles",
               std::string("pipeline latency paid once per ") + what},
              member};
    };
    std::vector<ParamField<VectorParams>> v = {
        {{"lanes", ParamType::kInt, double(d.lanes), 1, 4096, "lanes",
          "FP32 lanes of the vector unit: elements (or multiply-adds of QK^T and PV) per cycle"},
         [](VectorParams& p) -> ParamRef { return &p.lanes; }},
        lat("rmsnorm", d.latency_rmsnorm, "RMSNorm of a row (square-sum reduction, sqrt, divide)",
            [](VectorParams& p) -> ParamRef { return &p.latency_rmsnorm; }),
        lat("rotary", d.latency_rotary, "rotary pass over a token's q and k heads",
            [](VectorParams& p) -> ParamRef { return &p.latency_rotary; }),
        lat("scores", d.latency_scores, "head's attention scores QK^T",
            [](VectorParams& p) -> ParamRef { return &p.latency_scores; }),
        lat("softmax", d.latency_softmax, "head's softmax (max, exp, sum, divide)",
            [](VectorParams& p) -> ParamRef { return &p.latency_softmax; }),
        lat("context", d.latency_context, "head's attention context PV",
            [](VectorParams& p) -> ParamRef { return &p.latency_context; }),
        lat("silu_gate", d.latency_silu_gate, "SiLU x gate pass over a token's FFN row",
            [](VectorParams& p) -> ParamRef { return &p.latency_silu_gate; }),
        lat("residual", d.latency_residual, "residual add of a token's row",
            [](VectorParams& p) -> ParamRef { return &p.latency_residual; }),
        lat("requant", d.latency_requant,
            "requantization of a row to the activation format (absmax, divide, round)",
            [](VectorParams& p) -> ParamRef { return &p.latency_requant; }),
        {{"kv_cache.format", ParamType::kString, 0, 0, 0, "name",
          "KV-cache storage format in DRAM: fp16, int8 or int4 (symmetric, FP16 scales); \"\" = "
          "fp16"},
         [](VectorParams& p) -> ParamRef { return &p.kv_cache_format; }},
        {{"kv_cache.group", ParamType::kInt, double(d.kv_cache_group), 0, 4096, "elements",
          "INT KV formats: elements of a head vector per FP16 scale; 0 = one scale per token and "
          "head; must divide the head dimension"},
         [](VectorParams& p) -> ParamRef { return &p.kv_cache_group; }},
    };
    return v;
  }();
  return fields;
}

const std::vector<ParamInfo>& vector_param_infos() {
  static const std::vector<ParamInfo> infos = param_infos_of(vector_param_fields());
  return infos;
}

VectorParams vector_params_from_json(const nlohmann::json& config, std::string_view source) {
  const nlohmann::json* sub =
      config.is_object() && config.contains("vector") ? &config.at("vector") : nullptr;
  const nlohmann::json tree = read_param_tree(sub, vector_param_infos(), source, "vector");
  VectorParams p = params_from_tree(tree, vector_param_fields());
  if (!p.kv_cache_format.empty() && p.kv_cache_format != "fp16" && p.kv_cache_format != "int8" &&
      p.kv_cache_format != "int4") {
    throw ConfigError(fmt::format("{}: vector.kv_cache.format: '{}'; allowed: fp16, int8, int4",
                                  source, p.kv_cache_format));
  }
  if ((p.kv_cache_format.empty() || p.kv_cache_format == "fp16") && p.kv_cache_group != 0) {
    throw ConfigError(fmt::format(
        "{}: vector.kv_cache.group: {} with the fp16 format, which has no scales; allowed: 0",
        source, p.kv_cache_group));
  }
  return p;
}

nlohmann::json vector_params_to_json(const VectorParams& p) {
  return params_to_tree(p, vector_param_fields());
}

}  // namespace lowbit
