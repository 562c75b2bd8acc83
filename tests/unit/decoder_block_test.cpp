// A decoder block's decode step: every vector op within its rule, the work counted, blocks chained,
// and the FP32 path close to the float64 reference of the whole block.
#include "model/kernels/decoder_block.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>

#include "model/kernels/decoder_block_reference.h"
#include "model/kernels/mpgemm.h"
#include "model/kernels/vector_ops.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

// RMSNorm gain 1 + N(0, 0.1^2).
std::vector<float> gain(int n, uint64_t seed) {
  std::vector<float> g = synth_gaussian(1, n, seed, 0.1f);
  for (float& v : g) v += 1.0f;
  return g;
}

struct SmallModel {
  DecodeStepSpec spec;
  std::vector<QuantizedWeights> w;
  std::vector<float> g1, g2, ga, gf;

  SmallModel(int heads, int kv_heads, int context, KvCacheSpec kv, ActFormat af) {
    spec.shape = {.hidden = 64, .ffn = 160, .heads = heads, .kv_heads = kv_heads, .head_dim = 16};
    spec.kv = kv;
    spec.context = context;
    spec.m = 2;
    spec.act_format = af;
    spec.kv_seed = 77;
    const int H = 64, F = 160, qd = heads * 16, kvd = kv_heads * 16;
    const int nk[7][2] = {{qd, H}, {kvd, H}, {kvd, H}, {H, qd}, {F, H}, {F, H}, {H, F}};
    for (int i = 0; i < 7; ++i) {
      const std::vector<float> f = synth_heavy_tailed(nk[i][0], nk[i][1], 100 + i, {4.0, 0.05f});
      w.push_back(quantize_weights(f, nk[i][0], nk[i][1], parse_weight_format("uint4"), 32));
    }
    g1 = gain(H, 5);
    g2 = gain(H, 6);
    spec.norm1_gain = &g1;
    spec.norm2_gain = &g2;
  }
  // BitNet b1.58's sub-layer norms: gains of the attention context's and the feed-forward
  // product's widths.
  void with_sub_norms() {
    spec.shape.sub_norms = true;
    ga = gain(spec.shape.heads * 16, 7);
    gf = gain(160, 8);
    spec.attn_sub_gain = &ga;
    spec.ffn_sub_gain = &gf;
  }
  LinearFn linear() const {
    return [this](BlockLinear l, const Activations& a) {
      return mpgemm_integer(a, w[static_cast<size_t>(l)]);
    };
  }
};

TEST(DecoderBlock, EveryVectorOpWithinItsRuleForEachKvFormat) {
  for (KvCacheSpec kv : {KvCacheSpec{KvFormat::kFp16, 0}, KvCacheSpec{KvFormat::kInt8, 0},
                         KvCacheSpec{KvFormat::kInt4, 8}}) {
    for (auto [heads, kvh] : {std::pair{4, 4}, std::pair{4, 2}, std::pair{4, 1}}) {
      SmallModel sm(heads, kvh, 37, kv, ActFormat::kInt8);
      const std::vector<float> x = synth_heavy_tailed(2, 64, 9);
      const DecodeStepResult r = decoder_decode_step(sm.spec, x, sm.linear());
      EXPECT_TRUE(r.check.ok()) << kv_format_name(kv.format) << " " << heads << "/" << kvh;
      for (int op = 0; op < kVectorOps; ++op) {
        if (static_cast<VectorOp>(op) == VectorOp::kRequant) continue;
        EXPECT_GT(r.check.checked[op], 0u) << vector_op_name(static_cast<VectorOp>(op));
        EXPECT_GT(r.check.worst_ratio[op], 0.0) << vector_op_name(static_cast<VectorOp>(op));
      }
      EXPECT_EQ(r.work.kv_read_bytes, 2u * kv_read_bytes_per_layer(kv, 37, kvh, 16));
      EXPECT_EQ(r.work.elements[static_cast<int>(VectorOp::kScores)], 2u * heads * 37 * 16);
      EXPECT_EQ(r.work.elements[static_cast<int>(VectorOp::kSoftmax)], 3u * 2 * heads * 37);
      EXPECT_EQ(r.work.invocations[static_cast<int>(VectorOp::kSoftmax)], 2u * heads);
      EXPECT_EQ(r.work.invocations[static_cast<int>(VectorOp::kRmsNorm)], 2u * 2);
      EXPECT_EQ(r.work.invocations[static_cast<int>(VectorOp::kRequant)], 4u * 2);
      EXPECT_EQ(r.out.size(), 2u * 64);
      // q, k and v read the same input; o reads the attention context requantized.
      EXPECT_EQ(r.linear_inputs[0].int8, r.linear_inputs[1].int8);
      EXPECT_EQ(r.linear_inputs[3].k, heads * 16);
    }
  }
}

