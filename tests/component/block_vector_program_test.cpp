// compile_block_vector_ops (host/lib/accel/block_vector_compiler.cpp) on the sim backend and the
// golden interpreter: every stored row (the four requantized activations, rotated q and k, h and
// the block output) equals the FP32 kernels and quantizers bit for bit; each operator's cycles on
// the vector unit are the operator-level formula (SiLU x gate: plus one latency per extra chunk of
// up); the DMA moves exactly the program's input and output bytes.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstring>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "lowbit/accelerator.h"
#include "lowbit/block_vector_compiler.h"
#include "lowbit/error.h"
#include "model/arch/vector_timing.h"
#include "model/isa/isa.h"
#include "model/kernels/decoder_block.h"
#include "model/kernels/vector_ops.h"
#include "tests/lib/test_seed.h"

extern "C" int sc_main(int, char**) { return 1; }  // libsystemc wants it; gtest_main is main()

namespace lowbit {
namespace {

HwConfig config(int out_kib) {
  nlohmann::json j = {{"name", "block_vector_test"},
                      {"core", "mixpe"},
                      {"mixpe", {{"rows", 8}, {"cols", 8}, {"fp16", true}}},
                      {"top", {{"clock_mhz", 1000}, {"buffers", {{"out", {{"kib", out_kib}}}}}}}};
  return hw_config_from_json(j, "block_vector_test");
}

// hidden 256, 4 query heads and 2 KV heads of 64, ffn 1536: at an 8 KiB out buffer the gate row
// (6 KiB) leaves two 1 KiB halves for up, so SiLU x gate runs in 6 chunks of 256.
constexpr int kH = 256, kF = 1536, kHeads = 4, kKvHeads = 2, kD = 64, kPos = 5;

struct Case {
  BlockVectorShape shape;
  BlockVectorProgram bp;
  std::vector<float> x, g1, q, k, att, o, g2, gate, up, down, cos_t, sin_t;
  std::vector<float> ga, gf;  // sub-layer norm gains (BitNet), with shape.sub_norms
};

Case make_case(const HwConfig& hw, const BlockVectorShape& shape, uint64_t seed) {
  Case c;
  c.shape = shape;
  c.bp = compile_block_vector_ops(hw, c.shape);
  const size_t kH = static_cast<size_t>(shape.hidden), kF = static_cast<size_t>(shape.ffn);
  const size_t kD = static_cast<size_t>(shape.head_dim);
  const size_t kHeads = static_cast<size_t>(shape.heads);
  const size_t kKvHeads = static_cast<size_t>(shape.kv_heads);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  const auto fill = [&](std::vector<float>& v, size_t n, float scale, float offset) {
    v.resize(n);
    for (float& e : v) e = offset + scale * nd(rng);
  };
  fill(c.x, kH, 1, 0);
  fill(c.g1, kH, 0.1f, 1);
  fill(c.q, kHeads * kD, 1, 0);
  fill(c.k, kKvHeads * kD, 1, 0);
  fill(c.att, kHeads * kD, 0.5f, 0);
  fill(c.o, kH, 2, 0);
  fill(c.g2, kH, 0.1f, 1);
  fill(c.gate, kF, 3, 0);
  fill(c.up, kF, 1, 0);
  fill(c.down, kH, 2, 0);
  rotary_table(kPos, shape.head_dim, 10000.0, c.cos_t, c.sin_t);
  auto& img = c.bp.program.dram;
  const auto put = [&](uint64_t at, const std::vector<float>& v) {
    std::memcpy(img.data() + at, v.data(), 4 * v.size());
  };
  put(c.bp.x_dram, c.x);
  put(c.bp.gain1_dram, c.g1);
  put(c.bp.q_dram, c.q);
  put(c.bp.k_dram, c.k);
  put(c.bp.rotary_dram, c.cos_t);
  put(c.bp.rotary_dram + 4 * kD / 2, c.sin_t);
  put(c.bp.attention_dram, c.att);
  put(c.bp.o_dram, c.o);
  put(c.bp.gain2_dram, c.g2);
  put(c.bp.gate_dram, c.gate);
  put(c.bp.up_dram, c.up);
  put(c.bp.down_dram, c.down);
  if (shape.sub_norms) {
    fill(c.ga, kHeads * kD, 0.1f, 1);
    fill(c.gf, kF, 0.1f, 1);
    put(c.bp.attn_sub_gain_dram, c.ga);
    put(c.bp.ffn_sub_gain_dram, c.gf);
  }
  return c;
}

void expect_floats(const std::vector<uint8_t>& img, uint64_t at, const std::vector<float>& want,
                   const char* what, uint64_t seed) {
  for (size_t i = 0; i < want.size(); ++i) {
    float got;
    std::memcpy(&got, img.data() + at + 4 * i, 4);
    ASSERT_EQ(std::bit_cast<uint32_t>(got), std::bit_cast<uint32_t>(want[i]))
        << what << " element " << i << " seed " << seed;
  }
}

void expect_requant(const std::vector<uint8_t>& img, const RequantRegion& r,
                    const std::vector<float>& row, ActFormat f, const char* what, uint64_t seed) {
  const Activations a = requantize(row, 1, static_cast<int>(row.size()), f);
  if (f == ActFormat::kFp16) {
    ASSERT_EQ(std::memcmp(img.data() + r.codes, a.fp16.data(), 2 * row.size()), 0)
        << what << " seed " << seed;
  } else {
    ASSERT_EQ(std::memcmp(img.data() + r.codes, a.int8.data(), row.size()), 0)
        << what << " seed " << seed;
    float scale;
    std::memcpy(&scale, img.data() + r.scale, 4);
    ASSERT_EQ(std::bit_cast<uint32_t>(scale), std::bit_cast<uint32_t>(a.row_scales[0]))
        << what << " scale, seed " << seed;
  }
}

// The block's operators on the host by the kernels, compared with every stored row.
void expect_results(const Case& c, const std::vector<uint8_t>& img, uint64_t seed) {
  const ActFormat f = c.shape.act_format;
  const size_t kH = static_cast<size_t>(c.shape.hidden), kF = static_cast<size_t>(c.shape.ffn);
  const size_t kD = static_cast<size_t>(c.shape.head_dim);
  std::vector<float> n1(kH), h(kH), n2(kH), act(kF), out(kH);
  rmsnorm_f32(c.x, c.g1, 1e-5f, n1);
  expect_requant(img, c.bp.a_qkv, n1, f, "a_qkv", seed);
  std::vector<float> qk = c.q;
  qk.insert(qk.end(), c.k.begin(), c.k.end());
  for (size_t i = 0; i < qk.size() / kD; ++i) {
    rotary_f32(std::span<float>(qk).subspan(i * kD, kD), c.cos_t, c.sin_t);
  }
  expect_floats(img, c.bp.qk_rot_dram, qk, "rotated q, k", seed);
  std::vector<float> att = c.att;
  if (c.shape.sub_norms) rmsnorm_f32(c.att, c.ga, 1e-5f, att);
  expect_requant(img, c.bp.a_o, att, f, "a_o", seed);
  residual_add_f32(c.x, c.o, h);
  expect_floats(img, c.bp.h_dram, h, "h", seed);
  rmsnorm_f32(h, c.g2, 1e-5f, n2);
  expect_requant(img, c.bp.a_ffn, n2, f, "a_ffn", seed);
  silu_gate_f32(c.gate, c.up, act);
  if (c.shape.sub_norms) {
    const std::vector<float> product = act;
    rmsnorm_f32(product, c.gf, 1e-5f, act);
  }
  expect_requant(img, c.bp.a_down, act, f, "a_down", seed);
  residual_add_f32(h, c.down, out);
  expect_floats(img, c.bp.out_dram, out, "out", seed);
}

double formula(const HwConfig& hw, VectorOp op, uint64_t lane_ops, uint64_t passes) {
  BlockWork w;
  w.elements[static_cast<int>(op)] = lane_ops;
  w.invocations[static_cast<int>(op)] = passes;
  return vector_timing(hw.vector, w, 1.0).op_cycles[static_cast<int>(op)];
}

void sim_case(ActFormat f) {
  const HwConfig hw = config(8);
  const uint64_t seed = test::test_seed("BlockVectorProgram", 20261205);
  Case c = make_case(hw, {kH, kF, kHeads, kKvHeads, kD, f, 1e-5f}, seed);
  ASSERT_EQ(c.bp.ffn_chunks, 6) << "the case must chunk up";
  auto acc = connect("sim", hw);
  int stores = 0;
  const uint64_t cycles =
      acc->run(c.bp.program, [&](uint64_t, const uint8_t*, uint64_t) { ++stores; });
  EXPECT_EQ(stores, 7);
  expect_results(c, c.bp.program.dram, seed);
  const auto st = acc->stats();
  EXPECT_EQ(st["load"]["dma"]["bytes"].get<uint64_t>(), c.bp.input_bytes);
  EXPECT_EQ(st["store"]["dma"]["bytes"].get<uint64_t>(), c.bp.output_bytes);
  // Each operator class: the operator-level formula of its work in the block (decoder_block_work
  // counts), every row length a multiple of the lanes so that no ceil differs; SiLU x gate pays
  // one latency per extra chunk.
  const auto& vs = st["vector"];
  const uint64_t qdim = kHeads * kD, kvdim = kKvHeads * kD;
  EXPECT_EQ(vs["rmsnorm_cycles"].get<uint64_t>(), formula(hw, VectorOp::kRmsNorm, 4 * kH, 2));
  EXPECT_EQ(vs["rotary_cycles"].get<uint64_t>(), formula(hw, VectorOp::kRotary, qdim + kvdim, 1));
  EXPECT_EQ(vs["residual_cycles"].get<uint64_t>(), formula(hw, VectorOp::kResidual, 2 * kH, 2));
  EXPECT_EQ(vs["requant_cycles"].get<uint64_t>(),
            formula(hw, VectorOp::kRequant, 2 * kH + qdim + kF, 4));
  EXPECT_EQ(vs["silu_gate_cycles"].get<uint64_t>(),
            formula(hw, VectorOp::kSiluGate, kF, 1) + 5 * hw.vector.latency_silu_gate);
  // The program: at least the unit's work, plus at least the first load's DRAM latency.
  EXPECT_GT(cycles, vs["busy_cycles"].get<uint64_t>());
  std::printf("block vector program: %llu cycles, vector busy %llu\n",
              static_cast<unsigned long long>(cycles),
              static_cast<unsigned long long>(vs["busy_cycles"].get<uint64_t>()));
}

TEST(BlockVectorProgram, Int8RowsAreTheKernelsAndOperatorCyclesTheFormula) {
  sim_case(ActFormat::kInt8);
}

TEST(BlockVectorProgram, Fp16RowsAreTheKernelsAndOperatorCyclesTheFormula) {
  sim_case(ActFormat::kFp16);
}

TEST(BlockVectorProgram, GoldenInterpreterStoresTheSameRows) {
  const HwConfig hw = config(8);
  const uint64_t seed = test::test_seed("BlockVectorProgram", 20261205);
  Case c = make_case(hw, {kH, kF, kHeads, kKvHeads, kD, ActFormat::kInt8, 1e-5f}, seed);
  auto acc = connect("golden", hw);
  acc->run(c.bp.program, {});
  expect_results(c, c.bp.program.dram, seed);
}

// Random shapes (row lengths not multiples of the lanes or of 64 bytes), buffer sizes and
// activation formats: the derived semaphores never deadlock and never let a unit read a region
// before it is filled or overwrite one still to be read (every row equal to the kernels), and the
// code survives the binary round trip; a shape that does not fit names the key.
TEST(BlockVectorProgram, RandomShapesRunWithoutHazards) {
  const uint64_t seed = test::test_seed("BlockVectorProgram.random", 20261205);
  std::mt19937_64 rng(seed);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::unique_ptr<Accelerator> acc;
  int ran = 0;
  for (int i = 0; i < 16; ++i) {
    const int kib = std::array{4, 8, 16}[static_cast<size_t>(pick(0, 2))];
    const HwConfig hw = config(kib);
    const int kvh = pick(1, 2), d = 2 * pick(2, 24);
    const BlockVectorShape sh{4 * pick(4, 200),
                              4 * pick(4, 700),
                              kvh * pick(1, 3),
                              kvh,
                              d,
                              pick(0, 1) ? ActFormat::kFp16 : ActFormat::kInt8,
                              1e-5f,
                              pick(0, 1) == 1};
    const std::string what = fmt::format(
        "case {} (hidden {} ffn {} heads {}/{} hd {} out {} KiB{}) seed {}", i, sh.hidden, sh.ffn,
        sh.heads, sh.kv_heads, sh.head_dim, kib, sh.sub_norms ? ", sub-norms" : "", seed);
    Case c;
    try {
      c = make_case(hw, sh, seed + static_cast<uint64_t>(i));
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("top.buffers.out.kib: ", 0), 0u) << e.what() << what;
      continue;
    }
    EXPECT_EQ(isa::from_binary(isa::to_binary(c.bp.program.code), "b.lbp"), c.bp.program.code)
        << what;
    // One accelerator per process (SystemC); the buffer sizes of the first config bound the
    // others', so every case runs on a top whose out buffer is 16 KiB.
    if (!acc) acc = connect("sim", config(16));
    SCOPED_TRACE(what);
    acc->run(c.bp.program, {});
    expect_results(c, c.bp.program.dram, seed + static_cast<uint64_t>(i));
    ++ran;
  }
  EXPECT_GE(ran, 6) << "too few cases fit; seed " << seed;
}

// BitNet's sub-layer norms: o and down read their rows normalized (each with its gain), and the
// RMSNorm cycles are the formula of two more rows (heads x hd and ffn). At 8 KiB the ffn gain
// does not fit beside the gate row: the key is named.
TEST(BlockVectorProgram, SubLayerNormsNormalizeOAndDownInputs) {
  const HwConfig hw = config(16);
  const uint64_t seed = test::test_seed("BlockVectorProgram.sub_norms", 20261205);
  Case c = make_case(hw, {kH, kF, kHeads, kKvHeads, kD, ActFormat::kInt8, 1e-5f, true}, seed);
  auto acc = connect("sim", hw);
  int stores = 0;
  acc->run(c.bp.program, [&](uint64_t, const uint8_t*, uint64_t) { ++stores; });
  EXPECT_EQ(stores, 7);
  expect_results(c, c.bp.program.dram, seed);
  const uint64_t qdim = kHeads * kD;
  EXPECT_EQ(acc->stats()["vector"]["rmsnorm_cycles"].get<uint64_t>(),
            formula(hw, VectorOp::kRmsNorm, 4 * kH + 2 * (qdim + kF), 4));
  try {
    compile_block_vector_ops(config(8),
                             {kH, kF, kHeads, kKvHeads, kD, ActFormat::kInt8, 1e-5f, true});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("top.buffers.out.kib: 8 KiB", 0), 0u) << e.what();
  }
}

