// Cross-check of one named mixpe or mac config: golden = SystemC model = Verilated RTL, cycle by
// cycle, under random valid/ready stalls, plus the directed edge cases (docs/mixpe.md).
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
#include "sim/common/stats.h"
#include "tests/crosscheck/mixpe_tb.h"
#include "tests/crosscheck/pe_array_rtl_sc.h"
#include "tests/crosscheck/pe_array_unit.h"

namespace lowbit::mixpe_tb {
namespace {

#if XC_HAS_RTL
using TheBench = Bench<Core, XC_R, XC_C, PeArrayRtlSc<XC_VCLASS, XC_R, XC_C>>;
#else
using TheBench = Bench<Core, XC_R, XC_C>;  // SystemC model against golden only
#endif

// One elaboration per process: the bench is built on first use and reused by every test.
struct Harness {
  PeArrayParams params;
  StatGroup stats{XC_NAME};
  std::unique_ptr<TheBench> bench;
  uint64_t seed;
  Harness() : seed(test::random_test_seed(XC_NAME)) {
    params = pe_array_params_from_file(XC_CONFIG_PATH, kUnitName);
#if XC_HAS_RTL
    const std::string arg = "+verilator+seed+" + std::to_string(seed % 1000000007ULL + 1);
    const char* argv[] = {"xcheck", arg.c_str()};
    Verilated::commandArgs(2, argv);
    std::printf("[%s] verilator %s\n", XC_NAME, arg.c_str());
#else
    std::printf("[%s] SystemC model vs golden only (RTL not verilated in this build)\n", XC_NAME);
#endif
    bench = std::make_unique<TheBench>("bench", kUnit, params, stats.child("array"));
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

// At least `target` x beats (K steps) of one weight format, random tiles and pressure.
void random_campaign(WeightFormat wf) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed ^ (static_cast<uint64_t>(wf.kind) << 8) ^
                      static_cast<uint64_t>(wf.bits) ^ (static_cast<uint64_t>(wf.codec) << 16));
  const uint64_t target = transactions_from_env(XC_DEFAULT_TRANSACTIONS);
  uint64_t steps = 0, tiles = 0, cycles = 0;
  int batch_no = 0;
  while (steps < target) {
    std::vector<ArrayTile> batch;
    uint64_t batch_steps = 0;
    while (batch_steps < 4000 && steps + batch_steps < target) {
      batch.push_back(random_tile(rng, kUnit, XC_R, XC_C, h.params.fp16, wf));
      batch_steps += static_cast<uint64_t>(batch.back().k);
    }
    const auto r = h.bench->run(batch, random_pressure(rng), rng(), /*check_gemm_golden=*/true);
    expect_ok(r, wf.name() + " batch " + std::to_string(batch_no));
    if (!r.ok()) return;
    EXPECT_EQ(r.steps, batch_steps);
    steps += r.steps;
    tiles += r.tiles;
    cycles += r.cycles;
    ++batch_no;
  }
  std::printf("[%s] %s: %llu transactions (x beats) in %llu tiles, %llu cycles: all equal\n",
              XC_NAME, wf.name().c_str(), static_cast<unsigned long long>(steps),
              static_cast<unsigned long long>(tiles), static_cast<unsigned long long>(cycles));
}

#define XC_RANDOM_TEST(name, kind, bits) \
  TEST(XC_SUITE, Random_##name) { random_campaign(WeightFormat{WeightKind::kind, bits}); }
XC_RANDOM_TEST(int2, kSigned, 2)
XC_RANDOM_TEST(int3, kSigned, 3)
XC_RANDOM_TEST(int4, kSigned, 4)
XC_RANDOM_TEST(int8, kSigned, 8)
XC_RANDOM_TEST(uint2, kUnsigned, 2)
XC_RANDOM_TEST(uint3, kUnsigned, 3)
XC_RANDOM_TEST(uint4, kUnsigned, 4)
XC_RANDOM_TEST(uint8, kUnsigned, 8)
XC_RANDOM_TEST(ternary, kTernary, 2)
XC_RANDOM_TEST(binary, kBinary, 1)
// FP4 weights (docs/fp-weights.md): E2M1 codes with an FP16 (fp4_e2m1) or E8M0 (mxfp4) scale.
TEST(XC_SUITE, Random_fp4_e2m1) {
  random_campaign(WeightFormat{WeightKind::kSigned, 4, WeightCodec::kFp4E2M1});
}
TEST(XC_SUITE, Random_mxfp4) {
  random_campaign(WeightFormat{WeightKind::kSigned, 4, WeightCodec::kMxfp4});
}

// All-max and all-min activations and codes, zero points at both ends, groups ending mid-tile,
// back-to-back groups (G = 1) and groups shorter than the drain (G <= R), for every format and
// activation type, without stalls and under heavy random stalls.
TEST(XC_SUITE, DirectedEdges) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed + 17);
  std::vector<ArrayTile> tiles;
  const std::vector<bool> acts =
      h.params.fp16 ? std::vector<bool>{false, true} : std::vector<bool>{false};
  std::vector<WeightFormat> formats = all_weight_formats();
  for (const auto& wf : fp4_weight_formats()) formats.push_back(wf);
  for (const auto& wf : formats) {
    for (bool fp16 : acts) {
      for (Fill fill : {Fill::kMax, Fill::kMin, Fill::kZeroLow, Fill::kZeroHigh, Fill::kRandom}) {
        tiles.push_back(make_tile(rng, kUnit, XC_R, XC_C, 2 * 4 + 3, 4, fp16, wf, fill));
        tiles.push_back(make_tile(rng, kUnit, XC_R, XC_C, 5, 1, fp16, wf, fill));
        tiles.push_back(make_tile(rng, kUnit, XC_R, XC_C, 2 * XC_R + 1, XC_R + 1, fp16, wf, fill));
      }
      tiles.push_back(make_tile(rng, kUnit, XC_R, XC_C, 1, 1, fp16, wf));
      tiles.push_back(make_tile(rng, kUnit, XC_R, XC_C, 130, 128, fp16, wf));
    }
  }
  // FP4 scale extremes on all +6 / all -6 codes: fp4_e2m1 with the largest FP16 scale (65504 / 2)
  // and the smallest subnormal; mxfp4 with E8M0 0x00 (2^-128, an FP32 subnormal), 0xFE and 0xFF
  // (overflow to inf and the NaN block: canonical NaN), one block per tile row of groups.
  for (const auto& wf : fp4_weight_formats()) {
    const bool mxfp4 = wf.codec == WeightCodec::kMxfp4;
    const std::vector<uint16_t> extremes = mxfp4 ? std::vector<uint16_t>{0x00, 0x01, 0xFE, 0xFF}
                                                 : std::vector<uint16_t>{0x7BFF, 0x0001, 0x0400};
    for (bool fp16 : acts) {
      const bool mac_fp16 = kUnit == Unit::kMac && fp16;
      for (uint16_t sc : extremes) {
        if (mac_fp16 && (mxfp4 ? sc > 140 : sc > 0x7000)) continue;  // w16 stays finite
        for (Fill fill : {Fill::kMax, Fill::kMin}) {
          ArrayTile t = make_tile(rng, kUnit, XC_R, XC_C, 70, mxfp4 ? 32 : 16, fp16, wf, fill);
          std::fill(t.scales.begin(), t.scales.end(), sc);
          tiles.push_back(t);
        }
      }
    }
  }
  expect_ok(h.bench->run(tiles, Pressure{}, rng(), true), "directed, no stalls");
  expect_ok(h.bench->run(tiles, Pressure{0.5, 0.5, 0.5, 0.5}, rng(), true), "directed, stalls");
}

// A stall of one cycle at every position of a short two-tile stream, on every channel.
TEST(XC_SUITE, StallAtEveryPosition) {
  auto& h = harness();
  std::mt19937_64 rng(h.seed + 29);
  const WeightFormat wf{WeightKind::kUnsigned, 4};
  std::vector<ArrayTile> tiles = {make_tile(rng, kUnit, XC_R, XC_C, 5, 2, false, wf),
                                  make_tile(rng, kUnit, XC_R, XC_C, 3, 3, h.params.fp16, wf)};
  const auto base = h.bench->run(tiles, Pressure{}, rng());
  expect_ok(base, "no stall");
  const int span = static_cast<int>(base.cycles) + 1;
  // Every position on the small arrays; every 7th on large ones (their RTL simulates slowly).
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
}  // namespace lowbit::mixpe_tb

// SystemC's library main() calls sc_main; GoogleTest runs from here either way.
int sc_main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
