// Test-side tiny Llama-style model files (GGUF in llama.cpp naming, safetensors + config.json in
// Hugging Face naming) with seeded weights, and the codes/scales/floats each tensor holds.
#pragma once

#include <array>
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "model/formats/bf16.h"
#include "model/formats/fp16.h"
#include "model/quant/tensors.h"
#include "tests/lib/ggml_encode.h"
#include "tests/lib/gguf_writer.h"
#include "tests/lib/safetensors_writer.h"

namespace lowbit::test {

/// ggml type ids used by the tests (ggml.h).
enum : uint32_t {
  kGgmlF32 = 0,
  kGgmlF16 = 1,
  kGgmlQ4_0 = 2,
  kGgmlQ5_0 = 6,
  kGgmlQ8_0 = 8,
  kGgmlQ4_K = 12,
  kGgmlBF16 = 30,
  kGgmlTQ1_0 = 34,
  kGgmlTQ2_0 = 35,
};

/// One written linear weight: what a reader must give back.
struct WrittenTensor {
  std::string name;
  uint32_t type = 0;  ///< ggml type id (safetensors files: kGgmlF16 / kGgmlBF16 / kGgmlF32)
  int n = 0, k = 0;
  QuantizedWeights exact;     ///< exactly mapped types: the codes, scales, zeros written
  std::vector<float> floats;  ///< float types: the values written (exactly representable)
};

/// The shape of the tiny decoder: hidden 256, FFN 512, 4 heads of 64, 2 KV heads.
struct TinyShape {
  int blocks = 2, hidden = 256, ffn = 512, heads = 4, kv_heads = 2;
  int head_dim() const { return hidden / heads; }
};

/// (n, k) of role r (q, k, v, o, gate, up, down).
inline std::pair<int, int> tiny_dims(const TinyShape& s, int r) {
  const int kv = s.kv_heads * s.head_dim();
  const std::pair<int, int> d[7] = {{s.hidden, s.hidden}, {kv, s.hidden},    {kv, s.hidden},
                                    {s.hidden, s.hidden}, {s.ffn, s.hidden}, {s.ffn, s.hidden},
                                    {s.hidden, s.ffn}};
  return d[r];
}

/// Seeded data of one tensor of ggml type `type` and its file bytes (ggml layout).
inline std::vector<uint8_t> make_tensor(WrittenTensor& t, std::mt19937_64& rng) {
  const size_t elems = static_cast<size_t>(t.n) * t.k;
  std::uniform_real_distribution<float> scale_mag(0.001f, 0.05f);
  std::normal_distribution<float> normal(0.0f, 0.02f);
  const auto scale = [&] {
    const float s = scale_mag(rng);
    return fp16_from_float(rng() & 1 ? s : -s);  // ggml's Q4_0 scales are often negative
  };
  QuantizedWeights& q = t.exact;
  q.n = t.n;
  q.k = t.k;
  std::vector<uint8_t> bytes;
  switch (t.type) {
    case kGgmlQ4_0:
    case kGgmlQ5_0:
    case kGgmlQ8_0: {
      const int bits = t.type == kGgmlQ4_0 ? 4 : t.type == kGgmlQ5_0 ? 5 : 8;
      q.bits = bits;
      q.group_size = 32;
      q.kind = bits == 8 ? WeightKind::kSigned : WeightKind::kUnsigned;
      for (size_t i = 0; i < elems; ++i)
        q.codes.push_back(static_cast<uint8_t>(rng() >> (64 - bits)));
      for (size_t g = 0; g < elems / 32; ++g) q.scales.push_back(scale());
      q.zeros.assign(elems / 32, bits == 8 ? 0 : static_cast<uint8_t>(1 << (bits - 1)));
      if (bits == 4) return encode_q4_0(q.codes, q.scales);
      if (bits == 5) return encode_q5_0(q.codes, q.scales);
      std::vector<int8_t> v;
      for (uint8_t c : q.codes) v.push_back(static_cast<int8_t>(c ^ 0x80));
      return encode_q8_0(v, q.scales);
    }
    case kGgmlTQ1_0:
    case kGgmlTQ2_0: {
      q.bits = 2;
      q.group_size = 128;
      q.kind = WeightKind::kTernary;
      for (size_t i = 0; i < elems; ++i) q.codes.push_back(static_cast<uint8_t>(rng() % 3));
      std::vector<uint16_t> block_scales;
      for (size_t b = 0; b < elems / 256; ++b) {
        block_scales.push_back(scale());
        q.scales.push_back(block_scales.back());
        q.scales.push_back(block_scales.back());
      }
      q.zeros.assign(q.scales.size(), 0);
      return t.type == kGgmlTQ1_0 ? encode_tq1_0(q.codes, block_scales)
                                  : encode_tq2_0(q.codes, block_scales);
    }
    default: {  // F32, F16, BF16 (and K-quant placeholders: bytes of the right size)
      for (size_t i = 0; i < elems; ++i) {
        float v = normal(rng);
        if (t.type == kGgmlF16) {
          const uint16_t h = fp16_from_float(v);
          v = fp16_to_float(h);
          put_u16(bytes, h);
        } else if (t.type == kGgmlBF16) {
          const uint16_t h = bf16_from_float(v);
          v = bf16_to_float(h);
          put_u16(bytes, h);
        } else {
          const auto* p = reinterpret_cast<const uint8_t*>(&v);
          bytes.insert(bytes.end(), p, p + 4);
        }
        t.floats.push_back(v);
      }
      if (t.type == kGgmlQ4_K) bytes.assign(elems / 256 * 144, 0x11);
      return bytes;
    }
  }
}

/// A tiny GGUF with llama.cpp's names and metadata; `types[r]` is the ggml type of role r in
/// every block. Adds token_embd / output / norm tensors as a real file has them.
inline std::vector<WrittenTensor> tiny_gguf(GgufWriter& w, uint64_t seed,
                                            const std::array<uint32_t, 7>& types,
                                            const TinyShape& s = {}) {
  static const char* kNames[7] = {"attn_q",   "attn_k", "attn_v",  "attn_output",
                                  "ffn_gate", "ffn_up", "ffn_down"};
  std::mt19937_64 rng(seed);
  w.add_string("general.architecture", "llama");
  w.add_string("general.name", "lowbit tiny test model");
  w.add_u32("llama.block_count", static_cast<uint32_t>(s.blocks));
  w.add_u32("llama.embedding_length", static_cast<uint32_t>(s.hidden));
  w.add_u32("llama.feed_forward_length", static_cast<uint32_t>(s.ffn));
  w.add_u32("llama.attention.head_count", static_cast<uint32_t>(s.heads));
  w.add_u32("llama.attention.head_count_kv", static_cast<uint32_t>(s.kv_heads));
  w.add_u32("llama.context_length", 2048);
  w.add_kv("tokenizer.ggml.tokens", GgufWriter::kArray,
           GgufWriter::array(GgufWriter::kString, {GgufWriter::str("<s>"), GgufWriter::str("a")}));
  std::vector<WrittenTensor> out;
  WrittenTensor embd{"token_embd.weight", kGgmlF16, 32, s.hidden, {}, {}};
  w.add_tensor(embd.name, {uint64_t(s.hidden), 32}, kGgmlF16, make_tensor(embd, rng));
  for (int b = 0; b < s.blocks; ++b) {
    WrittenTensor norm{
        "blk." + std::to_string(b) + ".attn_norm.weight", kGgmlF32, 1, s.hidden, {}, {}};
    w.add_tensor(norm.name, {uint64_t(s.hidden)}, kGgmlF32, make_tensor(norm, rng));
    for (int r = 0; r < 7; ++r) {
      WrittenTensor t;
      t.name = "blk." + std::to_string(b) + "." + kNames[r] + ".weight";
      t.type = types[r];
      std::tie(t.n, t.k) = tiny_dims(s, r);
      w.add_tensor(t.name, {uint64_t(t.k), uint64_t(t.n)}, t.type, make_tensor(t, rng));
      out.push_back(std::move(t));
    }
  }
  return out;
}

/// A tiny safetensors model (Hugging Face names, [out, in] shapes) of one float dtype
/// (kGgmlF16, kGgmlBF16 or kGgmlF32), and the config.json text that goes beside it.
inline std::vector<WrittenTensor> tiny_safetensors(SafetensorsWriter& w, std::string& config,
                                                   uint64_t seed, uint32_t type,
                                                   const TinyShape& s = {}) {
  static const char* kNames[7] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                                  "self_attn.o_proj", "mlp.gate_proj",    "mlp.up_proj",
                                  "mlp.down_proj"};
  const char* dtype = type == kGgmlF16 ? "F16" : type == kGgmlBF16 ? "BF16" : "F32";
  std::mt19937_64 rng(seed);
  std::vector<WrittenTensor> out;
  for (int b = 0; b < s.blocks; ++b) {
    for (int r = 0; r < 7; ++r) {
      WrittenTensor t;
      t.name = "model.layers." + std::to_string(b) + "." + kNames[r] + ".weight";
      t.type = type;
      std::tie(t.n, t.k) = tiny_dims(s, r);
      w.add_tensor(t.name, dtype, {uint64_t(t.n), uint64_t(t.k)}, make_tensor(t, rng));
      out.push_back(std::move(t));
    }
  }
  config = nlohmann::json{{"model_type", "llama"},          {"num_hidden_layers", s.blocks},
                          {"hidden_size", s.hidden},        {"intermediate_size", s.ffn},
                          {"num_attention_heads", s.heads}, {"num_key_value_heads", s.kv_heads},
                          {"torch_dtype", "float16"}}
               .dump(2);
  return out;
}

}  // namespace lowbit::test