TEST(DecoderBlock, Fp32PathIsCloseToTheFloat64BlockReference) {
  for (ActFormat af : {ActFormat::kInt8, ActFormat::kFp16}) {
    for (KvCacheSpec kv : {KvCacheSpec{KvFormat::kFp16, 0}, KvCacheSpec{KvFormat::kInt8, 0},
                           KvCacheSpec{KvFormat::kInt4, 8}}) {
      SmallModel sm(4, 2, 200, kv, af);
      const std::vector<float> x = synth_heavy_tailed(2, 64, 10);
      const DecodeStepResult r = decoder_decode_step(sm.spec, x, sm.linear());
      const std::vector<double> ref = decoder_decode_step_reference(sm.spec, x, sm.linear());
      const double e = decoder_rel_l2(r.out, ref);
      RecordProperty(fmt::format("rel_l2_{}_kv_{}", af == ActFormat::kInt8 ? "int8" : "fp16",
                                 kv_format_name(kv.format)),
                     fmt::format("{:.3g}", e));
      // Block rule (docs/decoder.md): one quantization step of the formats used.
      EXPECT_LE(e, decoder_block_rule(af, kv.format)) << static_cast<int>(af);
      EXPECT_GT(e, 0.0);
    }
  }
  EXPECT_EQ(decoder_block_rule(ActFormat::kFp16, KvFormat::kFp16), 0x1p-10);
  EXPECT_EQ(decoder_block_rule(ActFormat::kInt8, KvFormat::kFp16), 0x1p-7);
  EXPECT_EQ(decoder_block_rule(ActFormat::kFp16, KvFormat::kInt4), 0x1p-4);
}

TEST(DecoderBlock, ChainedBlocksSeeDifferentInputsAndTheCacheMatters) {
  SmallModel sm(4, 2, 50, {KvFormat::kInt8, 16}, ActFormat::kInt8);
  const std::vector<float> x = synth_heavy_tailed(2, 64, 11);
  const DecodeStepResult b0 = decoder_decode_step(sm.spec, x, sm.linear());
  const DecodeStepResult b1 = decoder_decode_step(sm.spec, b0.out, sm.linear());
  EXPECT_NE(b0.linear_inputs[0].int8, b1.linear_inputs[0].int8);
  EXPECT_NE(b0.out, b1.out);
  DecodeStepSpec other = sm.spec;
  other.kv_seed = 78;
  EXPECT_NE(decoder_decode_step(other, x, sm.linear()).attention, b0.attention);
  other = sm.spec;
  other.context = 51;
  EXPECT_NE(decoder_decode_step(other, x, sm.linear()).attention, b0.attention);
  // Deterministic.
  EXPECT_EQ(decoder_decode_step(sm.spec, x, sm.linear()).out, b0.out);
}

TEST(DecoderBlock, ContextOneAttendsOnlyToItself) {
  SmallModel s4(4, 4, 1, {KvFormat::kFp16, 0}, ActFormat::kInt8);
  const std::vector<float> x = synth_heavy_tailed(2, 64, 12);
  const DecodeStepResult r = decoder_decode_step(s4.spec, x, s4.linear());
  // Softmax over one position is 1: the context is the new token's v as stored (FP16).
  const std::vector<float>& v = r.linear_outputs[2];
  for (size_t i = 0; i < v.size(); ++i) {
    std::vector<float> one = {v[i]}, back(1);
    kv_store_load(one, {KvFormat::kFp16, 0}, back);
    EXPECT_EQ(r.attention[i], back[0]) << i;
  }
}

