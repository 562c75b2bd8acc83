// rtl backend tiles through the plugin loader: a random stream on every verilated config matches
// the golden kernels with no lockstep mismatch and gives the C++ model's stats; the errors users
// see for configs that were not verilated and for a missing plugin are one clear line.
#include "host/lib/backends/rtl/rtl_tiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/lib/backends/rtl/lockstep.h"
#include "host/lib/backends/rtl/lutcore/lutcore_rtl.h"
#include "host/lib/backends/rtl/mixpe/pe_array_rtl_tile.h"
#include "host/lib/backends/rtl/rtl_port.h"
#include "lowbit/error.h"
#include "model/arch/lutcore/lutcore_params.h"
#include "model/arch/pe_array_params.h"
#include "sim/common/stats.h"
#include "sim/lutcore/i_lutcore_tile.h"
#include "sim/mac/mac_core.h"
#include "sim/mixpe/i_pe_array.h"
#include "sim/mixpe/mixpe_core.h"
#include "tests/crosscheck/lutcore_plan.h"
#include "tests/crosscheck/mixpe_stimulus.h"

namespace lowbit {
namespace {

std::vector<std::string> split(const std::string& csv) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < csv.size()) {
    size_t end = csv.find(',', start);
    if (end == std::string::npos) end = csv.size();
    if (end > start) out.push_back(csv.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Configs this build verilated into the plugin (from host/lib/backends/rtl/CMakeLists.txt).
const std::vector<std::string> kLutcoreConfigs = split(RTL_TILES_LUTCORE);
const std::vector<std::string> kArrayConfigs = split(RTL_TILES_ARRAYS);

std::string config_path(const std::string& name) {
  return std::string(RTL_TILES_CONFIG_DIR) + "/" + name + ".json";
}

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

/// What a stream run counted.
struct StreamResult {
  uint64_t cycles = 0, transactions = 0, outputs = 0, errors = 0;
  std::string first_error;
  void error(const std::string& what) {
    if (errors++ == 0) first_error = what;
  }
};

// ---------------------------------------------------------------------------------------------
// lutcore: the cross-check's segment plan, driven through ILutcoreTile in a plain C++ loop.

// The decoded beat of a beat's pin words (docs/lutcore.md, "Ports").
void decode_beat(const lutcore_tb::BeatPins& pins, const LutcoreParams& p, LutcoreBeat& beat) {
  const int t_per_row = p.tables_per_row();
  for (int l = 0; l < p.m * p.k; ++l) {
    beat.act[l] = static_cast<uint16_t>(rtl_port::words_get(pins.act.data(), l * 16, 16));
  }
  beat.reuse_table = pins.reuse_table;
  for (int pj = 0; pj < 4 * p.n; ++pj) {
    for (int t = 0; t < t_per_row; ++t) {
      beat.idx[pj * t_per_row + t] =
          static_cast<uint8_t>(rtl_port::words_get(pins.w.data(), pj * p.k + t * p.g, p.g));
    }
  }
  for (int j = 0; j < p.n; ++j) {
    beat.scale[j] = static_cast<uint16_t>(rtl_port::words_get(pins.scale.data(), j * 16, 16));
    beat.zero[j] = static_cast<uint8_t>(rtl_port::words_get(pins.zero.data(), j * 8, 8));
  }
  for (int i = 0; i < p.m; ++i)
    beat.act_scale[i] = rtl_port::words_get(pins.act_scale.data(), i * 32, 32);
}

// Runs the directed and random segments of lutcore_plan.h under their valid/ready pressure,
// comparing every delivered block with its golden (model/kernels mpgemm_lut).
StreamResult run_lutcore(ILutcoreTile& tile, const LutcoreParams& p, uint64_t seed,
                         uint64_t per_format) {
  lutcore_tb::Plan plan(p, seed, per_format);
  std::mt19937_64 rng(seed ^ 0x2545F4914F6CDD1Dull);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  LutcoreBeat beat(p);
  StreamResult r;
  lutcore_tb::Segment seg;
  int segment = 0;
  tile.reset();
  while (plan.next(seg)) {
    ++segment;
    size_t block_in = 0, beat_in = 0, block_out = 0;
    bool decoded = false;
    const int64_t limit = 2000 + 40 * static_cast<int64_t>(seg.beats()) * seg.cfg.bits +
                          40 * static_cast<int64_t>(seg.blocks.size()) * p.dequant_chunks();
    for (int64_t cycle = 1; block_out < seg.blocks.size(); ++cycle) {
      if (cycle > limit) {
        r.error("segment " + std::to_string(segment) + " '" + seg.name + "' timed out");
        return r;
      }
      const bool pending = block_in < seg.blocks.size();
      bool offer = pending && (seg.p_in >= 1.0 || unit(rng) < seg.p_in);
      if (cycle == seg.stall_in_at) offer = false;
      bool take = seg.p_out >= 1.0 || unit(rng) < seg.p_out;
      if (cycle == seg.stall_out_at) take = false;
      if (pending && !decoded) {
        decode_beat(seg.blocks[block_in].beats[beat_in], p, beat);
        decoded = true;
      }
      const bool ready = tile.in_ready(seg.cfg, take);
      if (tile.out_valid() && take) {
        const auto& blk = seg.blocks[block_out];
        const auto& got = tile.out_data();
        if (blk.golden_disagreements != 0) {
          r.error("mpgemm_lut disagrees with the dequant.h restatement");
        }
        for (size_t l = 0; l < blk.golden.size(); ++l) {
          if (got[l] != blk.golden[l]) {
            r.error("segment " + std::to_string(segment) + " '" + seg.name + "' block " +
                    std::to_string(block_out) + " lane " + std::to_string(l) + ": got " +
                    hex(got[l]) + ", golden " + hex(blk.golden[l]));
            break;
          }
        }
        ++block_out;
        ++r.outputs;
      }
      tile.clock(seg.cfg, offer, take, beat);
      ++r.cycles;
      if (offer && ready) {
        ++r.transactions;
        decoded = false;
        if (++beat_in == seg.blocks[block_in].beats.size()) {
          beat_in = 0;
          ++block_in;
        }
      }
    }
  }
  return r;
}

// Transactions (input beats) per weight format: fewer on the wide default tile, whose RTL
// evaluates 128 lookup lanes and 16 FP32 lanes per edge.
uint64_t lutcore_default_transactions(const LutcoreParams& p) {
  return p.m * p.n >= 64 ? 1500 : 10000;
}

class RtlLutcore : public testing::TestWithParam<std::string> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RtlLutcore);

TEST_P(RtlLutcore, RandomStreamMatchesGoldenAndModel) {
  const std::string name = GetParam();
  const auto params = lutcore_params_from_file(config_path(name));
  const uint64_t seed = test::random_test_seed("rtl_tiles " + name);
  const uint64_t per_format =
      lutcore_tb::transactions_from_env(lutcore_default_transactions(params));
  std::printf("rtl_tiles %s: +verilator+seed+%d, %llu transactions per weight format\n",
              name.c_str(), kRtlVerilatorSeed, static_cast<unsigned long long>(per_format));
  StatGroup rtl_stats("lutcore"), model_stats("lutcore");
  std::unique_ptr<ILutcoreTile> rtl;
  ASSERT_NO_THROW(rtl = make_lutcore_rtl_tile(name, params, rtl_stats));
  StreamResult got;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    got = run_lutcore(*rtl, params, seed, per_format);
  } catch (const std::runtime_error& e) {
    FAIL() << e.what() << " (replay: LOWBIT_SEED=" << seed << ")";
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(got.errors, 0u) << got.first_error << " (replay: LOWBIT_SEED=" << seed << ")";
  // The same stream through the C++ model alone (the sim backend's tile): same cycles, same stats.
  LutcoreModelTile model(params, model_stats);
  const StreamResult want = run_lutcore(model, params, seed, per_format);
  EXPECT_EQ(want.errors, 0u) << want.first_error;
  EXPECT_EQ(got.cycles, want.cycles);
  EXPECT_EQ(got.transactions, want.transactions);
  EXPECT_EQ(rtl_stats.to_json().dump(), model_stats.to_json().dump());
  std::printf(
      "rtl_tiles %s: %llu transactions, %llu blocks, %llu cycles in %.2f s (%.0f cycles/s)\n",
      name.c_str(), static_cast<unsigned long long>(got.transactions),
      static_cast<unsigned long long>(got.outputs), static_cast<unsigned long long>(got.cycles),
      secs, static_cast<double>(got.cycles) / std::max(secs, 1e-9));
}

INSTANTIATE_TEST_SUITE_P(RtlTiles, RtlLutcore, testing::ValuesIn(kLutcoreConfigs),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// ---------------------------------------------------------------------------------------------
// mixpe / mac: random tiles of mixpe_stimulus.h, driven through IPeArray in a plain C++ loop.

// One stream of tiles through the array under `pressure`: t, g and x beats in order on their own
// channels, output rows collected into tiles and compared with `golden`.
void run_array(IPeArray& array, const PeArrayParams& p, const std::vector<ArrayTile>& tiles,
               const std::vector<std::vector<uint32_t>>& golden, const mixpe_tb::Pressure& pr,
               uint64_t seed, StreamResult& r) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int rows = p.rows, cols = p.cols;
  const size_t n = tiles.size();
  PeArrayInputs in(p);
  size_t t_next = 0, g_tile = 0, x_tile = 0, tiles_out = 0;
  int g_next = 0, x_next = 0, row = 0;
  std::vector<uint32_t> buf(static_cast<size_t>(rows) * cols);
  uint64_t cycle = 0, limit = 1000;
  for (const auto& t : tiles)
    limit += static_cast<uint64_t>(t.k + t.groups() * (rows + 2) + 2 * rows + 4);
  limit *= 40;
  auto offer = [&](int channel, double prob) {
    if (pr.stall_channel == channel && pr.stall_at == static_cast<int>(cycle)) return false;
    return prob >= 1.0 || unit(rng) < prob;
  };
  while (tiles_out < n) {
    if (++cycle > limit) {
      r.error("array stream timed out after " + std::to_string(limit) + " cycles");
      return;
    }
    const bool tv = t_next < n && offer(0, pr.p_t);
    if (t_next < n) {
      const auto& t = tiles[t_next];
      in.t.fp16 = t.fp16;
      in.t.kind = static_cast<int>(weight_kind_field(t.kind));
      in.t.bits = t.bits;
      in.t.k = t.k;
      in.t.group = t.group;
      for (int i = 0; i < rows; ++i) in.t.act_scale[i] = std::bit_cast<uint32_t>(t.act_scale[i]);
    }
    const bool gv = g_tile < n && offer(1, pr.p_g);
    if (g_tile < n) {
      const auto& t = tiles[g_tile];
      for (int c = 0; c < cols; ++c) {
        in.g_scale[c] = t.scales[static_cast<size_t>(g_next) * cols + c];
        in.g_zero[c] = t.zeros[static_cast<size_t>(g_next) * cols + c];
      }
    }
    const bool xv = x_tile < n && offer(2, pr.p_x);
    if (x_tile < n) {
      const auto& t = tiles[x_tile];
      for (int i = 0; i < rows; ++i) in.x_act[i] = t.act[static_cast<size_t>(x_next) * rows + i];
      for (int c = 0; c < cols; ++c) in.x_w[c] = t.codes[static_cast<size_t>(x_next) * cols + c];
    }
    const bool ov = offer(3, pr.p_o);
    const bool t_fire = tv && array.t_ready();
    const bool g_fire = gv && array.g_ready();
    const bool x_fire = xv && array.x_ready();
    if (ov && array.o_valid()) {
      if (array.o_last() != (row == rows - 1))
        r.error("o_last wrong on row " + std::to_string(row));
      const auto& d = array.o_data();
      std::copy(d.begin(), d.begin() + cols, buf.begin() + static_cast<ptrdiff_t>(row) * cols);
      if (++row == rows) {
        row = 0;
        if (tiles_out >= n) {
          r.error("an output tile nobody asked for");
        } else {
          const auto& want = golden[tiles_out];
          for (size_t i = 0; i < want.size(); ++i) {
            if (buf[i] != want[i]) {
              r.error("tile " + std::to_string(tiles_out) + " element (" +
                      std::to_string(i / cols) + ", " + std::to_string(i % cols) + "): got " +
                      hex(buf[i]) + ", golden " + hex(want[i]));
              break;
            }
          }
        }
        ++tiles_out;
        ++r.outputs;
      }
    }
    array.clock(tv, gv, xv, ov, in);
    ++r.cycles;
    if (t_fire) ++t_next;
    if (g_fire && ++g_next == tiles[g_tile].groups()) {
      g_next = 0;
      ++g_tile;
    }
    if (x_fire) {
      ++r.transactions;
      if (++x_next == tiles[x_tile].k) {
        x_next = 0;
        ++x_tile;
      }
    }
  }
}

// Transactions (x beats) per weight format.
constexpr uint64_t kArrayDefaultTransactions = 8000;

class RtlPeArray : public testing::TestWithParam<std::string> {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RtlPeArray);

TEST_P(RtlPeArray, RandomTilesMatchGoldenAndModel) {
  const std::string name = GetParam();
  const std::string unit_name = name.substr(0, name.find('_'));
  const auto unit = unit_name == "mac" ? mixpe_tb::Unit::kMac : mixpe_tb::Unit::kMixpe;
  const auto params = pe_array_params_from_file(config_path(name), unit_name);
  const uint64_t seed = test::random_test_seed("rtl_tiles " + name);
  const uint64_t per_format = mixpe_tb::transactions_from_env(kArrayDefaultTransactions);
  std::printf("rtl_tiles %s: +verilator+seed+%d, %llu transactions per weight format\n",
              name.c_str(), kRtlVerilatorSeed, static_cast<unsigned long long>(per_format));
  StatGroup rtl_stats(unit_name), model_stats(unit_name);
  std::unique_ptr<IPeArray> rtl;
  ASSERT_NO_THROW(rtl = make_pe_array_rtl(unit_name, name, params, rtl_stats));
  std::unique_ptr<IPeArray> model;
  if (unit == mixpe_tb::Unit::kMac) {
    model = std::make_unique<PeArrayModel<MacCore>>(params, model_stats);
  } else {
    model = std::make_unique<PeArrayModel<MixpeCore>>(params, model_stats);
  }
  std::mt19937_64 rng(seed);
  StreamResult got, want;
  double secs = 0;
  static const double kP[] = {1.0, 0.9, 0.6, 0.3};
  for (const auto& wf : mixpe_tb::all_weight_formats()) {
    uint64_t steps = 0;
    while (steps < per_format) {
      std::vector<ArrayTile> batch;
      std::vector<std::vector<uint32_t>> golden;
      while (steps < per_format && batch.size() < 32) {
        batch.push_back(
            mixpe_tb::random_tile(rng, unit, params.rows, params.cols, params.fp16, wf));
        golden.push_back(mixpe_tb::golden_bits(unit, batch.back()));
        steps += static_cast<uint64_t>(batch.back().k);
      }
      const mixpe_tb::Pressure pr{kP[rng() % 4], kP[rng() % 4], kP[rng() % 4], kP[rng() % 4]};
      const uint64_t run_seed = rng();
      const auto t0 = std::chrono::steady_clock::now();
      try {
        run_array(*rtl, params, batch, golden, pr, run_seed, got);
      } catch (const std::runtime_error& e) {
        FAIL() << wf.name() << ": " << e.what() << " (replay: LOWBIT_SEED=" << seed << ")";
      }
      secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      run_array(*model, params, batch, golden, pr, run_seed, want);
      ASSERT_EQ(got.errors, 0u) << wf.name() << ": " << got.first_error
                                << " (replay: LOWBIT_SEED=" << seed << ")";
    }
  }
  EXPECT_EQ(want.errors, 0u) << want.first_error;
  EXPECT_EQ(got.cycles, want.cycles);
  EXPECT_EQ(got.transactions, want.transactions);
  EXPECT_EQ(rtl_stats.to_json().dump(), model_stats.to_json().dump());
  std::printf(
      "rtl_tiles %s: %llu transactions, %llu tiles, %llu cycles in %.2f s (%.0f cycles/s)\n",
      name.c_str(), static_cast<unsigned long long>(got.transactions),
      static_cast<unsigned long long>(got.outputs), static_cast<unsigned long long>(got.cycles),
      secs, static_cast<double>(got.cycles) / std::max(secs, 1e-9));
}

INSTANTIATE_TEST_SUITE_P(RtlTiles, RtlPeArray, testing::ValuesIn(kArrayConfigs),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// ---------------------------------------------------------------------------------------------
// The loader and the errors a user of `--backend rtl` sees.

bool one_line(const std::string& s) { return s.find('\n') == std::string::npos; }

TEST(RtlTilesLoader, PluginLoadsAndListsTheVerilatedConfigs) {
  std::string why;
  ASSERT_TRUE(rtl_tiles_available(&why)) << why;
  EXPECT_TRUE(why.empty());
  auto names = rtl_tiles_configs();
  // Every config this build verilated, of every unit with an rtl adapter (bitmod's too, whose
  // stream this file does not drive: tests/component/bitmod_driver_test.cpp does).
  std::vector<std::string> want = split(RTL_TILES_ALL);
  std::sort(names.begin(), names.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(names, want);
}

// Calls f, expects an InputError and returns its message.
template <class F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return {};
}

TEST(RtlTilesLoader, UnknownLutcoreConfigNamesTheVerilatedOnes) {
  StatGroup stats("lutcore");
  LutcoreParams p;
  p.m = 4;
  const auto msg = input_error([&] { make_lutcore_rtl_tile("lutcore_m4n64k4", p, stats); });
  EXPECT_TRUE(one_line(msg)) << msg;
  EXPECT_NE(msg.find("--backend rtl: "), std::string::npos) << msg;
  EXPECT_NE(msg.find("'lutcore_m4n64k4'"), std::string::npos) << msg;
  for (const auto& name : kLutcoreConfigs) EXPECT_NE(msg.find(name), std::string::npos) << msg;
}

TEST(RtlTilesLoader, ParameterOverrideOfAVerilatedConfigIsRejected) {
  if (kLutcoreConfigs.empty()) GTEST_SKIP() << "no lutcore config verilated";
  const std::string name = kLutcoreConfigs.front();
  auto p = lutcore_params_from_file(config_path(name));
  const int n = p.n;
  p.n = 2 * n;
  StatGroup stats("lutcore");
  const auto msg = input_error([&] { make_lutcore_rtl_tile(name, p, stats); });
  EXPECT_TRUE(one_line(msg)) << msg;
  EXPECT_NE(msg.find("n=" + std::to_string(2 * n) + " (verilated: " + std::to_string(n) + ")"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("verilated lutcore configs: "), std::string::npos) << msg;
}

TEST(RtlTilesLoader, ShortConfigNamesAreAccepted) {
  if (kArrayConfigs.empty()) GTEST_SKIP() << "no PE array verilated";
  const std::string name = kArrayConfigs.front();
  const std::string unit = name.substr(0, name.find('_'));
  const auto p = pe_array_params_from_file(config_path(name), unit);
  StatGroup stats(unit);
  const auto array = make_pe_array_rtl(unit, name.substr(unit.size() + 1), p, stats);
  ASSERT_NE(array, nullptr);
  EXPECT_TRUE(array->t_ready());
  EXPECT_FALSE(array->o_valid());
}

TEST(RtlTilesLoader, ArrayNotVerilatedByDefaultSaysHowToGetIt) {
  if (std::find(kArrayConfigs.begin(), kArrayConfigs.end(), "mixpe_64x64") != kArrayConfigs.end()) {
    GTEST_SKIP() << "mixpe_64x64 is verilated in this build (LOWBIT_MIXPE_RTL_64X64=ON)";
  }
  PeArrayParams p;  // 64 x 64, INT8: configs/mixpe_64x64.json
  StatGroup stats("mixpe");
  const auto msg = input_error([&] { make_pe_array_rtl("mixpe", "mixpe_64x64", p, stats); });
  EXPECT_TRUE(one_line(msg)) << msg;
  EXPECT_NE(msg.find("-DLOWBIT_MIXPE_RTL_64X64=ON"), std::string::npos) << msg;
  EXPECT_NE(msg.find("verilated mixpe configs: "), std::string::npos) << msg;
}

TEST(RtlTilesLoader, UnknownUnitIsAnInputError) {
  PeArrayParams p;
  StatGroup stats("x");
  const auto msg = input_error([&] { make_pe_array_rtl("systolic", "8x8", p, stats); });
  EXPECT_NE(msg.find("'systolic'"), std::string::npos) << msg;
}

// With LOWBIT_RTL_TILES pointing nowhere: prints the loader's error and exits 3.
[[noreturn]] void load_with_missing_plugin() {
  setenv("LOWBIT_RTL_TILES", "/nonexistent/liblowbit_rtl_tiles.so", 1);
  std::string why;
  if (rtl_tiles_available(&why)) std::exit(1);
  StatGroup stats("lutcore");
  try {
    make_lutcore_rtl_tile("lutcore_m2n8k4", LutcoreParams{}, stats);
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s -- %s\n", e.what(), why == e.what() ? "same" : "differs");
    std::exit(3);
  }
  std::exit(2);
}

// In a fresh process (threadsafe death test: the binary re-executes itself), so the plugin this
// process may have loaded already does not count: the error says how to build it.
TEST(RtlTilesLoaderDeathTest, MissingPluginGivesOneLineBuildHint) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(load_with_missing_plugin(), testing::ExitedWithCode(3),
              "--backend rtl: the Verilated tiles are not built \\(liblowbit_rtl_tiles.so is "
              "LOWBIT_RTL_TILES=/nonexistent/liblowbit_rtl_tiles.so does not exist\\); build them "
              "with: scripts/build default lowbit_rtl_tiles -- same");
}

// ---------------------------------------------------------------------------------------------
// The adapters' building blocks.

TEST(RtlTilesLockstep, MismatchNamesConfigCycleAndPin) {
  Lockstep check("lutcore_m2n8k4");
  check.next_cycle();
  check.next_cycle();
  EXPECT_NO_THROW(check.bit("out_valid_o", true, true));
  EXPECT_NO_THROW(check.words("out_data_o", {1, 2, 3}, {1, 2, 3}));
  try {
    check.words("out_data_o", {1, 2, 3}, {1, 2, 4});
    FAIL() << "no throw";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(),
                 "rtl lockstep mismatch: lutcore_m2n8k4: cycle 2: pin out_data_o word 2: rtl "
                 "0x00000003, model 0x00000004 (the Verilated RTL and the C++ model disagree)");
  }
  check.restart();
  try {
    check.bit("in_ready_o", false, true);
    FAIL() << "no throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("lutcore_m2n8k4: cycle 0: pin in_ready_o: rtl 0, model 1"),
              std::string::npos)
        << e.what();
  }
}

// A stand-in for Verilator's VlWide<N>: 32-bit words behind data().
struct Wide {
  uint32_t w[3] = {};
  uint32_t* data() { return w; }
  const uint32_t* data() const { return w; }
};

TEST(RtlTilesPort, FieldsRoundTripOnScalarAndWidePorts) {
  uint8_t c = 0;
  rtl_port::put(c, 1, 2, 3);
  EXPECT_EQ(c, 0x6);
  EXPECT_EQ(rtl_port::get(c, 1, 2), 3u);
  uint64_t q = 0;
  rtl_port::put(q, 28, 8, 0xAB);  // straddles bit 32
  rtl_port::put(q, 56, 8, 0xCD);
  EXPECT_EQ(q, 0xCD00000AB0000000ull);
  EXPECT_EQ(rtl_port::get(q, 28, 8), 0xABu);
  Wide v;
  rtl_port::put(v, 30, 4, 0xF);  // straddles words 0 and 1
  rtl_port::put(v, 64, 32, 0xDEADBEEF);
  EXPECT_EQ(v.w[0], 0xC0000000u);
  EXPECT_EQ(v.w[1], 0x3u);
  EXPECT_EQ(v.w[2], 0xDEADBEEFu);
  EXPECT_EQ(rtl_port::get(v, 30, 4), 0xFu);
  rtl_port::put(v, 31, 2, 0);  // clears only its own bits
  EXPECT_EQ(v.w[0], 0x40000000u);
  EXPECT_EQ(v.w[1], 0x2u);
  EXPECT_EQ(rtl_port::storage_bits<Wide>(), 96);
}

}  // namespace
}  // namespace lowbit
