// Cross-check of one named bitmod config: golden = SystemC model = Verilated RTL, cycle by cycle,
// under random valid/ready stalls, plus directed edge cases and the cycle formula (docs/bitmod.md).
// The Verilated model (C++ mode) first: verilated.h picks its SystemC time hooks when <systemc> was
// included before it, which a C++-mode model must not.
#if XC_HAS_RTL
#include XC_VTOP_HEADER
#endif

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "model/arch/pe_array_params.h"
#include "sim/bitmod/bitmod_core.h"
#include "sim/common/stats.h"
#include "tests/crosscheck/bitmod_tb.h"
#include "tests/crosscheck/pe_array_rtl_sc.h"

namespace lowbit::bitmod_tb {
namespace {

#if XC_HAS_RTL
using TheBench = Bench<BitmodCore, XC_R, XC_C, mixpe_tb::PeArrayRtlSc<XC_VCLASS, XC_R, XC_C>>;
#else
using TheBench = Bench<BitmodCore, XC_R, XC_C>;  // SystemC model against golden only
#endif

// One elaboration per process: the bench is built on first use and reused by every test.
struct Harness {
  PeArrayParams params;
  StatGroup stats{XC_NAME};
  std::unique_ptr<TheBench> bench;
  uint64_t seed;
  Harness() : seed(test::random_test_seed(XC_NAME)) {
    params = pe_array_params_from_file(XC_CONFIG_PATH, "bitmod");
#if XC_HAS_RTL
    const std::string arg = "+verilator+seed+" + std::to_string(seed % 1000000007ULL + 1);
    const char* argv[] = {"xcheck", arg.c_str()};
    Verilated::commandArgs(2, argv);
    std::printf("[%s] verilator %s\n", XC_NAME, arg.c_str());
#else
    std::printf("[%s] SystemC model vs golden only (RTL not verilated in this build)\n", XC_NAME);
#endif
    bench = std::make_unique<TheBench>("bench", params, stats.child("array"));
  }
};

Harness& harness() {
  static Harness h;
  return h;
}

void expect_ok(const RunResult& r, const std::string& what) {
  EXPECT_TRUE(r.ok()) << what << ": " << r.first_error << " (pin mismatches " << r.pin_mismatches
                      << ", golden errors " << r.golden_errors << ", o_last errors "
                      << r.last_errors << (r.timed_out ? ", timed out" : "") << ")";
}

Pressure random_pressure(std::mt19937_64& rng) {
  static const double kP[] = {1.0, 0.9, 0.6, 0.3};
  return Pressure{kP[rng() % 4], kP[rng() % 4], kP[rng() % 4], kP[rng() % 4]};
}

// At least `target` transactions (K steps: one weight per column, kBitmodSlices x beats each) of
// tiles whose groups use `main` half the time and another type of its precision otherwise.
void random_campaign(BitmodType main) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed ^ (static_cast<uint64_t>(main) << 8));
  const uint64_t target = transactions_from_env(XC_DEFAULT_TRANSACTIONS);
  uint64_t steps = 0, tiles = 0, cycles = 0;
  int batch_no = 0;
  const std::string name(bitmod_type_name(main));
  while (steps < target) {
    std::vector<ArrayTile> batch;
    uint64_t batch_steps = 0;
    while (batch_steps < 4000 && steps + batch_steps < target) {
      batch.push_back(random_tile(rng, XC_R, XC_C, h.params.fp16, main));
      batch_steps += static_cast<uint64_t>(batch.back().k);
    }
    const auto r = h.bench->run(batch, random_pressure(rng), rng(), /*check_gemm_golden=*/true);
    expect_ok(r, name + " batch " + std::to_string(batch_no));
    if (!r.ok()) return;
    EXPECT_EQ(r.steps, kBitmodSlices * batch_steps);
    steps += batch_steps;
    tiles += r.tiles;
    cycles += r.cycles;
    ++batch_no;
  }
  std::printf(
      "[%s] %s: %llu transactions (K steps, %llu x beats) in %llu tiles, %llu cycles: all "
      "equal\n",
      XC_NAME, name.c_str(), static_cast<unsigned long long>(steps),
      static_cast<unsigned long long>(kBitmodSlices * steps),
      static_cast<unsigned long long>(tiles), static_cast<unsigned long long>(cycles));
}

