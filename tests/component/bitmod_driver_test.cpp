// The bitmod core driver (sim backend: the C++ model; rtl backend: the Verilated array in
// lockstep) on one output block: outputs equal the BitMoD golden bit for bit, and an isolated tile
// takes the array's cycle formula with every K step sent as two slice beats (docs/bitmod.md,
// "Cycle formula"): T = 2 G_0 + sum_{j >= 1} max(2 len_j, R + 1) + 2 R.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "host/lib/backends/rtl/rtl_tiles.h"
#include "host/lib/backends/rtl/rtl_units.h"
#include "model/arch/hw_config.h"
#include "model/arch/pe_array_params.h"
#include "model/arch/tile_layout.h"
#include "model/kernels/bitmod_gemm.h"
#include "model/quant/act_quant.h"
#include "model/quant/bitmod_quant.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"
#include "sim/bitmod/bitmod_core.h"
#include "sim/common/stats.h"
#include "sim/mixpe/pe_array_core.h"
#include "sim/top/unit_models.h"

namespace lowbit {
namespace {

const std::string kConfig = std::string(BITMOD_CONFIG_DIR) + "/bitmod_4x4.json";

struct Shape {
  int m, n, k, group;
  bool fp16;
  const char* format;
};

// gtest prints the parameter in the test's description: its fields, not its bytes.
void PrintTo(const Shape& s, std::ostream* os) {
  *os << "m " << s.m << " n " << s.n << " k " << s.k << " group " << s.group
      << (s.fp16 ? " fp16 " : " int8 ") << s.format;
}

struct BlockRun {
  std::vector<float> out;
  uint64_t cycles = 0;  ///< from the cycle the block opens to the cycle after its last row
  nlohmann::ordered_json stats;
};

// One blk + one tile op of the whole K through the unit's core driver, as the top issues them.
BlockRun run_block(CoreDriverMaker make, const HwConfig& hw, const Activations& a,
                   const QuantizedWeights& w) {
  StatGroup stats("core");
  const std::unique_ptr<CoreDriver> drv = make(hw, stats);
  const bool fp16 = a.format == ActFormat::kFp16;
  const OpFormat f{w.kind, w.bits, fp16, w.group_size, w.codec};
  const TileLayout L(hw, f);
  const int esz = fp16 ? 2 : 1;
  std::vector<uint8_t> act(static_cast<size_t>(a.m) * a.k * esz + 4 * a.m);
  for (size_t i = 0; i < static_cast<size_t>(a.m) * a.k; ++i) {
    if (fp16) {
      act[2 * i] = static_cast<uint8_t>(a.fp16[i] & 0xFF);
      act[2 * i + 1] = static_cast<uint8_t>(a.fp16[i] >> 8);
    } else {
      act[i] = static_cast<uint8_t>(a.int8[i]);
    }
  }
  const uint32_t ascale = static_cast<uint32_t>(a.m) * a.k * esz;
  for (int r = 0; r < a.m; ++r) {
    const float s = fp16 ? hw.unit->fp16_row_scale() : a.row_scales[r];
    std::memcpy(act.data() + ascale + 4 * r, &s, 4);
  }
  std::vector<uint8_t> wbuf(L.chunk_weight_bytes(w.k, w.k));
  std::vector<uint8_t> sbuf(L.chunk_scale_bytes(w.k));
  pack_weight_chunk(L, w, 0, 0, w.k, wbuf);
  pack_scale_chunk(L, w, 0, 0, w.k, sbuf);
  std::vector<uint8_t> out(4ull * a.m * w.n);
  CoreBuffers buf{act.data(), wbuf.data(), sbuf.data(), out.data(),
                  act.size(), wbuf.size(), sbuf.size(), out.size()};
  uint64_t done = 0;
  drv->on_block_done = [&](const BlockOp&, uint64_t cycle) { done = cycle; };
  drv->set_format(f);
  BlockOp b;
  b.m = a.m;
  b.n = w.n;
  b.kt = w.k;
  b.ascale = ascale;
  const uint64_t c0 = drv->cycle();
  drv->begin_block(b, buf);
  ChunkOp c;
  c.k = w.k;
  uint64_t port_stall = 0;
  drv->run_chunk(c, buf, 1, port_stall);
  while (drv->pending()) drv->idle_cycle(buf);
  BlockRun r;
  r.cycles = done - c0;
  r.out.resize(static_cast<size_t>(a.m) * w.n);
  std::memcpy(r.out.data(), out.data(), out.size());
  r.stats = stats.to_json();
  return r;
}

// Isolated-tile cycles of the array with K and G in weights (2 beats each), measured from the
// block's first cycle (its t handshake) to the cycle after its last o handshake.
uint64_t formula_cycles(int rows, int k, int group, PeArrayLatency lat) {
  return PeArrayCore::isolated_tile_cycles(rows, 2 * k, 2 * group, lat) + 1;
}

// docs/bitmod.md "Cycle formula", written out (not through PeArrayCore): a group's last beat s_j
// and its drain's start d_j, s_0 = 2 G_0, d_0 = s_0 + 1; s_j = max(s_{j-1} + 2 len_j, d_{j-1} + R),
// d_j = max(s_j + 1, d_{j-1} + gap + 1); the last row leaves at d_last + 2 R - 1 + drain latency.
uint64_t formula_by_hand(int rows, int k, int group, PeArrayLatency lat) {
  int64_t s = 2ll * std::min(group, k);
  int64_t d = s + 1;
  for (int k0 = group; k0 < k; k0 += group) {
    s = std::max<int64_t>(s + 2ll * std::min(group, k - k0), d + rows);
    d = std::max<int64_t>(s + 1, d + lat.gap + 1);
  }
  return static_cast<uint64_t>(d + 2ll * rows - 1 + lat.drain) + 1;
}

class BitmodDriver : public ::testing::TestWithParam<Shape> {};

void check_shape(CoreDriverMaker make, const Shape& s, BlockRun* run_out = nullptr) {
  const HwConfig hw = load_hw_config(kConfig);
  const int R = hw.geometry.rows;
  const PeArrayLatency lat = BitmodCore::latency_of(pe_array_params_from_file(kConfig, "bitmod"));
  const std::vector<float> wf = synth_gaussian(s.n, s.k, 11 + s.k, 0.02f);
  const std::vector<float> af = synth_gaussian(s.m, s.k, 23 + s.k, 1.0f);
  const QuantizedWeights w = quantize_weights(wf, s.n, s.k, parse_weight_format(s.format), s.group);
  const Activations a =
      s.fp16 ? quantize_activations_fp16(af, s.m, s.k) : quantize_activations_int8(af, s.m, s.k);
  const std::vector<float> golden = bitmod_gemm(a, bitmod_from_quantized(w));
  const BlockRun r = run_block(make, hw, a, w);
  ASSERT_EQ(r.out.size(), golden.size());
  for (size_t i = 0; i < golden.size(); ++i) {
    ASSERT_EQ(std::bit_cast<uint32_t>(r.out[i]), std::bit_cast<uint32_t>(golden[i]))
        << "output " << i << " of m " << s.m << " n " << s.n << " k " << s.k << " g " << s.group;
  }
  EXPECT_EQ(r.cycles, formula_cycles(R, s.k, s.group, lat)) << "k " << s.k << " g " << s.group;
  EXPECT_EQ(r.cycles, formula_by_hand(R, s.k, s.group, lat)) << "k " << s.k << " g " << s.group;
  if (run_out) *run_out = r;
}

TEST_P(BitmodDriver, SimMatchesGoldenAndCycleFormula) {
  check_shape(find_model_driver("bitmod"), GetParam());
}

TEST_P(BitmodDriver, RtlLockstepMatchesSim) {
  std::string why;
  if (!rtl_tiles_available(&why)) GTEST_SKIP() << why;
  BlockRun sim, rtl;
  check_shape(find_model_driver("bitmod"), GetParam(), &sim);
  check_shape(find_rtl_driver("bitmod"), GetParam(), &rtl);
  EXPECT_EQ(rtl.cycles, sim.cycles);
  EXPECT_EQ(rtl.stats.dump(), sim.stats.dump());
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, BitmodDriver,
    ::testing::Values(Shape{4, 4, 1, 128, false, "bitmod_w4"},
                      Shape{4, 4, 7, 3, false, "bitmod_w3"}, Shape{3, 4, 11, 4, true, "bitmod_w4"},
                      Shape{4, 3, 40, 2, false, "bitmod_w4"},  // groups shorter than the drain
                      Shape{4, 4, 130, 128, true, "bitmod_w3"},
                      Shape{2, 4, 300, 64, false, "bitmod_w3"},
                      Shape{4, 4, 256, 128, true, "bitmod_w4"}),
    [](const ::testing::TestParamInfo<Shape>& info) {
      const Shape& s = info.param;
      return "m" + std::to_string(s.m) + "n" + std::to_string(s.n) + "k" + std::to_string(s.k) +
             "g" + std::to_string(s.group) + (s.fp16 ? "_fp16_" : "_int8_") + s.format;
    });

// The cycle count of a 4 x 4 array on K = 256, G = 128: 2 K + 2 R + 1 unpipelined (the paper's 2
// cycles a weight, ceil(w_prec / 2) at w_prec = 3 and 4), plus the drain latency when pipelined
// (the groups hide the drain gap: 256 beats a group).
TEST(BitmodDriverCycles, TwoCyclesPerWeight) {
  EXPECT_EQ(formula_by_hand(4, 256, 128, PeArrayLatency{}), 2u * 256 + 2 * 4 + 1);
  PeArrayParams p;
  p.rows = p.cols = 4;
  p.dequant_stages = 6;
  const PeArrayLatency lat = BitmodCore::latency_of(p);
  EXPECT_EQ(lat.drain, 6 + 4 + 18);
  EXPECT_EQ(formula_by_hand(4, 256, 128, lat), 2u * 256 + 2 * 4 + 1 + 28);
}

}  // namespace
}  // namespace lowbit
