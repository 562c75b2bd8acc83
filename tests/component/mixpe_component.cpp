// Directed sequences through the mixpe or mac SystemC model alone: the cycle-count formula of
// docs/mixpe.md, back-to-back throughput, and statistics that match what the testbench counted.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "model/arch/pe_array_params.h"
#include "sim/common/stats.h"
#include "tests/crosscheck/mixpe_tb.h"
#include "tests/crosscheck/pe_array_unit.h"

namespace lowbit::mixpe_tb {
namespace {

constexpr int kR = 8;
constexpr int kC = 8;

struct Harness {
  PeArrayParams params;
  StatGroup stats{"component"};
  std::unique_ptr<Bench<Core, kR, kC>> bench;
  uint64_t seed;
  Harness() : seed(test::random_test_seed(kUnitName)) {
    params = pe_array_params_from_file(XC_CONFIG_PATH, kUnitName);
    bench = std::make_unique<Bench<Core, kR, kC>>("bench", kUnit, params, stats.child("array"));
  }
};

Harness& harness() {
  static Harness h;
  return h;
}

// The config's pipeline latencies (docs/mixpe.md): what the cycle formula adds for them.
PeArrayLatency latency_of(const PeArrayParams& p) {
  return PeArrayLatency{p.fill_latency(kUnit == Unit::kMac), p.drain_latency(), p.drain_gap()};
}

// One tile alone, no stalls: t handshake to last o handshake = the documented formula.
TEST(XC_SUITE, IsolatedTileCycleFormula) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed);
  const WeightFormat wf{WeightKind::kSigned, 4};
  int checked = 0;
  for (int k : {1, 2, 7, 8, 9, 16, 17, 40, 100}) {
    for (int g : {1, 3, kR - 1, kR, kR + 1, 2 * kR, 32}) {
      const auto tile = make_tile(rng, kUnit, kR, kC, k, g, false, wf);
      const auto r = h.bench->run({tile}, Pressure{}, rng());
      ASSERT_TRUE(r.ok()) << r.first_error;
      EXPECT_EQ(r.done_cycle[0] - r.t_fire_cycle[0],
                PeArrayCore::isolated_tile_cycles(kR, k, g, latency_of(h.params)))
          << "K " << k << " G " << g;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 63);
}

// Identical tiles back to back stream at the documented period (the first group also covers the
// t handshake cycle; groups shorter than R + 1 wait for the previous drain).
TEST(XC_SUITE, BackToBackThroughput) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed + 1);
  const WeightFormat wf{WeightKind::kUnsigned, 4};
  struct Shape {
    int k, g;
  };
  for (const Shape sh : {Shape{3 * (kR + 1), kR + 1}, Shape{3 * kR, kR + 1}, Shape{4 * kR, kR / 2},
                         Shape{2 * kR, 2 * kR}, Shape{5 * kR, 64}}) {
    const PeArrayLatency lat = latency_of(h.params);
    const uint64_t period = PeArrayCore::streaming_tile_period(kR, sh.k, sh.g, lat);
    // Below 2 R + L the output stage limits: tiles complete every 2 R + L cycles, and their t
    // handshakes come as early as the accumulate stage allows (not evenly spaced).
    const bool output_bound = period <= 2u * kR + static_cast<uint64_t>(lat.drain);
    ASSERT_GE(period, 2u * kR + static_cast<uint64_t>(lat.drain));
    std::vector<ArrayTile> tiles;
    for (int i = 0; i < 5; ++i)
      tiles.push_back(make_tile(rng, kUnit, kR, kC, sh.k, sh.g, false, wf));
    const auto r = h.bench->run(tiles, Pressure{}, rng());
    ASSERT_TRUE(r.ok()) << r.first_error;
    // The first tile starts with no drain ahead of it, so its successor's t comes earlier.
    for (size_t i = 2; i < tiles.size() && !output_bound; ++i) {
      EXPECT_EQ(r.t_fire_cycle[i] - r.t_fire_cycle[i - 1], period) << "K " << sh.k << " G " << sh.g;
    }
    for (size_t i = 1; i < tiles.size(); ++i) {
      EXPECT_EQ(r.done_cycle[i] - r.done_cycle[i - 1], period) << "K " << sh.k << " G " << sh.g;
    }
    EXPECT_EQ(r.done_cycle[0] - r.t_fire_cycle[0],
              PeArrayCore::isolated_tile_cycles(kR, sh.k, sh.g, latency_of(h.params)));
  }
  // K a multiple of G >= R + 1 + F (F the fill latency, when the drain's write-back gap and the
  // output stage do not limit): one tile per K + 1 cycles, R x C x K MACs each.
  const PeArrayLatency lat = latency_of(h.params);
  // One group per tile: the descriptor cycle and the group, the fill and drain wait, or the output
  // stage (R beats after the drain latency), whichever is longest.
  EXPECT_EQ(PeArrayCore::streaming_tile_period(kR, 2 * kR, 2 * kR, lat),
            static_cast<uint64_t>(std::max({2 * kR + 1, kR + 1 + lat.fill, 2 * kR + lat.drain})));
  const int g = kR + 1 + lat.fill;
  ASSERT_LE(lat.gap + 1, g);
  ASSERT_GE(3 * g + 1, 2 * kR + lat.drain);
  EXPECT_EQ(PeArrayCore::streaming_tile_period(kR, 3 * g, g, lat), 3u * g + 1);
  EXPECT_EQ(PeArrayCore::streaming_tile_period(kR, 3 * (kR + 1), kR + 1), 3u * (kR + 1) + 1);
}