TEST(DecoderBlock, PrecheckedThreadedGemmIsBitIdenticalToTheIntegerKernel) {
  SmallModel sm(4, 2, 5, {KvFormat::kFp16, 0}, ActFormat::kInt8);
  const std::vector<float> x = synth_heavy_tailed(3, 64, 13);
  for (ActFormat af : {ActFormat::kInt8, ActFormat::kFp16}) {
    const Activations a = requantize(x, 3, 64, af);
    for (const QuantizedWeights& w : sm.w) {
      if (w.k != 64) continue;
      const std::vector<float> ref = mpgemm_integer(a, w);
      for (int t : {1, 2, 3, 8}) EXPECT_EQ(mpgemm_integer_prechecked(a, w, t), ref) << t;
    }
  }
  const Activations bad = requantize(std::vector<float>(3 * 32, 1.0f), 3, 32, ActFormat::kInt8);
  EXPECT_THROW(mpgemm_integer_prechecked(bad, sm.w[0], 2), std::invalid_argument);
}

// A prefill of M prompt rows: causal attention among them from an empty cache.
TEST(DecoderBlock, PrefillEveryVectorOpWithinItsRuleAndTheWorkIsCausal) {
  for (KvCacheSpec kv : {KvCacheSpec{KvFormat::kFp16, 0}, KvCacheSpec{KvFormat::kInt4, 8}}) {
    for (auto [heads, kvh] : {std::pair{4, 4}, std::pair{4, 1}}) {
      SmallModel sm(heads, kvh, 9, kv, ActFormat::kInt8);
      sm.spec.m = 9;
      sm.spec.prefill = true;
      const std::vector<float> x = synth_heavy_tailed(9, 64, 20);
      const DecodeStepResult r = decoder_decode_step(sm.spec, x, sm.linear());
      EXPECT_TRUE(r.check.ok()) << kv_format_name(kv.format) << " " << heads << "/" << kvh;
      // Row i attends i + 1 positions: sum over the rows = 9 x 10 / 2 = 45 per head.
      EXPECT_EQ(r.work.elements[static_cast<int>(VectorOp::kScores)], 45u * heads * 16);
      EXPECT_EQ(r.work.elements[static_cast<int>(VectorOp::kSoftmax)], 3u * 45 * heads);
      EXPECT_EQ(r.work.invocations[static_cast<int>(VectorOp::kContext)], 9u * heads);
      // The prompt's cache is written once and read back once per layer.
      EXPECT_EQ(r.work.kv_read_bytes, kv_read_bytes_per_layer(kv, 9, kvh, 16));
      EXPECT_EQ(r.work.kv_write_bytes, 9u * kv_write_bytes_per_layer(kv, kvh, 16));
      const std::vector<double> ref = decoder_decode_step_reference(sm.spec, x, sm.linear());
      EXPECT_LE(decoder_rel_l2(r.out, ref), decoder_block_rule(ActFormat::kInt8, kv.format));
      EXPECT_GT(decoder_rel_l2(r.out, ref), 0.0);
    }
  }
}

