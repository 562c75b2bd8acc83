// The CPU reference of a whole decoder block (host/lib/backends/cpu/cpu_decoder.h): its stored KV
// cache reads back as kv_store_load, its output is within the block rule of the float64 block
// reference (decode, GQA, prefill; every KV format; 1 and 2 threads) and its linear layers match
// golden by their kernels' rules; a broken block fails the rule; the class times add up.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "host/lib/backends/cpu/cpu_decoder.h"
#include "model/kernels/decoder_block_reference.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/act_quant.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

uint64_t seed() {
  static const uint64_t s = test::test_seed("host_cpu_decoder_test", 20261204);
  return s;
}

struct Model {
  DecodeStepSpec spec;
  std::vector<QuantizedWeights> w;
  std::vector<float> g1, g2, ga, gf;
  Model(int heads, int kv_heads, int context, int m, bool prefill, KvCacheSpec kv, ActFormat af,
        bool sub_norms = false) {
    spec.shape = {.hidden = 64, .ffn = 160, .heads = heads, .kv_heads = kv_heads, .head_dim = 16};
    spec.kv = kv;
    spec.context = prefill ? m : context;
    spec.m = m;
    spec.prefill = prefill;
    spec.act_format = af;
    spec.kv_seed = seed() ^ 0x4B56;
    const int H = 64, F = 160, qd = heads * 16, kvd = kv_heads * 16;
    const int nk[7][2] = {{qd, H}, {kvd, H}, {kvd, H}, {H, qd}, {F, H}, {F, H}, {H, F}};
    for (int i = 0; i < 7; ++i) {
      const std::vector<float> f =
          synth_heavy_tailed(nk[i][0], nk[i][1], seed() + 100 + i, {4.0, 0.05f});
      w.push_back(quantize_weights(f, nk[i][0], nk[i][1], parse_weight_format("uint4"), 32));
    }
    // RMSNorm gains 1 + N(0, 0.1^2).
    const auto gain = [](int n, uint64_t s) {
      std::vector<float> g = synth_gaussian(1, n, s, 0.1f);
      for (float& v : g) v += 1.0f;
      return g;
    };
    g1 = gain(H, seed() + 5);
    g2 = gain(H, seed() + 6);
    spec.norm1_gain = &g1;
    spec.norm2_gain = &g2;
    if (sub_norms) {  // BitNet b1.58's sub-layer norms
      spec.shape.sub_norms = true;
      ga = gain(qd, seed() + 7);
      gf = gain(F, seed() + 8);
      spec.attn_sub_gain = &ga;
      spec.ffn_sub_gain = &gf;
    }
  }
  std::array<const QuantizedWeights*, kBlockLinears> weights() const {
    std::array<const QuantizedWeights*, kBlockLinears> p{};
    for (int i = 0; i < kBlockLinears; ++i) p[i] = &w[i];
    return p;
  }
  LinearFn golden() const {
    return [this](BlockLinear l, const Activations& a) {
      return mpgemm_integer(a, w[static_cast<size_t>(l)]);
    };
  }
};

