// ModelFile: decoder shape and linear weights from a GGUF file or a safetensors file + config.json.
#include "lowbit/model_file.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "byte_cursor.h"
#include "lowbit/error.h"
#include "lowbit/ggml_decode.h"
#include "lowbit/ggml_types.h"
#include "lowbit/gguf_file.h"
#include "lowbit/mapped_file.h"
#include "lowbit/safetensors_file.h"
#include "model/formats/bf16.h"
#include "model/formats/fp16.h"
#include "model/quant/group_quant.h"

namespace lowbit {
namespace {

// Layer sizes lowbit accepts (as for workload files: n, k in 1 .. 2^20).
constexpr uint64_t kMaxDim = 1u << 20;

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
  throw InputError(fmt::format("{}: {}", origin, what));
}

const char* gguf_suffix(LinearRole r) {
  switch (r) {
    case LinearRole::kQ:
      return "attn_q";
    case LinearRole::kK:
      return "attn_k";
    case LinearRole::kV:
      return "attn_v";
    case LinearRole::kO:
      return "attn_output";
    case LinearRole::kGate:
      return "ffn_gate";
    case LinearRole::kUp:
      return "ffn_up";
    case LinearRole::kDown:
      return "ffn_down";
  }
  return "";
}

std::string hf_name(int block, LinearRole r) {
  const bool attn =
      r == LinearRole::kQ || r == LinearRole::kK || r == LinearRole::kV || r == LinearRole::kO;
  return fmt::format("model.layers.{}.{}.{}.weight", block, attn ? "self_attn" : "mlp",
                     linear_role_name(r));
}

// Reasons the other ggml types do not land on the hardware formats (docs/models.md).
std::string unsupported_reason(uint32_t type) {
  switch (static_cast<GgmlType>(type)) {
    case GgmlType::kQ4_1:
    case GgmlType::kQ5_1:
      return "its per-block minimum m (w = d q + m) is no integer zero point";
    case GgmlType::kQ2_K:
    case GgmlType::kQ4_K:
    case GgmlType::kQ5_K:
      return "two-level scales: a sub-block scale times the FP16 super-block scale is not an FP16 "
             "number and its minimum is no integer zero point";
    case GgmlType::kQ3_K:
    case GgmlType::kQ6_K:
      return "two-level scales over 16-weight sub-blocks: groups of 16 and scale products that are "
             "not FP16 numbers";
    default:
      return "no exact mapping onto the hardware's integer group formats";
  }
}

int checked_dim(uint64_t v, const std::string& origin, const std::string& what) {
  if (v < 1 || v > kMaxDim) {
    fail(origin, fmt::format("{} = {} is out of range; allowed: 1 .. {}", what, v, kMaxDim));
  }
  return static_cast<int>(v);
}

int gguf_int(const GgufFile& g, const std::string& key, const std::string& origin,
             std::optional<int> fallback = std::nullopt) {
  const GgufValue* v = g.find(key);
  if (v == nullptr) {
    if (fallback) return *fallback;
    fail(origin, fmt::format("metadata {}: missing (needed for the decoder's shape)", key));
  }
  const std::optional<uint64_t> n = v->as_count();
  if (!n) fail(origin, fmt::format("metadata {}: must be a non-negative integer", key));
  return checked_dim(*n, origin, "metadata " + key);
}

int config_int(const nlohmann::json& c, const char* key, const std::string& origin,
               std::optional<int> fallback = std::nullopt) {
  if (!c.contains(key) || c[key].is_null()) {
    if (fallback) return *fallback;
    fail(origin, fmt::format("{}: missing (needed for the decoder's shape)", key));
  }
  if (!c[key].is_number_unsigned())
    fail(origin, fmt::format("{}: must be a positive integer", key));
  return checked_dim(c[key].get<uint64_t>(), origin, key);
}

std::vector<float> safetensors_floats(const SafetensorsTensor& t, const std::string& origin) {
  const size_t size = safetensors_dtype_size(t.dtype);
  std::vector<float> out(t.data.size() / size);
  const uint8_t* p = t.data.data();
  for (size_t i = 0; i < out.size(); ++i) {
    uint16_t h = 0;
    if (size == 2) std::memcpy(&h, p + 2 * i, 2);
    if (t.dtype == "F32") {
      std::memcpy(&out[i], p + 4 * i, 4);
    } else if (t.dtype == "F16") {
      out[i] = fp16_to_float(h);
    } else {
      out[i] = bf16_to_float(h);
    }
    if (!std::isfinite(out[i])) {
      fail(origin, fmt::format("tensor {}: element {} is not finite; allowed: finite weights",
                               printable(t.name), i));
    }
  }
  return out;
}

}  // namespace

