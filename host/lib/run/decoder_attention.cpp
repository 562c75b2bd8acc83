// A decode step's attention on the SystemC top (decoder_attention.h).
#include "decoder_attention.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "lowbit/attention_compiler.h"
#include "lowbit/decoder_chain.h"
#include "lowbit/error.h"
#include "model/kernels/decoder_block.h"
#include "model/kernels/vector_ops.h"

namespace lowbit {

nlohmann::ordered_json AttentionMeasure::to_json() const {
  if (!skipped.empty()) return {{"skipped", skipped}};
  return {{"cycles_per_sequence_layer", cycles},
          {"kv_read_bytes", kv_read_bytes},
          {"kv_write_bytes", kv_write_bytes},
          {"dram_bytes_read", dram_bytes_read},
          {"vector_cycles",
           {{"scores", scores_cycles}, {"softmax", softmax_cycles}, {"context", context_cycles}}},
          {"chunk_positions", chunk_positions},
          {"chunks_per_kv_head", chunks_per_head},
          {"query_rows_per_pass",
           query_rows > 0 ? nlohmann::ordered_json(query_rows) : nlohmann::ordered_json(nullptr)},
          {"context_verified", verified}};
}

namespace {

// Runs an attention program on `acc` and reads its figures from the stats: the KV bytes are the
// DMAs' minus the FP32 rows loaded (queries, new k / v) and the contexts stored.
AttentionMeasure run_program(Accelerator& acc, AttentionProgram& ap, uint64_t rows_loaded,
                             uint64_t rows_stored) {
  AttentionMeasure m;
  m.cycles = acc.run(ap.program, {});
  const auto st = acc.stats();
  m.kv_read_bytes = st["load"]["dma"]["bytes"].get<uint64_t>() - rows_loaded;
  m.kv_write_bytes = st["store"]["dma"]["bytes"].get<uint64_t>() - rows_stored;
  m.dram_bytes_read = st["dram"]["bytes_read"].get<uint64_t>();
  m.scores_cycles = st["vector"]["scores_cycles"].get<uint64_t>();
  m.softmax_cycles = st["vector"]["softmax_cycles"].get<uint64_t>();
  m.context_cycles = st["vector"]["context_cycles"].get<uint64_t>();
  m.chunk_positions = ap.chunk_positions;
  m.chunks_per_head = ap.chunks_per_head;
  m.query_rows = ap.query_rows;
  return m;
}

}  // namespace

std::optional<AttentionMeasure> measure_decode_attention(Accelerator& acc, const Workload& w,
                                                         const HwConfig& hw) {
  if (!w.decoder || w.decoder->prefill || !acc.timed()) return std::nullopt;
  const DecoderSpec& d = *w.decoder;
  const AttentionShape s{d.heads, d.kv_heads, d.head_dim, d.context, hw.vector.kv_cache()};
  AttentionProgram ap;
  try {
    ap = compile_decode_attention(hw, s);
  } catch (const InputError& e) {
    AttentionMeasure m;
    m.skipped = e.what();
    return m;
  }
  const size_t hd = static_cast<size_t>(d.head_dim), L = static_cast<size_t>(d.context);
  const size_t kvh = static_cast<size_t>(d.kv_heads), heads = static_cast<size_t>(d.heads);
  const uint64_t seed = decoder_kv_seed(w, 0);
  // Queries: uniform, unit variance, seeded; the cache: block 0's synthesized K and V, the new
  // token's (position L - 1) given in FP32 beside the queries for the program to store.
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ull);
  std::uniform_real_distribution<float> ud(-1.7320508f, 1.7320508f);
  std::vector<float> q(heads * hd);
  for (float& v : q) v = ud(rng);
  auto& img = ap.program.dram;
  const size_t qpk = heads / kvh;
  for (size_t g = 0; g < kvh; ++g) {
    std::memcpy(img.data() + ap.q_dram + 4 * g * (qpk + 2) * hd, q.data() + g * qpk * hd,
                4 * qpk * hd);
  }
  const uint64_t vb = s.kv.vector_bytes(d.head_dim);
  std::vector<uint8_t> scratch(vb);
  // What the unit reads back, for the check: [kvh][L][hd] K and V.
  std::vector<float> kr(kvh * L * hd), vr(kvh * L * hd), x(hd);
  for (size_t g = 0; g < kvh; ++g) {
    for (size_t p = 0; p < L; ++p) {
      const size_t r = g * L + p;
      for (int value = 0; value < 2; ++value) {
        synthesized_kv_row(seed, 0, static_cast<int>(g), p, value == 1, x);
        uint8_t* at = img.data() + (value ? ap.v_dram : ap.k_dram) + r * vb;
        if (p + 1 == L) {  // the new token: FP32 in, stored by the program
          std::memcpy(img.data() + ap.q_dram + 4 * (g * (qpk + 2) + qpk + value) * hd, x.data(),
                      4 * hd);
          at = scratch.data();
        }
        kv_store_vector(x, s.kv, at);
        kv_load_vector(at, s.kv, std::span<float>(value ? vr : kr).subspan(r * hd, hd));
      }
    }
  }
  AttentionMeasure m = run_program(acc, ap, 4ull * kvh * (qpk + 2) * hd, 4ull * heads * hd);
  // The check: every query head's context by the kernels on the values the cache holds.
  const float inv = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd)));
  m.verified = true;
  std::vector<float> sc(L), ctx(hd);
  for (size_t h = 0; h < heads && m.verified; ++h) {
    const size_t g = h / qpk;
    for (size_t p = 0; p < L; ++p) {
      sc[p] = dot_f32(std::span<const float>(q).subspan(h * hd, hd),
                      std::span<const float>(kr).subspan((g * L + p) * hd, hd)) *
              inv;
    }
    softmax_f32(sc);
    std::fill(ctx.begin(), ctx.end(), 0.0f);
    context_accumulate_f32(sc, std::span<const float>(vr).subspan(g * L * hd, L * hd), ctx);
    m.verified = std::memcmp(ctx.data(), img.data() + ap.ctx_dram + 4 * h * hd, 4 * hd) == 0;
  }
  return m;
}