TEST(CpuDecoder, StoredKvCacheReadsBackAsKvStoreLoad) {
  fmt::print("seed {} (LOWBIT_SEED replays)\n", seed());
  std::mt19937_64 rng(seed());
  std::normal_distribution<float> n(0.0f, 1.0f);
  for (KvCacheSpec kv : {KvCacheSpec{KvFormat::kFp16, 0}, KvCacheSpec{KvFormat::kInt8, 0},
                         KvCacheSpec{KvFormat::kInt8, 8}, KvCacheSpec{KvFormat::kInt4, 0},
                         KvCacheSpec{KvFormat::kInt4, 4}}) {
    CpuKvCache c(kv, 3, 16, 5);
    std::vector<std::vector<float>> want;
    for (int p = 0; p < 5; ++p) {
      std::vector<float> x(16);
      for (float& v : x) v = n(rng) * (p == 2 ? 1e-3f : 3.0f);
      if (p == 4) std::fill(x.begin(), x.end(), 0.0f);  // an all-zero vector (scale 1)
      c.store(true, 1, p, x);
      std::vector<float> o(16);
      kv_store_load(x, kv, o);
      want.push_back(o);
    }
    std::vector<float> got(5 * 16);
    c.load(true, 1, 5, got.data());
    for (int p = 0; p < 5; ++p) {
      for (int i = 0; i < 16; ++i) {
        // Equal in value, and bit for bit but for the sign of zero: kv_store_load's code is an
        // FP32 rne(x / s) that can be -0, a stored INT code cannot.
        const bool same = want[p][i] == 0.0f ? got[p * 16 + i] == 0.0f
                                             : std::memcmp(&got[p * 16 + i], &want[p][i], 4) == 0;
        EXPECT_TRUE(same) << kv_format_name(kv.format) << " group " << kv.group << " p " << p
                          << " i " << i << ": " << got[p * 16 + i] << " vs " << want[p][i];
      }
    }
    EXPECT_EQ(c.bytes(), 2u * 3 * 5 * kv.vector_bytes(16));
  }
  EXPECT_THROW(CpuKvCache(KvCacheSpec{KvFormat::kInt8, 5}, 1, 16, 1), std::invalid_argument);
}

// The block against the float64 reference for every phase, attention shape, KV format, activation
// format and kernel, at 1 and 2 threads.
TEST(CpuDecoder, BlockWithinTheFloat64BlockRule) {
  struct Case {
    int heads, kv_heads, context, m;
    bool prefill;
    KvCacheSpec kv;
    ActFormat af;
    CpuKernel kernel;
    bool sub_norms = false;
  };
  const Case cases[] = {
      {4, 2, 37, 1, false, {KvFormat::kFp16, 0}, ActFormat::kInt8, CpuKernel::kSgemm, true},
      {4, 2, 0, 5, true, {KvFormat::kInt8, 0}, ActFormat::kInt8, CpuKernel::kSgemm, true},
      {4, 4, 37, 1, false, {KvFormat::kFp16, 0}, ActFormat::kInt8, CpuKernel::kTmac},
      {4, 2, 37, 2, false, {KvFormat::kInt8, 0}, ActFormat::kInt8, CpuKernel::kSgemm},
      {4, 1, 64, 1, false, {KvFormat::kInt4, 8}, ActFormat::kInt8, CpuKernel::kOnednnInt8},
      {4, 2, 1, 1, false, {KvFormat::kFp16, 0}, ActFormat::kFp16, CpuKernel::kSgemm},
      {4, 2, 0, 9, true, {KvFormat::kFp16, 0}, ActFormat::kInt8, CpuKernel::kTmac},
      {4, 4, 0, 6, true, {KvFormat::kInt8, 4}, ActFormat::kFp16, CpuKernel::kSgemm},
  };
  for (const Case& c : cases) {
    const Model md(c.heads, c.kv_heads, c.context, c.m, c.prefill, c.kv, c.af, c.sub_norms);
    const std::string what =
        fmt::format("{} heads {}/{} L {} m {} kv {} act {} kernel {}{}",
                    c.prefill ? "prefill" : "decode", c.heads, c.kv_heads, c.context, c.m,
                    kv_format_name(c.kv.format), c.af == ActFormat::kFp16 ? "fp16" : "int8",
                    cpu_kernel_name(c.kernel), c.sub_norms ? " sub-norms" : "");
    std::array<CpuKernel, kBlockLinears> kinds;
    kinds.fill(c.kernel);
    if (!cpu_kernel_supports(c.kernel, md.w[0], c.af)) {
      GTEST_LOG_(INFO) << "skipped (kernel unavailable here): " << what;
      continue;
    }
    CpuDecoderBlock blk(md.spec, md.weights(), kinds);
    blk.load_past(md.spec.kv_seed);
    const std::vector<float> x = synth_heavy_tailed(c.m, 64, seed() + 9);
    for (int threads : {1, 2}) {
      const CpuDecoderBlock::Step st = blk.run(x, threads);
      ASSERT_EQ(st.out.size(), x.size()) << what;
      ReferenceFlips flips;
      const std::vector<double> ref =
          decoder_decode_step_reference(md.spec, x, md.golden(), &st.linear_inputs, &flips);
      const double e = decoder_rel_l2(st.out, ref);
      const double rule = decoder_block_rule(c.af, c.kv.format);
      EXPECT_LE(e, rule) << what << " threads " << threads;
      EXPECT_EQ(flips.far, 0u) << what;
      // FP32 in another order with libm's expf: far inside the quantization-step rule.
      EXPECT_LT(e, 1e-4) << what;
      for (int i = 0; i < kBlockLinears; ++i) {
        const std::vector<float> g = mpgemm_integer(st.linear_inputs[i], md.w[i]);
        const std::vector<double> bound =
            blk.kernel(static_cast<BlockLinear>(i)).error_bound(st.linear_inputs[i]);
        for (size_t j = 0; j < g.size(); ++j) {
          if (bound.empty()) {
            ASSERT_EQ(st.linear_outputs[i][j], g[j]) << what << " layer " << i;
          } else {
            ASSERT_LE(std::fabs(st.linear_outputs[i][j] - g[j]), bound[j]) << what;
          }
        }
      }
      EXPECT_GT(st.seconds.linear, 0.0) << what;
      EXPECT_GT(st.seconds.attention_matmuls, 0.0) << what;
      EXPECT_GT(st.seconds.kv_traffic, 0.0) << what;
      EXPECT_GT(st.seconds.nonlinear, 0.0) << what;
    }
  }
}