const char* linear_role_name(LinearRole r) {
  switch (r) {
    case LinearRole::kQ:
      return "q_proj";
    case LinearRole::kK:
      return "k_proj";
    case LinearRole::kV:
      return "v_proj";
    case LinearRole::kO:
      return "o_proj";
    case LinearRole::kGate:
      return "gate_proj";
    case LinearRole::kUp:
      return "up_proj";
    case LinearRole::kDown:
      return "down_proj";
  }
  return "";
}

struct ModelFile::Impl {
  std::string origin;
  MappedFile map;
  std::optional<GgufFile> gguf;
  std::optional<SafetensorsFile> st;
  ModelShape shape;

  explicit Impl(const std::filesystem::path& path) : origin(path.string()), map(path) {}
};

ModelFile::ModelFile(const std::filesystem::path& path) : m_impl(std::make_unique<Impl>(path)) {
  Impl& m = *m_impl;
  ModelShape& s = m.shape;
  if (is_gguf(m.map.bytes())) {
    m.gguf = GgufFile::parse(m.map.bytes(), m.origin);
    const GgufValue* arch = m.gguf->find("general.architecture");
    if (arch == nullptr || arch->type != GgufValueType::kString || arch->s.empty()) {
      fail(m.origin, "metadata general.architecture: missing or not a string");
    }
    s.architecture = arch->s;
    const std::string a = s.architecture + ".";
    s.blocks = gguf_int(*m.gguf, a + "block_count", m.origin);
    s.hidden = gguf_int(*m.gguf, a + "embedding_length", m.origin);
    s.ffn = gguf_int(*m.gguf, a + "feed_forward_length", m.origin);
    s.heads = gguf_int(*m.gguf, a + "attention.head_count", m.origin);
    s.kv_heads = gguf_int(*m.gguf, a + "attention.head_count_kv", m.origin, s.heads);
    s.head_dim = gguf_int(*m.gguf, a + "attention.key_length", m.origin, s.hidden / s.heads);
  } else {
    m.st = SafetensorsFile::parse(m.map.bytes(), m.origin);
    const std::filesystem::path cfg_path = path.parent_path() / "config.json";
    const std::string cfg_origin = cfg_path.string();
    std::ifstream in(cfg_path);
    if (!in) {
      fail(m.origin, fmt::format("no {} beside the safetensors file (it gives the decoder's shape: "
                                 "num_hidden_layers, hidden_size, ...)",
                                 cfg_origin));
    }
    nlohmann::json c;
    try {
      c = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      fail(cfg_origin, fmt::format("malformed JSON: {}", e.what()));
    }
    if (!c.is_object()) fail(cfg_origin, "must be a JSON object");
    if (!c.contains("model_type") || !c["model_type"].is_string()) {
      fail(cfg_origin, "model_type: missing or not a string");
    }
    s.architecture = c["model_type"].get<std::string>();
    s.blocks = config_int(c, "num_hidden_layers", cfg_origin);
    s.hidden = config_int(c, "hidden_size", cfg_origin);
    s.ffn = config_int(c, "intermediate_size", cfg_origin);
    s.heads = config_int(c, "num_attention_heads", cfg_origin);
    s.kv_heads = config_int(c, "num_key_value_heads", cfg_origin, s.heads);
    s.head_dim = config_int(c, "head_dim", cfg_origin, s.hidden / s.heads);
  }
  if (s.head_dim < 1) fail(m.origin, "attention head size is 0 (fewer hidden units than heads)");
}

ModelFile::~ModelFile() = default;
ModelFile::ModelFile(ModelFile&&) noexcept = default;
ModelFile& ModelFile::operator=(ModelFile&&) noexcept = default;

const std::string& ModelFile::origin() const { return m_impl->origin; }
const char* ModelFile::kind() const { return m_impl->gguf ? "GGUF" : "safetensors"; }
const ModelShape& ModelFile::shape() const { return m_impl->shape; }

