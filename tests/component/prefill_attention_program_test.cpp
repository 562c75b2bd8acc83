// compile_prefill_attention (host/lib/accel/prefill_attention_compiler.cpp) on the sim backend and
// the golden interpreter: the KV write stores every prompt row's k and v in the cache format, the
// causal attention streams K and V through the load DMA and the DRAM model once per pass of query
// rows, and every query row's context equals the FP32 kernels over positions 0 .. i bit for bit.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "lowbit/accelerator.h"
#include "lowbit/attention_compiler.h"
#include "lowbit/error.h"
#include "model/isa/isa.h"
#include "model/kernels/vector_ops.h"
#include "tests/lib/test_seed.h"

extern "C" int sc_main(int, char**) { return 1; }  // libsystemc wants it; gtest_main is main()

namespace lowbit {
namespace {

HwConfig config(int out_kib) {
  nlohmann::json j = {{"name", "prefill_attention_test"},
                      {"core", "mixpe"},
                      {"mixpe", {{"rows", 8}, {"cols", 8}, {"fp16", true}}},
                      {"top", {{"clock_mhz", 1000}, {"buffers", {{"out", {{"kib", out_kib}}}}}}}};
  return hw_config_from_json(j, "prefill_attention_test");
}

struct Case {
  AttentionShape shape;
  AttentionProgram ap;
  std::vector<float> q, kv;  // [kv_heads][P][qpk][d], [kv_heads][2][P][d]
};

Case make_case(const HwConfig& hw, const AttentionShape& s, uint64_t seed) {
  Case c;
  c.shape = s;
  c.ap = compile_prefill_attention(hw, s);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> ud(-1.7f, 1.7f);
  const size_t d = s.head_dim, P = s.context, kvh = s.kv_heads;
  c.q.resize(static_cast<size_t>(s.heads) * P * d);
  c.kv.resize(kvh * 2 * P * d);
  for (auto* t : {&c.q, &c.kv}) {
    for (float& e : *t) e = ud(rng);
  }
  auto& img = c.ap.program.dram;
  std::memcpy(img.data() + c.ap.q_dram, c.q.data(), 4 * c.q.size());
  std::memcpy(img.data() + c.ap.kv_src_dram, c.kv.data(), 4 * c.kv.size());
  return c;
}

// Query row i of head h (KV head h / qpk) by the kernels on the values the cache holds.
std::vector<float> expected_contexts(const Case& c) {
  const AttentionShape& s = c.shape;
  const size_t d = s.head_dim, P = s.context, kvh = s.kv_heads, qpk = s.heads / s.kv_heads;
  const float inv = static_cast<float>(1.0 / std::sqrt(double(d)));
  std::vector<float> out(c.q.size()), kr(P * d), vr(P * d), sc;
  for (size_t g = 0; g < kvh; ++g) {
    for (size_t p = 0; p < P; ++p) {
      kv_store_load(std::span<const float>(c.kv).subspan((g * 2 * P + p) * d, d), s.kv,
                    std::span<float>(kr).subspan(p * d, d));
      kv_store_load(std::span<const float>(c.kv).subspan((g * 2 * P + P + p) * d, d), s.kv,
                    std::span<float>(vr).subspan(p * d, d));
    }
    for (size_t i = 0; i < P; ++i) {
      for (size_t h = 0; h < qpk; ++h) {
        const size_t row = (g * P + i) * qpk + h;
        const auto q = std::span<const float>(c.q).subspan(row * d, d);
        sc.assign(i + 1, 0.0f);
        for (size_t p = 0; p <= i; ++p)
          sc[p] = dot_f32(q, std::span<const float>(kr).subspan(p * d, d)) * inv;
        softmax_f32(sc);
        std::vector<float> ctx(d, 0.0f);
        context_accumulate_f32(sc, std::span<const float>(vr).subspan(0, (i + 1) * d), ctx);
        std::copy(ctx.begin(), ctx.end(), out.begin() + row * d);
      }
    }
  }
  return out;
}

void expect_contexts(const Case& c, const std::vector<uint8_t>& img, uint64_t seed) {
  const auto want = expected_contexts(c);
  std::vector<float> got(want.size());
  std::memcpy(got.data(), img.data() + c.ap.ctx_dram, 4 * got.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(std::bit_cast<uint32_t>(got[i]), std::bit_cast<uint32_t>(want[i]))
        << "element " << i << " seed " << seed;
  }
}

// K and V bytes a pass structure reads: every pass of rows r0 .. r1 - 1 reads positions 0 .. r1
// - 1.
uint64_t pass_read_bytes(const AttentionShape& s, int rows) {
  const uint64_t vb = s.kv.vector_bytes(s.head_dim);
  uint64_t positions = 0;
  for (int r0 = 0; r0 < s.context; r0 += rows) positions += std::min(s.context, r0 + rows);
  return 2 * positions * vb * s.kv_heads;
}

void run_case(int out_kib, const AttentionShape& s) {
  const HwConfig hw = config(out_kib);
  const uint64_t seed = test::test_seed("PrefillAttentionProgram", 20261206);
  Case c = make_case(hw, s, seed);
  const uint64_t vb = s.kv.vector_bytes(s.head_dim);
  ASSERT_LT(c.ap.query_rows, s.context) << "the case must split the query rows into passes";
  ASSERT_LT(c.ap.chunk_positions, s.context) << "and chunk the KV stream of the later passes";
  EXPECT_EQ(c.ap.kv_write_bytes, 2ull * s.context * vb * s.kv_heads);
  EXPECT_EQ(c.ap.kv_read_bytes, pass_read_bytes(s, c.ap.query_rows));
  auto acc = connect("sim", hw);
  const uint64_t cycles = acc->run(c.ap.program, {});
  const auto st = acc->stats();
  const uint64_t rows_bytes = 4ull * (c.q.size() + c.kv.size());
  EXPECT_EQ(st["load"]["dma"]["bytes"].get<uint64_t>(), c.ap.kv_read_bytes + rows_bytes);
  EXPECT_EQ(st["store"]["dma"]["bytes"].get<uint64_t>(), c.ap.kv_write_bytes + 4ull * c.q.size());
  expect_contexts(c, c.ap.program.dram, seed);
  // Every cached row is the kernels' store of its k / v row.
  std::vector<uint8_t> want(vb);
  for (size_t r = 0; r < static_cast<size_t>(s.kv_heads * s.context); ++r) {
    const size_t g = r / s.context, p = r % s.context;
    for (int value = 0; value < 2; ++value) {
      kv_store_vector(std::span<const float>(c.kv).subspan(
                          ((g * 2 + value) * s.context + p) * s.head_dim, s.head_dim),
                      s.kv, want.data());
      const uint64_t at = (value ? c.ap.v_dram : c.ap.k_dram) + r * vb;
      ASSERT_EQ(std::memcmp(c.ap.program.dram.data() + at, want.data(), vb), 0)
          << (value ? "v" : "k") << " row " << r;
    }
  }
  EXPECT_GE(cycles, st["vector"]["busy_cycles"].get<uint64_t>());
  std::printf("prefill attention: %llu cycles, %d query rows per pass, %d positions per chunk\n",
              static_cast<unsigned long long>(cycles), c.ap.query_rows, c.ap.chunk_positions);
  auto golden = connect("golden", hw);
  Case g = make_case(hw, s, seed);
  golden->run(g.ap.program, {});
  expect_contexts(g, g.ap.program.dram, seed);
}

// Each case splits the prompt's query rows into passes and the later passes' K / V into chunks.
TEST(PrefillAttentionProgram, Int8CacheTwoKvHeadsIsTheKernels) {
  run_case(64, {4, 2, 64, 300, {KvFormat::kInt8, 32}});
}

TEST(PrefillAttentionProgram, Int4CacheAFewRowsPerPassIsTheKernels) {
  run_case(16, {2, 1, 64, 150, {KvFormat::kInt4, 16}});
}

TEST(PrefillAttentionProgram, Fp16CacheWithGroupedQueriesIsTheKernels) {
  run_case(8, {4, 1, 32, 200, {}});
}

TEST(PrefillAttentionProgram, AnOutBufferTooSmallForOneRowNamesTheKey) {
  try {
    compile_prefill_attention(config(4), {32, 8, 128, 2048, {}});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("top.buffers.out.kib: 4 KiB", 0), 0u) << e.what();
  }
}

// The presets' shapes at the default and a large out buffer compile to encodable code or are
// refused with the key.
TEST(PrefillAttentionProgram, PresetShapesCompileToEncodableCode) {
  for (int kib : {64, 2048}) {
    for (const auto& [heads, kvh] : {std::pair{32, 32}, std::pair{32, 8}}) {
      const AttentionProgram ap =
          compile_prefill_attention(config(kib), {heads, kvh, 128, 512, {}});
      const auto bin = isa::to_binary(ap.program.code);
      EXPECT_EQ(isa::from_binary(bin, "p.lbp"), ap.program.code);
      EXPECT_GE(ap.query_rows, 1);
    }
  }
}

}  // namespace
}  // namespace lowbit