// The rule detects a wrong block: the reference of another KV cache, or a block whose attention is
// skipped (context from a cache of other values), is outside the rule.
TEST(CpuDecoder, TheRuleRejectsAWrongBlock) {
  const Model md(4, 2, 64, 1, false, {KvFormat::kFp16, 0}, ActFormat::kInt8);
  std::array<CpuKernel, kBlockLinears> kinds;
  kinds.fill(CpuKernel::kSgemm);
  CpuDecoderBlock blk(md.spec, md.weights(), kinds);
  blk.load_past(md.spec.kv_seed + 1);  // not the cache the reference attends
  const std::vector<float> x = synth_heavy_tailed(1, 64, seed() + 9);
  const CpuDecoderBlock::Step st = blk.run(x, 1);
  ReferenceFlips flips;
  const std::vector<double> ref =
      decoder_decode_step_reference(md.spec, x, md.golden(), &st.linear_inputs, &flips);
  EXPECT_GT(decoder_rel_l2(st.out, ref), decoder_block_rule(ActFormat::kInt8, KvFormat::kFp16));
}

TEST(CpuDecoder, SoftmaxAndSiluAreTheFunctions) {
  std::vector<float> x = {1.0f, 2.0f, -3.0f, 0.5f};
  std::vector<double> e(4);
  double s = 0;
  for (int i = 0; i < 4; ++i) s += e[i] = std::exp(static_cast<double>(x[i]) - 2.0);
  cpu_softmax(x.data(), 4);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(x[i], e[i] / s, 4e-7);
  const float g[2] = {-1.5f, 2.0f}, u[2] = {3.0f, -0.5f};
  float y[2];
  cpu_silu_gate(g, u, y, 2);
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(y[i], g[i] / (1 + std::exp(-static_cast<double>(g[i]))) * u[i], 1e-6);
  }
}

TEST(CpuDecoder, BadShapesAreRefused) {
  Model md(4, 2, 8, 1, false, {KvFormat::kFp16, 0}, ActFormat::kInt8);
  std::array<CpuKernel, kBlockLinears> kinds;
  kinds.fill(CpuKernel::kSgemm);
  auto w = md.weights();
  w[1] = &md.w[0];  // k_proj given q_proj's 64 x 64 weights instead of 32 x 64
  EXPECT_THROW(CpuDecoderBlock(md.spec, w, kinds), std::invalid_argument);
  CpuDecoderBlock ok(md.spec, md.weights(), kinds);
  EXPECT_THROW(ok.run(std::vector<float>(63), 1), std::invalid_argument);
  EXPECT_THROW(ok.run(std::vector<float>(64), 0), std::invalid_argument);
}

}  // namespace
}  // namespace lowbit