#define XC_RANDOM_TEST(name, type) \
  TEST(XC_SUITE, Random_##name) { random_campaign(BitmodType::type); }
XC_RANDOM_TEST(int3, kInt3)
XC_RANDOM_TEST(fp3, kFp3)
XC_RANDOM_TEST(fp3_er_pos, kFp3ErPos)
XC_RANDOM_TEST(fp3_er_neg, kFp3ErNeg)
XC_RANDOM_TEST(fp3_ea_pos, kFp3EaPos)
XC_RANDOM_TEST(fp3_ea_neg, kFp3EaNeg)
XC_RANDOM_TEST(int4, kInt4)
XC_RANDOM_TEST(flint4, kFlint4)
XC_RANDOM_TEST(fp4, kFp4)
XC_RANDOM_TEST(fp4_er_pos, kFp4ErPos)
XC_RANDOM_TEST(fp4_er_neg, kFp4ErNeg)
XC_RANDOM_TEST(fp4_ea_pos, kFp4EaPos)
XC_RANDOM_TEST(fp4_ea_neg, kFp4EaNeg)

// Every type at both extremes and random, groups ending mid-tile, back-to-back groups (G = 1),
// groups around the drain length, K = 1 and K = 130 / G = 128, every activation format; type ids
// 13 .. 15 (not types: every code is 0) and type bytes with a high nibble; without and with heavy
// stalls.
TEST(XC_SUITE, DirectedEdges) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed + 17);
  std::vector<ArrayTile> tiles;
  const std::vector<bool> acts =
      h.params.fp16 ? std::vector<bool>{false, true} : std::vector<bool>{false};
  for (BitmodType type : bitmod_all_types()) {
    for (bool fp16 : acts) {
      for (Fill fill : {Fill::kMaxPos, Fill::kMaxNeg, Fill::kRandom}) {
        tiles.push_back(make_tile(rng, XC_R, XC_C, 2 * 4 + 3, 4, fp16, type, fill));
        tiles.push_back(make_tile(rng, XC_R, XC_C, 5, 1, fp16, type, fill));
        tiles.push_back(make_tile(rng, XC_R, XC_C, 2 * XC_R + 1, XC_R + 1, fp16, type, fill));
      }
      tiles.push_back(make_tile(rng, XC_R, XC_C, 1, 1, fp16, type));
      tiles.push_back(make_tile(rng, XC_R, XC_C, 130, 128, fp16, type));
    }
  }
  expect_ok(h.bench->run(tiles, Pressure{}, rng(), /*check_gemm_golden=*/true),
            "directed, no stalls");
  ArrayTile bad = make_tile(rng, XC_R, XC_C, 9, 3, false, BitmodType::kFp4);
  // Ids 13 .. 15 (every code is 0) and bytes whose high nibble the decoder ignores (0x12:
  // fp3_er_pos).
  for (size_t i = 0; i < bad.zeros.size(); ++i) {
    bad.zeros[i] = static_cast<uint8_t>(i % 4 == 3 ? 0x12 : 13 + i % 3);
  }
  tiles.push_back(bad);
  expect_ok(h.bench->run(tiles, Pressure{0.5, 0.5, 0.5, 0.5}, rng()),
            "directed with type ids 13 .. 15 and high nibbles, stalls");
}

// One tile alone without stalls takes the PE-array formula in beats with the config's drain
// latencies (docs/bitmod.md), from its t handshake to its last o beat.
TEST(XC_SUITE, IsolatedTileCycleFormula) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed + 5);
  int checked = 0;
  for (int k : {1, 2, 7, 8, 9, 16, 17, 40}) {
    for (int g : {1, 3, XC_R / 2, XC_R, XC_R + 1, 32}) {
      const int gg = std::max(g, 1);
      const auto tile = make_tile(rng, XC_R, XC_C, k, gg, false, BitmodType::kFp4ErPos);
      const auto r = h.bench->run({tile}, Pressure{}, rng());
      ASSERT_TRUE(r.ok()) << r.first_error;
      EXPECT_EQ(r.done_cycle[0] - r.t_fire_cycle[0],
                PeArrayCore::isolated_tile_cycles(XC_R, kBitmodSlices * k, kBitmodSlices * gg,
                                                  BitmodCore::latency_of(h.params)))
          << "K " << k << " G " << gg;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 48);
}

// Identical tiles back to back stream at the PE-array period in beats (docs/bitmod.md); with G =
// 128 and K a multiple of G that is one tile per 2 K + 1 cycles (R x C x K MACs) when the drain
// hides behind the groups.
TEST(XC_SUITE, BackToBackThroughput) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed + 1);
  struct Shape {
    int k, g;
  };
  for (const Shape sh : {Shape{3 * XC_R, XC_R}, Shape{4 * XC_R, XC_R / 2 + 1}, Shape{256, 128},
                         Shape{2 * XC_R + 3, XC_R + 1}}) {
    const int kb = kBitmodSlices * sh.k, gb = kBitmodSlices * sh.g;
    const PeArrayLatency lat = BitmodCore::latency_of(h.params);
    const uint64_t period = PeArrayCore::streaming_tile_period(XC_R, kb, gb, lat);
    ASSERT_GE(period, 2u * XC_R);
    std::vector<ArrayTile> tiles;
    for (int i = 0; i < 5; ++i) {
      tiles.push_back(make_tile(rng, XC_R, XC_C, sh.k, sh.g, false, BitmodType::kFp4EaNeg));
    }
    const auto r = h.bench->run(tiles, Pressure{}, rng());
    ASSERT_TRUE(r.ok()) << r.first_error;
    for (size_t i = 1; i < tiles.size(); ++i) {
      EXPECT_EQ(r.done_cycle[i] - r.done_cycle[i - 1], period) << "K " << sh.k << " G " << sh.g;
    }
    EXPECT_EQ(r.done_cycle[0] - r.t_fire_cycle[0],
              PeArrayCore::isolated_tile_cycles(XC_R, kb, gb, lat));
  }
  EXPECT_EQ(PeArrayCore::streaming_tile_period(XC_R, kBitmodSlices * 256, kBitmodSlices * 128,
                                               BitmodCore::latency_of(h.params)),
            2u * 256 + 1);
}

