// The SystemC vector unit (sim/top/vector_unit.h) running vcfg / vec programs in the top: an
// isolated operator's cycles equal the operator-level formula (vector_timing.h) at the configured
// lanes and latencies, its results equal the FP32 kernels bit for bit, it overlaps a DMA transfer,
// and illegal vector instructions name their field. SystemC elaborates once per process: ctest
// runs every TEST in its own process.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <systemc>
#include <vector>

#include "model/arch/vector_timing.h"
#include "model/isa/assembler.h"
#include "model/kernels/vector_ops.h"
#include "model/quant/kv_quant.h"
#include "sim/top/accel_top.h"
#include "tests/component/top_rig.h"
#include "tests/lib/test_seed.h"

extern "C" int sc_main(int, char**) { return 1; }  // libsystemc wants it; gtest_main is main()

namespace lowbit {
namespace {

HwConfig config(int lanes, int softmax_latency = 40) {
  nlohmann::json j = {
      {"name", "vector_test"},
      {"core", "mixpe"},
      {"mixpe", {{"rows", 8}, {"cols", 8}, {"fp16", true}}},
      {"vector", {{"lanes", lanes}, {"latency", {{"softmax", softmax_latency}}}}},
      {"top",
       {{"clock_mhz", 1000},
        {"buffers", {{"out", {{"kib", 1024}}}}},
        {"dram", {{"bandwidth_gbps", 32}, {"latency_ns", 100}, {"burst_bytes", 64}}}}}};
  return hw_config_from_json(j, "vector_test");
}

struct Rig : TopRig {
  using TopRig::TopRig;
  // Runs `text` on a DRAM image holding `data` at address 0 (and zeros up to `dram_bytes`).
  uint64_t run(const std::string& text, const std::vector<uint8_t>& data, size_t dram_bytes) {
    program.code = isa::assemble(text, "vector.s");
    program.dram.assign(dram_bytes, 0);
    std::memcpy(program.dram.data(), data.data(), data.size());
    return top->run(program);
  }
  std::vector<float> floats(uint64_t dram, size_t n) const {
    std::vector<float> v(n);
    std::memcpy(v.data(), program.dram.data() + dram, 4 * n);
    return v;
  }
};

std::vector<uint8_t> bytes_of(const std::vector<float>& v) {
  std::vector<uint8_t> b(4 * v.size());
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// The operator-level model's cycles for one operator class with this work.
double formula(const HwConfig& hw, VectorOp op, uint64_t lane_ops, uint64_t passes) {
  BlockWork w;
  w.elements[static_cast<int>(op)] = lane_ops;
  w.invocations[static_cast<int>(op)] = passes;
  return vector_timing(hw.vector, w, 1.0).op_cycles[static_cast<int>(op)];
}

const std::string kVcfg = "vcfg hd=64 kvfmt=fp16 kvgroup=0 qpk=1 afmt=int8 eps=0x3727c5ac\n";

// Softmax of `rows` rows of n scores: the unit's cycles and results.
void softmax_case(int lanes, int latency, int rows, int n) {
  const HwConfig hw = config(lanes, latency);
  Rig rig(hw);
  const uint64_t seed = test::test_seed("VectorUnit.softmax", 20261204);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> nd(0.0f, 3.0f);
  std::vector<float> x(static_cast<size_t>(rows) * n);
  for (float& v : x) v = nd(rng);
  const uint64_t bytes = 4ull * x.size();
  const std::string text = fmt::format(
      "ld buf=out rows=1 sram=0x0 dram=0x0 bytes={} signal=s0\n{}"
      "vec vop=softmax len={} passes={} x=0x0 y=0x{:x} z=0x0 wait=s0 signal=s1\n"
      "st buf=out rows=1 sram=0x{:x} dram=0x{:x} bytes={} wait=s1\nhalt\n",
      bytes, kVcfg, n, rows, bytes, bytes, bytes, bytes);
  rig.run(text, bytes_of(x), 2 * bytes);
  const TimelineEvent& e = rig.event("vec");
  EXPECT_EQ(static_cast<double>(e.end - e.start),
            formula(hw, VectorOp::kSoftmax, 3ull * rows * n, static_cast<uint64_t>(rows)))
      << "lanes " << lanes << " latency " << latency << " seed " << seed;
  const auto y = rig.floats(bytes, x.size());
  for (int r = 0; r < rows; ++r) {
    std::vector<float> want(x.begin() + r * n, x.begin() + (r + 1) * n);
    softmax_f32(want);
    for (int i = 0; i < n; ++i) {
      ASSERT_EQ(std::bit_cast<uint32_t>(y[static_cast<size_t>(r) * n + i]),
                std::bit_cast<uint32_t>(want[i]))
          << "row " << r << " element " << i << " seed " << seed;
    }
  }
  EXPECT_EQ(rig.stats.value("vector.lane_ops"), 3ull * rows * n);
  EXPECT_EQ(rig.stats.value("vector.softmax_cycles"), e.end - e.start);
}

TEST(VectorUnit, IsolatedSoftmaxCyclesEqualTheFormulaAndResultsTheKernel) {
  softmax_case(/*lanes=*/64, /*latency=*/40, /*rows=*/4, /*n=*/300);
}

// 7 lanes: 900 lane ops per row do not fill whole groups, so groups straddle rows (the formula
// packs them: ceil(total / lanes)); a unit that rounded each pass up would be 3 cycles longer.
TEST(VectorUnit, LaneGroupsPackAcrossPassesAsTheFormulaCounts) {
  softmax_case(/*lanes=*/7, /*latency=*/5, /*rows=*/4, /*n=*/300);
}

// The block's other operators, each one `vec` of 3 passes of 128 elements at 7 lanes (groups
// straddle passes): every isolated operator's cycles are the operator-level formula of its lane
// operations (RMSNorm 2 per element, the others 1) and passes.
TEST(VectorUnit, IsolatedBlockOperatorsCyclesEqualTheFormula) {
  const HwConfig hw = config(7);
  Rig rig(hw);
  const uint64_t seed = test::test_seed("VectorUnit.block_ops", 20261205);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> data(0x3000 / 4);
  for (float& v : data) v = nd(rng);
  const std::string text = fmt::format(
      "ld buf=out rows=1 sram=0x0 dram=0x0 bytes={} signal=s0\n{}"
      "vec vop=rmsnorm len=128 passes=3 x=0x0 y=0x2000 z=0x1000 wait=s0\n"
      "vec vop=rotary len=128 passes=3 x=0x0 y=0x2000 z=0x1000\n"
      "vec vop=silu_gate len=128 passes=3 x=0x0 y=0x2000 z=0x1000\n"
      "vec vop=residual len=128 passes=3 x=0x0 y=0x2000 z=0x1000\n"
      "vec vop=requant len=128 passes=3 x=0x0 y=0x0 z=0x1000\nhalt\n",
      data.size() * 4, kVcfg);
  rig.run(text, bytes_of(data), 0x3000);
  std::vector<const TimelineEvent*> vecs;
  for (const auto& e : rig.top->timeline) {
    if (e.name == "vec") vecs.push_back(&e);
  }
  ASSERT_EQ(vecs.size(), 5u);
  const VectorOp ops[] = {VectorOp::kRmsNorm, VectorOp::kRotary, VectorOp::kSiluGate,
                          VectorOp::kResidual, VectorOp::kRequant};
  for (size_t i = 0; i < 5; ++i) {
    const uint64_t lane_ops = (ops[i] == VectorOp::kRmsNorm ? 2 : 1) * 3 * 128;
    EXPECT_EQ(static_cast<double>(vecs[i]->end - vecs[i]->start), formula(hw, ops[i], lane_ops, 3))
        << vector_op_name(ops[i]) << " seed " << seed;
  }
}

// Attention of 2 query heads on 1 KV head (GQA) over an INT4 cache with a scale per 16 elements:
// scores, softmax and context, each isolated op's cycles by the formula and the context equal to
// the kernels run on the values the cache stores.
TEST(VectorUnit, AttentionOverAnInt4CacheMatchesTheKernelsAndTheFormula) {
  const HwConfig hw = config(64);
  Rig rig(hw);
  const int d = 64, L = 96, heads = 2;
  const KvCacheSpec kv{KvFormat::kInt4, 16};
  const uint64_t seed = test::test_seed("VectorUnit.attention", 20261205);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> ud(-1.7f, 1.7f);
  std::vector<float> q(static_cast<size_t>(heads) * d), k(static_cast<size_t>(L) * d),
      v(static_cast<size_t>(L) * d);
  for (auto* t : {&q, &k, &v}) {
    for (float& e : *t) e = ud(rng);
  }
  const uint64_t vb = kv.vector_bytes(d);
  // DRAM: q at 0, K at 0x1000, V at 0x1000 + L vb; results stored to 0x10000 (ctx).
  std::vector<uint8_t> img = bytes_of(q);
  img.resize(0x1000 + 2 * L * vb, 0);
  for (int p = 0; p < L; ++p) {
    kv_store_vector(std::span<const float>(k).subspan(p * d, d), kv, img.data() + 0x1000 + p * vb);
    kv_store_vector(std::span<const float>(v).subspan(p * d, d), kv,
                    img.data() + 0x1000 + (L + p) * vb);
  }
  const uint64_t kvb = 2 * L * vb;
  const std::string text = fmt::format(
      "ld buf=out rows=1 sram=0x0 dram=0x0 bytes={} signal=s0\n"
      "ld buf=out rows=1 sram=0x1000 dram=0x1000 bytes={} signal=s1\n"
      "vcfg hd={} kvfmt=int4 kvgroup=16 qpk=2 afmt=int8 eps=0x0 wait=s0|s1\n"
      "vec vop=scores len={} passes={} x=0x0 y=0x8000 z=0x1000\n"
      "vec vop=softmax len={} passes={} x=0x8000 y=0x8000 z=0x0\n"
      "vec vop=context len={} passes={} x=0x8000 y=0x9000 z=0x{:x} signal=s2\n"
      "st buf=out rows=1 sram=0x9000 dram=0x10000 bytes={} wait=s2\nhalt\n",
      4 * q.size(), kvb, d, L, heads, L, heads, L, heads, 0x1000 + L * vb, 4 * heads * d);
  rig.run(text, img, 0x20000);
  const auto ctx = rig.floats(0x10000, static_cast<size_t>(heads) * d);
  std::vector<float> kr(k.size()), vr(v.size());
  for (int p = 0; p < L; ++p) {
    kv_store_load(std::span<const float>(k).subspan(p * d, d), kv,
                  std::span<float>(kr).subspan(p * d, d));
    kv_store_load(std::span<const float>(v).subspan(p * d, d), kv,
                  std::span<float>(vr).subspan(p * d, d));
  }
  const float inv = static_cast<float>(1.0 / std::sqrt(double(d)));
  for (int h = 0; h < heads; ++h) {
    std::vector<float> s(L), c(d, 0.0f);
    for (int p = 0; p < L; ++p) {
      s[p] = dot_f32(std::span<const float>(q).subspan(h * d, d),
                     std::span<const float>(kr).subspan(p * d, d)) *
             inv;
    }
    softmax_f32(s);
    context_accumulate_f32(s, vr, c);
    for (int i = 0; i < d; ++i) {
      ASSERT_EQ(std::bit_cast<uint32_t>(ctx[h * d + i]), std::bit_cast<uint32_t>(c[i]))
          << "head " << h << " element " << i << " seed " << seed;
    }
  }
  EXPECT_EQ(rig.stats.value("vector.scores_cycles"),
            formula(hw, VectorOp::kScores, uint64_t{L} * d * heads, heads));
  EXPECT_EQ(rig.stats.value("vector.softmax_cycles"),
            formula(hw, VectorOp::kSoftmax, 3ull * L * heads, heads));
  EXPECT_EQ(rig.stats.value("vector.context_cycles"),
            formula(hw, VectorOp::kContext, uint64_t{L} * d * heads, heads));
}

// The vector unit and the load unit run concurrently: a vec without a wait overlaps a long load.
TEST(VectorUnit, RunsConcurrentlyWithTheLoadUnit) {
  const HwConfig hw = config(64);
  Rig rig(hw);
  rig.run("ld buf=act rows=1 sram=0x0 dram=0x0 bytes=65536\n" + kVcfg +
              "vec vop=residual len=4096 passes=8 x=0x0 y=0x0 z=0x0\nhalt\n",
          {}, 1 << 17);
  const TimelineEvent& ld = rig.event("ld act");
  const TimelineEvent& vec = rig.event("vec");
  EXPECT_LT(vec.start, ld.end);
  EXPECT_LT(rig.top->timeline.back().end, (ld.end - ld.start) + (vec.end - vec.start) + 10);
}

// One error per process: an illegal instruction stops the simulation (sc_stop).
std::string error_of(const std::string& text) {
  Rig rig(config(64));
  try {
    rig.run(text, {}, 1 << 16);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(VectorUnitIllegal, VecBeforeVcfgNamesTheOpcode) {
  const std::string e = error_of("vec vop=softmax len=8 passes=1 x=0x0 y=0x0 z=0x0\nhalt\n");
  EXPECT_NE(e.find("address 0x0 (instruction 0): field 'opcode': vec before any vcfg"),
            std::string::npos)
      << e;
}

TEST(VectorUnitIllegal, OperandPastTheBufferNamesTheField) {
  const std::string e =
      error_of(kVcfg + "vec vop=softmax len=65536 passes=8 x=0x0 y=0x0 z=0x0\nhalt\n");
  EXPECT_NE(e.find("address 0x10 (instruction 1): field 'x'"), std::string::npos) << e;
  EXPECT_NE(e.find("allowed: an operand inside the buffer"), std::string::npos) << e;
}

TEST(VectorUnitIllegal, KvGroupThatDoesNotDivideTheHeadNamesKvgroup) {
  const std::string e =
      error_of("vcfg hd=64 kvfmt=int8 kvgroup=24 qpk=1 afmt=int8 eps=0x0\nhalt\n");
  EXPECT_NE(e.find("field 'kvgroup': 24 does not divide hd=64"), std::string::npos) << e;
}

}  // namespace
}  // namespace lowbit