ModelTensor ModelFile::linear(int block, LinearRole role) const {
  const Impl& m = *m_impl;
  const ModelShape& s = m.shape;
  if (block < 0 || block >= s.blocks) {
    fail(m.origin, fmt::format("block {} out of range; allowed: 0 .. {}", block, s.blocks - 1));
  }
  // (n, k) the metadata implies, so a file whose tensors disagree with its metadata is refused.
  const int64_t q_width = int64_t{s.heads} * s.head_dim;
  const int64_t kv_width = int64_t{s.kv_heads} * s.head_dim;
  int64_t want_n = 0, want_k = 0;
  switch (role) {
    case LinearRole::kQ:
      want_n = q_width, want_k = s.hidden;
      break;
    case LinearRole::kK:
    case LinearRole::kV:
      want_n = kv_width, want_k = s.hidden;
      break;
    case LinearRole::kO:
      want_n = s.hidden, want_k = q_width;
      break;
    case LinearRole::kGate:
    case LinearRole::kUp:
      want_n = s.ffn, want_k = s.hidden;
      break;
    case LinearRole::kDown:
      want_n = s.hidden, want_k = s.ffn;
      break;
  }
  ModelTensor t;
  uint64_t n = 0, k = 0;
  if (m.gguf) {
    t.name = fmt::format("blk.{}.{}.weight", block, gguf_suffix(role));
    const GgufTensor* g = m.gguf->tensor(t.name);
    if (g == nullptr) fail(m.origin, fmt::format("tensor {}: missing", t.name));
    t.type = ggml_type_name(g->type);
    if (g->dims.size() != 2) {
      fail(m.origin, fmt::format("tensor {}: {} dimensions; allowed: 2 (a linear weight)", t.name,
                                 g->dims.size()));
    }
    k = g->dims[0];
    n = g->dims[1];
    switch (ggml_mapping(g->type)) {
      case GgmlMapping::kExact: {
        const ExactFormat ef = ggml_exact_format(g->type);
        t.exact = true;
        t.format = ef.format;
        t.group_size = ef.group_size;
        break;
      }
      case GgmlMapping::kFloat:
        break;
      case GgmlMapping::kUnsupported:
        fail(m.origin,
             fmt::format("tensor {}: ggml type {} does not map exactly onto the hardware "
                         "formats ({}); allowed: {}",
                         t.name, t.type, unsupported_reason(g->type), ggml_supported_types()));
    }
  } else {
    t.name = hf_name(block, role);
    const SafetensorsTensor* st = m.st->tensor(t.name);
    if (st == nullptr) {
      fail(m.origin, fmt::format("tensor {}: missing (packed int4 GPTQ / AWQ checkpoints are not "
                                 "read; allowed: F16, BF16, F32 weights)",
                                 t.name));
    }
    t.type = st->dtype;
    if (st->dtype != "F16" && st->dtype != "BF16" && st->dtype != "F32") {
      fail(m.origin, fmt::format("tensor {}: dtype {} is not read; allowed: F16, BF16, F32", t.name,
                                 st->dtype));
    }
    if (st->shape.size() != 2) {
      fail(m.origin, fmt::format("tensor {}: {} dimensions; allowed: 2 (a linear weight)", t.name,
                                 st->shape.size()));
    }
    n = st->shape[0];
    k = st->shape[1];
  }
  if (n != static_cast<uint64_t>(want_n) || k != static_cast<uint64_t>(want_k)) {
    fail(m.origin, fmt::format("tensor {}: {} x {} (out x in) but the model's shape (hidden {}, "
                               "FFN {}, heads {} / {} of size {}) needs {} x {}",
                               t.name, n, k, s.hidden, s.ffn, s.heads, s.kv_heads, s.head_dim,
                               want_n, want_k));
  }
  t.n = checked_dim(n, m.origin, "tensor " + t.name + " out_features");
  t.k = checked_dim(k, m.origin, "tensor " + t.name + " in_features");
  return t;
}

void ModelFile::check(const ModelTensor& t) const {
  const Impl& m = *m_impl;
  if (m.gguf) {
    const GgufTensor* g = m.gguf->tensor(t.name);
    if (g == nullptr) fail(m.origin, fmt::format("tensor {}: missing", printable(t.name)));
    if (ggml_mapping(g->type) == GgmlMapping::kExact) {
      (void)decode_ggml_exact(*g, m.origin);
    } else {
      (void)decode_ggml_floats(*g, m.origin);
    }
  } else {
    const SafetensorsTensor* st = m.st->tensor(t.name);
    if (st == nullptr) fail(m.origin, fmt::format("tensor {}: missing", printable(t.name)));
    (void)safetensors_floats(*st, m.origin);
  }
}

ModelWeights ModelFile::load(const ModelTensor& t, WeightFormat float_format,
                             int group_size) const {
  const Impl& m = *m_impl;
  ModelWeights w;
  std::vector<float> floats;
  if (m.gguf) {
    const GgufTensor* g = m.gguf->tensor(t.name);
    if (g == nullptr) fail(m.origin, fmt::format("tensor {}: missing", printable(t.name)));
    if (ggml_mapping(g->type) == GgmlMapping::kExact) {
      w.q = decode_ggml_exact(*g, m.origin);
      try {
        check_quantized_weights(w.q);
      } catch (const std::invalid_argument& e) {
        fail(m.origin, fmt::format("tensor {}: {}", printable(t.name), e.what()));
      }
      w.w_float = dequantize_weights(w.q);
      return w;
    }
    floats = decode_ggml_floats(*g, m.origin);
  } else {
    const SafetensorsTensor* st = m.st->tensor(t.name);
    if (st == nullptr) fail(m.origin, fmt::format("tensor {}: missing", printable(t.name)));
    floats = safetensors_floats(*st, m.origin);
  }
  try {
    w.q = quantize_weights(floats, t.n, t.k, float_format, group_size);
  } catch (const std::invalid_argument& e) {
    fail(m.origin, fmt::format("tensor {}: {}", printable(t.name), e.what()));
  }
  w.w_float = std::move(floats);
  return w;
}

}  // namespace lowbit
