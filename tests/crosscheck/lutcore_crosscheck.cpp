// lutcore three-way cross-check: golden kernel vs SystemC model vs Verilated RTL, one stream,
// random stalls, every output compared (bit-exact) and the two cycle models compared per cycle.
// Built once per named config (LUTCORE_* definitions come from configs/<name>.json via CMake).
// The Verilated model (C++ mode) first: verilated.h picks its SystemC time hooks when <systemc> was
// included before it, which a C++-mode model must not.
#ifdef LUTCORE_VCLASS
#include LUTCORE_VTOP_HEADER
#endif

#include <chrono>
#include <cstdio>
#include <fstream>
#include <systemc>

#include "sim/common/stats.h"
#include "tests/crosscheck/lutcore_plan.h"
#include "tests/crosscheck/lutcore_rtl_sc.h"
#include "tests/crosscheck/lutcore_tb.h"
#ifdef LUTCORE_VCLASS
#define LUTCORE_VTOP \
  lowbit::lutcore_tb::LutcoreRtlSc<LUTCORE_VCLASS, LUTCORE_M, LUTCORE_N, LUTCORE_K>
#else
#define LUTCORE_VTOP lowbit::lutcore_tb::NoRtl  // component test: SystemC model vs golden only
#endif

using namespace lowbit;
using namespace lowbit::lutcore_tb;

// Usage: <binary> [fp4_e2m1|mxfp4 [transactions]]: the integer formats (default) or one FP4 weight
// format (docs/fp-weights.md) with its default transaction count (LOWBIT_TRANSACTIONS and
// LOWBIT_CAMPAIGN still override); the test name, and so its seed, names the format.
int sc_main(int argc, char** argv) {
  const auto params = lutcore_params_from_file(LUTCORE_CONFIG_PATH);
  int wfp = 0;
  std::string fmt_suffix;
  if (argc > 1) {
    fmt_suffix = argv[1];
    if (fmt_suffix == "fp4_e2m1") {
      wfp = 1;
    } else if (fmt_suffix == "mxfp4") {
      wfp = 2;
    } else {
      std::fprintf(stderr,
                   "lutcore_crosscheck: unknown weight format '%s' (allowed: fp4_e2m1, mxfp4)\n",
                   argv[1]);
      return 2;
    }
    fmt_suffix = "," + fmt_suffix;
  }
  const std::string name =
      std::string(LUTCORE_TEST_NAME "[") + LUTCORE_CONFIG_NAME + fmt_suffix + "]";
  const uint64_t seed = test::random_test_seed(name);
  const uint64_t per_format = transactions_from_env(
      argc > 2 ? std::strtoull(argv[2], nullptr, 0) : uint64_t{LUTCORE_DEFAULT_TRANSACTIONS});
#ifdef LUTCORE_VCLASS
  Verilated::randReset(0);  // registers start at 0 (reset clears them anyway): deterministic
#endif
  Plan plan(params, seed, per_format, true, wfp);
  StatGroup stats("lutcore");
  Testbench<LUTCORE_M, LUTCORE_N, LUTCORE_K, LUTCORE_VTOP> tb(
      "tb", params, true, stats, [&](Segment& s) { return plan.next(s); }, seed);
  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto& t = tb.totals();
  const auto& pf = plan.beats_per_format();
  if (wfp != 0) {
    std::printf(
        "%s: %llu segments, %llu blocks, %llu transactions (%s %llu), %llu cycles in %.1f s\n",
        name.c_str(), (unsigned long long)t.segments, (unsigned long long)t.blocks,
        (unsigned long long)t.beats, fmt_suffix.c_str() + 1, (unsigned long long)pf[0],
        (unsigned long long)t.cycles, secs);
  } else {
    std::printf(
        "%s: %llu segments, %llu blocks, %llu transactions (binary %llu, ternary %llu, "
        "signed %llu, unsigned %llu), %llu cycles in %.1f s\n",
        name.c_str(), (unsigned long long)t.segments, (unsigned long long)t.blocks,
        (unsigned long long)t.beats, (unsigned long long)pf[0], (unsigned long long)pf[1],
        (unsigned long long)pf[2], (unsigned long long)pf[3], (unsigned long long)t.cycles, secs);
  }
  int errors = 0;
  auto expect = [&](const char* what, uint64_t got, uint64_t want) {
    if (got != want) {
      std::printf("FAIL stats %s = %llu, testbench counted %llu\n", what, (unsigned long long)got,
                  (unsigned long long)want);
      ++errors;
    }
  };
  // Counters are checked on the exported JSON tree (what reports and tools read).
  const auto j = stats.to_json();
  auto stat = [&](const char* a, const char* b = nullptr) -> uint64_t {
    return b ? j.at(a).at(b).get<uint64_t>() : j.at(a).get<uint64_t>();
  };
  const uint64_t t_per_row = static_cast<uint64_t>(params.tables_per_row());
  const uint64_t lanes = static_cast<uint64_t>(params.m) * params.n;
  expect("io.beats_in", stat("io", "beats_in"), t.beats);
  expect("io.blocks_out", stat("io", "blocks_out"), t.blocks);
  expect("array.planes", stat("array", "planes"), t.planes);
  expect("busy_cycles", stat("busy_cycles"), t.planes);
  expect("array.lookups", stat("array", "lookups"), lanes * t_per_row * t.planes);
  expect("precompute.table_reuses", stat("precompute", "table_reuses"), t.reuses);
  expect("precompute.tables", stat("precompute", "tables"),
         params.m * t_per_row * (t.beats - t.reuses));
  expect("dequant.groups", stat("dequant", "groups"), t.groups);
  expect("dequant.dequants", stat("dequant", "dequants"), lanes * t.groups);
  expect("cycles = busy + stalls", stat("cycles"),
         stat("busy_cycles") + stat("stall_no_input_cycles") + stat("stall_dequant_cycles"));
  if (const char* out = std::getenv("LOWBIT_STATS_OUT")) {
    std::ofstream(out) << stats.describe().dump(2) << "\n";
  }
  for (int f = 0; f < plan.formats(); ++f) {
    if (pf[f] < per_format) {
      std::printf("FAIL format %d ran %llu < %llu transactions\n", f, (unsigned long long)pf[f],
                  (unsigned long long)per_format);
      ++errors;
    }
  }
  if (!tb.done() || t.mismatches || t.golden_errors || t.timing_errors || errors) {
    std::printf(
        "FAIL %s: %llu sc/rtl cycle mismatches, %llu golden mismatches, %llu timing "
        "errors, %d stats errors (seed %llu)\n",
        name.c_str(), (unsigned long long)t.mismatches, (unsigned long long)t.golden_errors,
        (unsigned long long)t.timing_errors, errors, (unsigned long long)seed);
    return 1;
  }
  std::printf("PASS %s\n", name.c_str());
  return 0;
}