TEST(DecoderBlock, PrefillRowsDoNotSeeLaterRows) {
  SmallModel sm(4, 2, 6, {KvFormat::kFp16, 0}, ActFormat::kInt8);
  sm.spec.m = 6;
  sm.spec.prefill = true;
  std::vector<float> x = synth_heavy_tailed(6, 64, 21);
  const DecodeStepResult a = decoder_decode_step(sm.spec, x, sm.linear());
  for (int c = 0; c < 64; ++c) x[5 * 64 + c] = -2.0f * x[5 * 64 + c] + 0.5f;  // change the last row
  const DecodeStepResult b = decoder_decode_step(sm.spec, x, sm.linear());
  const size_t w = 4 * 16;
  EXPECT_TRUE(std::equal(a.attention.begin(), a.attention.begin() + 5 * w, b.attention.begin()));
  EXPECT_FALSE(
      std::equal(a.attention.begin() + 5 * w, a.attention.end(), b.attention.begin() + 5 * w));
  EXPECT_TRUE(std::equal(a.out.begin(), a.out.begin() + 5 * 64, b.out.begin()));
  // Row 0 attends only itself: its context is its own v as stored (FP16), per KV head.
  const std::vector<float>& v = a.linear_outputs[2];
  for (int h = 0; h < 4; ++h) {
    for (int c = 0; c < 16; ++c) {
      std::vector<float> one = {v[static_cast<size_t>(h / 2) * 16 + c]}, back(1);
      kv_store_load(one, {KvFormat::kFp16, 0}, back);
      EXPECT_EQ(a.attention[static_cast<size_t>(h) * 16 + c], back[0]) << h << " " << c;
    }
  }
  // A different prompt position changes the rotation: the same rows as a decode batch differ.
  DecodeStepSpec dec = sm.spec;
  dec.prefill = false;
  dec.context = 6;
  EXPECT_NE(decoder_decode_step(dec, x, sm.linear()).attention, b.attention);
  // The prompt is the context.
  DecodeStepSpec bad = sm.spec;
  bad.context = 7;
  EXPECT_THROW(decoder_decode_step(bad, x, sm.linear()), std::invalid_argument);
  EXPECT_THROW(decoder_decode_step_reference(bad, x, sm.linear()), std::invalid_argument);
}

TEST(DecoderBlock, ReferenceAlignsOneStepCodesAndCountsFarOnes) {
  SmallModel sm(4, 2, 8, {KvFormat::kFp16, 0}, ActFormat::kInt8);
  sm.spec.m = 8;
  sm.spec.prefill = true;
  const std::vector<float> x = synth_heavy_tailed(8, 64, 22);
  const DecodeStepResult r = decoder_decode_step(sm.spec, x, sm.linear());
  ReferenceFlips f;
  const std::vector<double> ref =
      decoder_decode_step_reference(sm.spec, x, sm.linear(), &r.linear_inputs, &f);
  EXPECT_EQ(f.far, 0u);
  EXPECT_EQ(f.codes, 8u * (5 * 64 + 64 + 160));
  EXPECT_LE(decoder_rel_l2(r.out, ref), 1e-5);
  // The FP32 path's o input one step off in one code (aligned), then three steps off (a failure).
  std::array<Activations, kBlockLinears> moved = r.linear_inputs;
  int8_t& c = moved[3].int8[5];
  c = static_cast<int8_t>(c > 0 ? c - 1 : c + 1);
  ReferenceFlips f1;
  decoder_decode_step_reference(sm.spec, x, sm.linear(), &moved, &f1);
  EXPECT_EQ(f1.one_step, f.one_step + 1);
  EXPECT_EQ(f1.far, 0u);
  c = static_cast<int8_t>(c > 0 ? c - 2 : c + 2);
  ReferenceFlips f3;
  decoder_decode_step_reference(sm.spec, x, sm.linear(), &moved, &f3);
  EXPECT_EQ(f3.far, 1u);
  // FP16 activations: within 2^-10 of the row's largest magnitude aligned, a real change far.
  SmallModel s16(4, 2, 8, {KvFormat::kFp16, 0}, ActFormat::kFp16);
  s16.spec.m = 8;
  s16.spec.prefill = true;
  const DecodeStepResult r16 = decoder_decode_step(s16.spec, x, s16.linear());
  ReferenceFlips g0;
  decoder_decode_step_reference(s16.spec, x, s16.linear(), &r16.linear_inputs, &g0);
  EXPECT_EQ(g0.far, 0u);
  std::array<Activations, kBlockLinears> m16 = r16.linear_inputs;
  m16[6].fp16[7] = static_cast<uint16_t>(m16[6].fp16[7] ^ 0x8000);  // sign flip
  m16[6].fp16[9] = static_cast<uint16_t>(m16[6].fp16[9] + 0x400);   // twice the value
  ReferenceFlips g;
  decoder_decode_step_reference(s16.spec, x, s16.linear(), &m16, &g);
  EXPECT_EQ(g.far, g0.far + 2);
}