std::optional<AttentionMeasure> measure_prefill_attention(Accelerator& acc, const Workload& w,
                                                          const HwConfig& hw) {
  if (!w.decoder || !w.decoder->prefill || !acc.timed()) return std::nullopt;
  const DecoderSpec& d = *w.decoder;
  const int P = w.layers[0].m;
  const AttentionShape s{d.heads, d.kv_heads, d.head_dim, P, hw.vector.kv_cache()};
  AttentionProgram ap;
  try {
    ap = compile_prefill_attention(hw, s);
  } catch (const InputError& e) {
    AttentionMeasure m;
    m.skipped = e.what();
    return m;
  }
  const size_t hd = static_cast<size_t>(d.head_dim), L = static_cast<size_t>(P);
  const size_t kvh = static_cast<size_t>(d.kv_heads), heads = static_cast<size_t>(d.heads);
  const size_t qpk = heads / kvh;
  const uint64_t seed = decoder_kv_seed(w, 0);
  // Queries: uniform, unit variance, seeded ([kv_heads][P][qpk][hd]); the prompt's k and v rows:
  // block 0's synthesized KV rows at positions 0 .. P - 1, FP32, for the program to store.
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ull);
  std::uniform_real_distribution<float> ud(-1.7320508f, 1.7320508f);
  std::vector<float> q(kvh * L * qpk * hd);
  for (float& v : q) v = ud(rng);
  auto& img = ap.program.dram;
  std::memcpy(img.data() + ap.q_dram, q.data(), 4 * q.size());
  // What the unit reads back, for the check: [kvh][L][hd] K and V as the cache holds them.
  std::vector<float> kr(kvh * L * hd), vr(kvh * L * hd), x(hd);
  for (size_t g = 0; g < kvh; ++g) {
    for (int value = 0; value < 2; ++value) {
      for (size_t p = 0; p < L; ++p) {
        synthesized_kv_row(seed, 0, static_cast<int>(g), p, value == 1, x);
        std::memcpy(img.data() + ap.kv_src_dram + 4 * ((g * 2 + value) * L + p) * hd, x.data(),
                    4 * hd);
        kv_store_load(x, s.kv, std::span<float>(value ? vr : kr).subspan((g * L + p) * hd, hd));
      }
    }
  }
  AttentionMeasure m = run_program(acc, ap, 4ull * (q.size() + kvh * 2 * L * hd), 4ull * q.size());
  // The check: every query row's context by the kernels over positions 0 .. i.
  const float inv = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd)));
  m.verified = true;
  std::vector<float> sc, ctx(hd);
  for (size_t g = 0; g < kvh && m.verified; ++g) {
    for (size_t i = 0; i < L && m.verified; ++i) {
      for (size_t h = 0; h < qpk && m.verified; ++h) {
        const size_t row = (g * L + i) * qpk + h;
        const auto qr = std::span<const float>(q).subspan(row * hd, hd);
        sc.resize(i + 1);
        for (size_t p = 0; p <= i; ++p) {
          sc[p] = dot_f32(qr, std::span<const float>(kr).subspan((g * L + p) * hd, hd)) * inv;
        }
        softmax_f32(sc);
        std::fill(ctx.begin(), ctx.end(), 0.0f);
        context_accumulate_f32(sc, std::span<const float>(vr).subspan(g * L * hd, (i + 1) * hd),
                               ctx);
        m.verified = std::memcmp(ctx.data(), img.data() + ap.ctx_dram + 4 * row * hd, 4 * hd) == 0;
      }
    }
  }
  return m;
}

}  // namespace lowbit