TEST(BlockVectorProgram, AnOutBufferTooSmallForTheGateRowNamesTheKey) {
  const HwConfig hw = config(4);  // the 6 KiB gate row does not fit
  try {
    compile_block_vector_ops(hw, {kH, kF, kHeads, kKvHeads, kD, ActFormat::kInt8, 1e-5f});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("top.buffers.out.kib: 4 KiB", 0), 0u) << e.what();
  }
}

// The LM head's final RMSNorm and requantization (compile_final_norm): its stored row is the
// kernels' rmsnorm then requantize of the row, INT8 (codes and scale) and FP16, on sim and golden;
// the unit's cycles are the operator-level formula's for these two operators.
void final_norm_case(ActFormat f, const char* backend) {
  const HwConfig hw = config(64);
  const uint64_t seed = test::test_seed("BlockVectorProgram.FinalNorm", 20261206);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.5f);
  std::vector<float> x(kH), g(kH), n(kH);
  for (float& v : x) v = nd(rng);
  for (float& v : g) v = 1.0f + 0.1f * nd(rng);
  FinalNormProgram fp = compile_final_norm(hw, kH, f, 1e-5f);
  std::memcpy(fp.program.dram.data() + fp.x_dram, x.data(), 4 * kH);
  std::memcpy(fp.program.dram.data() + fp.gain_dram, g.data(), 4 * kH);
  auto acc = connect(backend, hw);
  acc->run(fp.program, {});
  rmsnorm_f32(x, g, 1e-5f, n);
  expect_requant(fp.program.dram, fp.a_head, n, f, "final RMSNorm, requantized", seed);
  if (acc->timed()) {
    const auto st = acc->stats();
    BlockWork w;
    w.elements[static_cast<int>(VectorOp::kRmsNorm)] = 2 * kH;
    w.invocations[static_cast<int>(VectorOp::kRmsNorm)] = 1;
    w.elements[static_cast<int>(VectorOp::kRequant)] = kH;
    w.invocations[static_cast<int>(VectorOp::kRequant)] = 1;
    const VectorTiming t = vector_timing(hw.vector, w, 1.0);
    EXPECT_EQ(st["vector"]["rmsnorm_cycles"].get<uint64_t>(),
              t.op_cycles[static_cast<int>(VectorOp::kRmsNorm)]);
    EXPECT_EQ(st["vector"]["requant_cycles"].get<uint64_t>(),
              t.op_cycles[static_cast<int>(VectorOp::kRequant)]);
  }
}

TEST(BlockVectorProgram, FinalNormInt8IsTheKernels) { final_norm_case(ActFormat::kInt8, "sim"); }
TEST(BlockVectorProgram, FinalNormFp16IsTheKernels) { final_norm_case(ActFormat::kFp16, "sim"); }
TEST(BlockVectorProgram, FinalNormOnTheGoldenInterpreter) {
  final_norm_case(ActFormat::kInt8, "golden");
}

}  // namespace
}  // namespace lowbit