// The closed forms of docs/mixpe.md against the control's recursion (tile_events), over pipeline
// latencies where the write-back gap does not bind (gap + 1 <= R + 1 + F): one tile alone takes
// G_0 + sum_{j>=1} max(len_j, R + 1 + F) + F + 2 R + L cycles.
TEST(XC_SUITE, PipelinedCycleFormula) {
  for (int fill : {0, 1, 9, 17}) {
    for (int drain : {0, 13, 28}) {
      const PeArrayLatency lat{fill, drain, drain == 0 ? 0 : 13};
      if (lat.gap > kR + fill) continue;
      for (int k : {1, 7, 9, 40, 100}) {
        for (int g : {1, kR, kR + 1 + fill, 32}) {
          uint64_t t = static_cast<uint64_t>(std::min(g, k));
          for (int g0 = g; g0 < k; g0 += g)
            t += static_cast<uint64_t>(std::max(std::min(g, k - g0), kR + 1 + fill));
          t += static_cast<uint64_t>(fill + 2 * kR + drain);
          EXPECT_EQ(PeArrayCore::isolated_tile_cycles(kR, k, g, lat), t)
              << "F " << fill << " L " << drain << " K " << k << " G " << g;
        }
      }
    }
  }
}

// The model's statistics agree with what the testbench counted on the pins.
TEST(XC_SUITE, StatsMatchTestbench) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed + 2);
  std::vector<ArrayTile> tiles;
  uint64_t groups = 0;
  for (int i = 0; i < 40; ++i) {
    tiles.push_back(
        random_tile(rng, kUnit, kR, kC, h.params.fp16, WeightFormat{WeightKind::kSigned, 3}));
    groups += static_cast<uint64_t>(tiles.back().groups());
  }
  auto& array = h.stats.child("array");
  const auto before = array.to_json();
  const auto r = h.bench->run(tiles, Pressure{0.7, 0.7, 0.7, 0.7}, rng());
  ASSERT_TRUE(r.ok()) << r.first_error;
  auto delta = [&](const std::string& path) {
    uint64_t old = 0;
    const nlohmann::ordered_json* node = &before;
    std::string rest = path;
    for (size_t dot; (dot = rest.find('.')) != std::string::npos; rest = rest.substr(dot + 1)) {
      node = &node->at(rest.substr(0, dot));
    }
    old = node->at(rest).get<uint64_t>();
    return array.value(path) - old;
  };
  EXPECT_EQ(delta("tiles"), tiles.size());
  EXPECT_EQ(delta("accumulate.steps"), r.steps);
  EXPECT_EQ(delta("drain.groups"), groups);
  EXPECT_EQ(delta("drain.dequants"), groups * kR * kC);
  EXPECT_EQ(delta("drain.busy"), groups * kR);
  EXPECT_EQ(delta("output.beats"), tiles.size() * kR);
  // Every group waits the fill latency (systolic skew, pipeline registers) before its drain.
  EXPECT_EQ(delta("drain.stall_fill"), groups * static_cast<uint64_t>(latency_of(h.params).fill));
#if XC_UNIT_MAC
  EXPECT_EQ(delta("pe.macs"), r.steps * kR * kC);
  EXPECT_EQ(delta("pe.weight_dequants"), r.steps * kC);
#else
  EXPECT_EQ(delta("pe.shift_adds"), r.steps * kR * kC * 3);
  EXPECT_EQ(delta("pe.row_converts"), r.steps * kR);
#endif
  // Every cycle of an active tile is a step or a stall with exactly one cause.
  const uint64_t stalls = delta("accumulate.stall_x_starved") +
                          delta("accumulate.stall_g_starved") +
                          delta("accumulate.stall_drain_busy");
  EXPECT_GT(stalls, 0u);
  const auto described = array.describe();
  EXPECT_EQ(described.at("accumulate").at("steps").at("unit"), "events");
  EXPECT_FALSE(described.at("drain").at("dequants").at("description").get<std::string>().empty());
}

}  // namespace
}  // namespace lowbit::mixpe_tb

int sc_main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