void expect_same_work(const BlockWork& a, const BlockWork& b) {
  for (int op = 0; op < kVectorOps; ++op) {
    EXPECT_EQ(a.elements[op], b.elements[op]) << vector_op_name(static_cast<VectorOp>(op));
    EXPECT_EQ(a.invocations[op], b.invocations[op]) << vector_op_name(static_cast<VectorOp>(op));
  }
  EXPECT_EQ(a.kv_read_bytes, b.kv_read_bytes);
  EXPECT_EQ(a.kv_write_bytes, b.kv_write_bytes);
}

TEST(DecoderBlock, WorkByFormulaIsWhatTheStepCounts) {
  for (KvCacheSpec kv : {KvCacheSpec{KvFormat::kFp16, 0}, KvCacheSpec{KvFormat::kInt4, 8}}) {
    for (bool prefill : {false, true}) {
      SmallModel sm(4, 2, prefill ? 7 : 33, kv, ActFormat::kInt8);
      sm.spec.m = prefill ? 7 : 2;
      sm.spec.prefill = prefill;
      sm.spec.check = false;
      const std::vector<float> x = synth_heavy_tailed(sm.spec.m, 64, 23);
      expect_same_work(decoder_block_work(sm.spec),
                       decoder_decode_step(sm.spec, x, sm.linear()).work);
    }
  }
  DecodeStepSpec bad;
  EXPECT_THROW(decoder_block_work(bad), std::invalid_argument);
}

// BitNet b1.58 2B4T's squared ReLU: down reads relu(gate)^2 x up requantized, every product checked
// against float64 by its rule, the float64 block reference has it too, the work is SiLU's.
TEST(DecoderBlock, SquaredReluGateIsWhatDownReads) {
  SmallModel silu(4, 2, 40, {KvFormat::kFp16, 0}, ActFormat::kInt8);
  silu.spec.m = 2;
  SmallModel relu2 = silu;
  relu2.spec.shape.ffn_act = GateAct::kRelu2;
  const std::vector<float> x = synth_heavy_tailed(silu.spec.m, 64, 31);
  const DecodeStepResult a = decoder_decode_step(silu.spec, x, silu.linear());
  const DecodeStepResult b = decoder_decode_step(relu2.spec, x, relu2.linear());
  EXPECT_TRUE(b.check.ok());
  EXPECT_GT(b.check.checked[static_cast<int>(VectorOp::kSiluGate)], 0u);
  // gate and up are the same linear outputs; down's input is relu(gate)^2 x up, requantized.
  EXPECT_EQ(a.linear_inputs[4].int8, b.linear_inputs[4].int8);
  std::vector<float> gate(b.linear_outputs[4]), up(b.linear_outputs[5]), act(gate.size());
  relu2_gate_f32(gate, up, act);
  const Activations want = requantize(act, silu.spec.m, 160, ActFormat::kInt8);
  EXPECT_EQ(b.linear_inputs[6].int8, want.int8);
  EXPECT_NE(a.linear_inputs[6].int8, b.linear_inputs[6].int8);
  expect_same_work(a.work, b.work);
  const std::vector<double> ref = decoder_decode_step_reference(relu2.spec, x, relu2.linear());
  EXPECT_LE(decoder_rel_l2(b.out, ref), decoder_block_rule(ActFormat::kInt8, KvFormat::kFp16));
  const std::vector<double> ref_silu = decoder_decode_step_reference(silu.spec, x, silu.linear());
  EXPECT_GT(decoder_rel_l2(b.out, ref_silu), decoder_block_rule(ActFormat::kInt8, KvFormat::kFp16));
}