// The model's statistics agree with what the testbench counted on the pins (deltas over one run:
// the harness is shared by every test of the binary).
TEST(XC_SUITE, StatsMatchTestbench) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed + 2);
  std::vector<ArrayTile> tiles;
  uint64_t groups = 0, weight_bits = 0;
  for (int i = 0; i < 40; ++i) {
    tiles.push_back(random_tile(rng, XC_R, XC_C, h.params.fp16,
                                i % 2 ? BitmodType::kFp3ErNeg : BitmodType::kFp4EaPos));
    groups += static_cast<uint64_t>(tiles.back().groups());
    weight_bits += static_cast<uint64_t>(kBitmodSlices * tiles.back().k * tiles.back().bits);
  }
  auto& array = h.stats.child("array");
  const auto before = array.to_json();
  const auto r = h.bench->run(tiles, Pressure{0.7, 0.7, 0.7, 0.7}, rng());
  ASSERT_TRUE(r.ok()) << r.first_error;
  auto delta = [&](const std::string& path) {
    const nlohmann::ordered_json* node = &before;
    std::string rest = path;
    for (size_t dot; (dot = rest.find('.')) != std::string::npos; rest = rest.substr(dot + 1)) {
      node = &node->at(rest.substr(0, dot));
    }
    return array.value(path) - node->at(rest).get<uint64_t>();
  };
  EXPECT_EQ(delta("tiles"), tiles.size());
  EXPECT_EQ(delta("accumulate.steps"), r.steps);  // x beats: two per weight
  EXPECT_EQ(delta("accumulate.weight_bits"), weight_bits);
  EXPECT_EQ(delta("drain.groups"), groups);
  EXPECT_EQ(delta("drain.dequants"), groups * XC_R * XC_C);
  EXPECT_EQ(delta("drain.busy"), groups * XC_R);
  EXPECT_EQ(delta("output.beats"), tiles.size() * XC_R);
  EXPECT_EQ(delta("pe.digit_adds"), r.steps * XC_R * XC_C);
  EXPECT_EQ(delta("pe.decodes"), r.steps * XC_C);
  EXPECT_EQ(delta("pe.row_converts"), r.steps * XC_R);
  EXPECT_GT(delta("accumulate.stall_x_starved") + delta("accumulate.stall_g_starved") +
                delta("accumulate.stall_drain_busy"),
            0u);
}

// A stall of one cycle at every position of a short two-tile stream, on every channel.
TEST(XC_SUITE, StallAtEveryPosition) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed + 29);
  std::vector<ArrayTile> tiles = {
      make_tile(rng, XC_R, XC_C, 5, 2, false, BitmodType::kFp3EaNeg),
      make_tile(rng, XC_R, XC_C, 3, 3, h.params.fp16, BitmodType::kFp4ErNeg)};
  const auto base = h.bench->run(tiles, Pressure{}, rng());
  expect_ok(base, "no stall");
  const int span = static_cast<int>(base.cycles) + 1;
  // Every position on the small arrays; every 7th on large ones.
  const int stride = XC_R * XC_C <= 256 ? 1 : 7;
  int runs = 0;
  for (int channel = 0; channel < 4; ++channel) {
    for (int at = channel % stride; at < span; at += stride) {
      Pressure p;
      p.stall_channel = channel;
      p.stall_at = at;
      const auto r = h.bench->run(tiles, p, rng());
      expect_ok(r,
                "stall on channel " + std::to_string(channel) + " at cycle " + std::to_string(at));
      if (!r.ok()) return;
      ++runs;
    }
  }
  std::printf("[%s] %d single-stall runs over %d cycle positions (stride %d) x 4 channels\n",
              XC_NAME, runs, span, stride);
}

}  // namespace
}  // namespace lowbit::bitmod_tb

// SystemC's library main() calls sc_main; GoogleTest runs from here either way.
int sc_main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
