// compile_decode_attention (host/lib/accel/attention_compiler.cpp) on the sim backend: the KV cache
// streams through the load DMA and the DRAM model in chunks, exactly the operator-level model's KV
// read bytes; the vector unit's cycles are the formula's plus one latency per extra chunk; the
// context equals the FP32 kernels bit for bit, and the golden interpreter agrees.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "lowbit/accelerator.h"
#include "lowbit/attention_compiler.h"
#include "lowbit/error.h"
#include "model/arch/vector_timing.h"
#include "model/isa/isa.h"
#include "model/kernels/vector_ops.h"
#include "tests/lib/test_seed.h"

extern "C" int sc_main(int, char**) { return 1; }  // libsystemc wants it; gtest_main is main()

namespace lowbit {
namespace {

HwConfig config() {
  nlohmann::json j = {{"name", "attention_test"},
                      {"core", "mixpe"},
                      {"mixpe", {{"rows", 8}, {"cols", 8}, {"fp16", true}}},
                      {"top", {{"clock_mhz", 1000}}}};  // default 64 KiB out buffer: chunks
  return hw_config_from_json(j, "attention_test");
}

struct Case {
  AttentionShape shape;
  AttentionProgram ap;
  std::vector<float> q, k, v;  // [heads][d], [kv_heads][L][d] x 2
};

Case make_case(const HwConfig& hw, uint64_t seed) {
  Case c;
  c.shape = {4, 2, 64, 1000, {KvFormat::kInt8, 32}};
  const AttentionShape& s = c.shape;
  c.ap = compile_decode_attention(hw, s);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> ud(-1.7f, 1.7f);
  const size_t d = 64, L = 1000;
  c.q.resize(s.heads * d);
  c.k.resize(s.kv_heads * L * d);
  c.v.resize(c.k.size());
  for (auto* t : {&c.q, &c.k, &c.v}) {
    for (float& e : *t) e = ud(rng);
  }
  auto& img = c.ap.program.dram;
  // Per KV head: its 2 query heads, then the new token's k and v (position L - 1, FP32), which
  // the program stores in the cache format itself; the caller stores positions 0 .. L - 2.
  const size_t qpk = 2;
  const uint64_t vb = s.kv.vector_bytes(64);
  for (size_t g = 0; g < static_cast<size_t>(s.kv_heads); ++g) {
    uint8_t* qg = img.data() + c.ap.q_dram + 4 * g * (qpk + 2) * d;
    std::memcpy(qg, c.q.data() + g * qpk * d, 4 * qpk * d);
    std::memcpy(qg + 4 * qpk * d, c.k.data() + (g * L + L - 1) * d, 4 * d);
    std::memcpy(qg + 4 * (qpk + 1) * d, c.v.data() + (g * L + L - 1) * d, 4 * d);
    for (size_t p = 0; p + 1 < L; ++p) {
      const size_t r = g * L + p;
      kv_store_vector(std::span<const float>(c.k).subspan(r * d, d), s.kv,
                      img.data() + c.ap.k_dram + r * vb);
      kv_store_vector(std::span<const float>(c.v).subspan(r * d, d), s.kv,
                      img.data() + c.ap.v_dram + r * vb);
    }
  }
  return c;
}

// The context by the kernels on the values the cache holds.
std::vector<float> expected_context(const Case& c) {
  const size_t d = 64, L = 1000, qpk = 2;
  std::vector<float> out(c.q.size()), kr(d), vr(L * d);
  const float inv = static_cast<float>(1.0 / std::sqrt(double(d)));
  for (size_t h = 0; h < 4; ++h) {
    const size_t g = h / qpk;
    std::vector<float> s(L);
    for (size_t p = 0; p < L; ++p) {
      kv_store_load(std::span<const float>(c.k).subspan((g * L + p) * d, d), c.shape.kv, kr);
      s[p] = dot_f32(std::span<const float>(c.q).subspan(h * d, d), kr) * inv;
      kv_store_load(std::span<const float>(c.v).subspan((g * L + p) * d, d), c.shape.kv,
                    std::span<float>(vr).subspan(p * d, d));
    }
    softmax_f32(s);
    std::vector<float> ctx(d, 0.0f);
    context_accumulate_f32(s, vr, ctx);
    std::copy(ctx.begin(), ctx.end(), out.begin() + h * d);
  }
  return out;
}

void expect_context(const Case& c, const std::vector<uint8_t>& img, uint64_t seed) {
  const auto want = expected_context(c);
  std::vector<float> got(want.size());
  std::memcpy(got.data(), img.data() + c.ap.ctx_dram, 4 * got.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(std::bit_cast<uint32_t>(got[i]), std::bit_cast<uint32_t>(want[i]))
        << "element " << i << " seed " << seed;
  }
}

TEST(AttentionProgram, KvStreamsThroughTheDramModelAndTheContextIsTheKernels) {
  const HwConfig hw = config();
  const uint64_t seed = test::test_seed("AttentionProgram", 20261206);
  Case c = make_case(hw, seed);
  ASSERT_GT(c.ap.chunks_per_head, 1) << "the case must chunk the KV stream";
  const AttentionShape& s = c.shape;
  // The program reads exactly the operator-level model's KV bytes for this layer.
  EXPECT_EQ(c.ap.kv_read_bytes, kv_read_bytes_per_layer(s.kv, s.context, s.kv_heads, s.head_dim));
  auto acc = connect("sim", hw);
  const uint64_t cycles = acc->run(c.ap.program, {});
  const auto st = acc->stats();
  const uint64_t q_bytes = 4ull * s.kv_heads * (2 + 2) * s.head_dim;  // queries, new k and v
  EXPECT_EQ(st["load"]["dma"]["bytes"].get<uint64_t>(), c.ap.kv_read_bytes + q_bytes);
  // The KV write: the new token's K and V rows through the store DMA, the model's write bytes.
  EXPECT_EQ(c.ap.kv_write_bytes, kv_write_bytes_per_layer(s.kv, s.kv_heads, s.head_dim));
  EXPECT_EQ(st["store"]["dma"]["bytes"].get<uint64_t>(),
            c.ap.kv_write_bytes + 4ull * s.heads * s.head_dim);
  EXPECT_EQ(st["vector"]["kvstore_cycles"].get<uint64_t>(),
            s.kv_heads * (2 * 64 / hw.vector.lanes + 2 * hw.vector.latency_requant));
  EXPECT_GE(st["dram"]["bytes_read"].get<uint64_t>(), c.ap.kv_read_bytes + q_bytes);
  expect_context(c, c.ap.program.dram, seed);
  // Vector cycles: the formula per operator, plus one pipeline latency per extra chunk and query
  // head for scores and context (each chunk's vec is its own pass); d = lanes, so no ceil slack.
  BlockWork w;
  const uint64_t L = 1000, d = 64, heads = 4, chunks = c.ap.chunks_per_head;
  w.elements[static_cast<int>(VectorOp::kScores)] = heads * L * d;
  w.invocations[static_cast<int>(VectorOp::kScores)] = heads;
  w.elements[static_cast<int>(VectorOp::kSoftmax)] = 3 * heads * L;
  w.invocations[static_cast<int>(VectorOp::kSoftmax)] = heads;
  w.elements[static_cast<int>(VectorOp::kContext)] = heads * L * d;
  w.invocations[static_cast<int>(VectorOp::kContext)] = heads;
  const VectorTiming t = vector_timing(hw.vector, w, 1.0);
  const auto& vs = st["vector"];
  EXPECT_EQ(vs["scores_cycles"].get<uint64_t>(),
            t.op_cycles[static_cast<int>(VectorOp::kScores)] +
                (chunks - 1) * heads * hw.vector.latency_scores);
  EXPECT_EQ(vs["softmax_cycles"].get<uint64_t>(),
            t.op_cycles[static_cast<int>(VectorOp::kSoftmax)]);
  EXPECT_EQ(vs["context_cycles"].get<uint64_t>(),
            t.op_cycles[static_cast<int>(VectorOp::kContext)] +
                (chunks - 1) * heads * hw.vector.latency_context);
  // The whole program: at least the vector work and at least the KV stream at the DRAM's rate.
  EXPECT_GE(cycles, vs["busy_cycles"].get<uint64_t>());
  std::printf("attention program: %llu cycles, vector busy %llu, %d chunks of %d positions\n",
              static_cast<unsigned long long>(cycles),
              static_cast<unsigned long long>(vs["busy_cycles"].get<uint64_t>()),
              c.ap.chunks_per_head, c.ap.chunk_positions);
}

TEST(AttentionProgram, GoldenInterpreterComputesTheSameContext) {
  const HwConfig hw = config();
  const uint64_t seed = test::test_seed("AttentionProgram", 20261206);
  Case c = make_case(hw, seed);
  auto acc = connect("golden", hw);
  acc->run(c.ap.program, {});
  expect_context(c, c.ap.program.dram, seed);
}

// The compiler never emits what the encoder rejects: the presets' shapes (Llama-2 MHA, Llama-3 GQA,
// every KV format) at short and long contexts either compile to code that survives the
// binary round trip or are refused with the key to change.
TEST(AttentionProgram, PresetShapesCompileToEncodableCodeOrNameTheKey) {
  for (int kib : {64, 2048}) {
    nlohmann::json j = {{"name", "attention_shapes"},
                        {"core", "mixpe"},
                        {"mixpe", {{"rows", 8}, {"cols", 8}, {"fp16", true}}},
                        {"top", {{"buffers", {{"out", {{"kib", kib}}}}}}}};
    const HwConfig hw = hw_config_from_json(j, "attention_shapes");
    for (const auto& [heads, kvh] : {std::pair{32, 32}, std::pair{32, 8}}) {
      for (const KvCacheSpec kv :
           {KvCacheSpec{}, KvCacheSpec{KvFormat::kInt8, 0}, KvCacheSpec{KvFormat::kInt4, 32}}) {
        for (int L : {1, 2048, 8192}) {
          try {
            const AttentionProgram ap = compile_decode_attention(hw, {heads, kvh, 128, L, kv});
            const auto bin = isa::to_binary(ap.program.code);
            EXPECT_EQ(isa::from_binary(bin, "a.lbp"), ap.program.code);
            EXPECT_EQ(ap.kv_read_bytes, kv_read_bytes_per_layer(kv, L, kvh, 128));
          } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()).rfind("top.buffers.out.kib: ", 0), 0u) << e.what();
            EXPECT_GT(4.0 * (heads / kvh) * L, 0.9 * std::min(kib, 2048) * 1024.0)
                << "refused although the scores fit: kib " << kib << " L " << L;
          }
        }
      }
    }
  }
}

TEST(AttentionProgram, AnOutBufferTooSmallForTheScoresNamesTheKey) {
  nlohmann::json j = {{"name", "attention_small"},
                      {"core", "mixpe"},
                      {"mixpe", {{"rows", 8}, {"cols", 8}, {"fp16", true}}},
                      {"top", {{"buffers", {{"out", {{"kib", 4}}}}}}}};
  const HwConfig hw = hw_config_from_json(j, "attention_small");
  try {
    compile_decode_attention(hw, {32, 8, 128, 2048, {}});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("top.buffers.out.kib: 4 KiB", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace lowbit