TEST(DecoderBlock, SubLayerNormsNormalizeWhatOAndDownRead) {
  for (bool prefill : {false, true}) {
    SmallModel plain(4, 2, prefill ? 5 : 40, {KvFormat::kInt8, 0}, ActFormat::kInt8);
    plain.spec.m = prefill ? 5 : 2;
    plain.spec.prefill = prefill;
    SmallModel sub = plain;
    sub.with_sub_norms();
    sub.spec.norm1_gain = &sub.g1;
    sub.spec.norm2_gain = &sub.g2;
    const std::vector<float> x = synth_heavy_tailed(plain.spec.m, 64, 24);
    const DecodeStepResult a = decoder_decode_step(plain.spec, x, plain.linear());
    const DecodeStepResult b = decoder_decode_step(sub.spec, x, sub.linear());
    EXPECT_TRUE(b.check.ok());
    // Same attention context; o reads it normalized: RMSNorm(ctx, ga) requantized, exactly.
    EXPECT_EQ(a.attention, b.attention);
    const size_t qd = 4 * 16;
    std::vector<float> normed(b.attention.size());
    for (int r = 0; r < plain.spec.m; ++r) {
      rmsnorm_f32({b.attention.data() + r * qd, qd}, sub.ga, plain.spec.shape.norm_eps,
                  {normed.data() + r * qd, qd});
    }
    const Activations want =
        requantize(normed, plain.spec.m, static_cast<int>(qd), ActFormat::kInt8);
    EXPECT_EQ(b.linear_inputs[3].int8, want.int8);
    EXPECT_EQ(b.linear_inputs[3].row_scales, want.row_scales);
    EXPECT_NE(a.linear_inputs[3].int8, b.linear_inputs[3].int8);
    EXPECT_NE(a.linear_inputs[6].int8, b.linear_inputs[6].int8);
    // Two more RMSNorm passes per row, over heads x head_dim and ffn; the formula agrees.
    const int norm = static_cast<int>(VectorOp::kRmsNorm);
    EXPECT_EQ(b.work.elements[norm] - a.work.elements[norm], 2u * plain.spec.m * (qd + 160));
    EXPECT_EQ(b.work.invocations[norm], 2 * a.work.invocations[norm]);
    sub.spec.check = false;
    expect_same_work(decoder_block_work(sub.spec),
                     decoder_decode_step(sub.spec, x, sub.linear()).work);
    // The float64 block reference has them too and stays within the block rule.
    sub.spec.check = true;
    const std::vector<double> ref = decoder_decode_step_reference(sub.spec, x, sub.linear());
    EXPECT_LE(decoder_rel_l2(b.out, ref), decoder_block_rule(ActFormat::kInt8, KvFormat::kInt8));
    const std::vector<double> ref_plain =
        decoder_decode_step_reference(plain.spec, x, plain.linear());
    EXPECT_GT(decoder_rel_l2(b.out, ref_plain),
              decoder_block_rule(ActFormat::kInt8, KvFormat::kInt8));
    // Missing or mis-sized sub-norm gains are a shape error.
    DecodeStepSpec bad = sub.spec;
    bad.ffn_sub_gain = &sub.g1;
    EXPECT_FALSE(decoder_gains_fit(bad));
    EXPECT_THROW(decoder_decode_step(bad, x, sub.linear()), std::invalid_argument);
  }
}

// The row generator (vectorized clones on x86-64) is the element definition, bit for bit, for
// head widths with and without a vector remainder and positions past 2^20.
TEST(DecoderBlock, SynthesizedKvRowIsTheElementDefinition) {
  const uint64_t seed = test::test_seed("SynthesizedKvRow");
  std::mt19937_64 rng(seed);
  for (const size_t d : {size_t{1}, size_t{3}, size_t{17}, size_t{64}, size_t{80}, size_t{100},
                         size_t{128}, size_t{256}}) {
    std::vector<float> row(d);
    for (int trial = 0; trial < 200; ++trial) {
      const uint64_t s = rng();
      const int b = static_cast<int>(rng() % 64), hk = static_cast<int>(rng() % 64);
      const size_t p = rng() % (size_t{1} << 22);
      const bool value = (rng() & 1) != 0;
      synthesized_kv_row(s, b, hk, p, value, row);
      for (size_t e = 0; e < d; ++e) {
        const float want = synthesized_kv(s, b, hk, p, e, d, value);
        ASSERT_EQ(std::bit_cast<uint32_t>(row[e]), std::bit_cast<uint32_t>(want))
            << "d " << d << " element " << e << " position " << p << " value " << value;
      }
    }
  }
}

TEST(DecoderBlock, BadShapesThrow) {
  SmallModel sm(4, 3, 5, {KvFormat::kFp16, 0}, ActFormat::kInt8);
  EXPECT_THROW(decoder_decode_step(sm.spec, std::vector<float>(128), sm.linear()),
               std::invalid_argument);
}

}  // namespace
}  // namespace lowbit
