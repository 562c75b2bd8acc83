// CPU reference kernels against golden (every kernel x W1-W4 format x shape x threads), their
// verification rules, and the machine facts (cpuinfo parsing, STREAM triad, RAPL wraparound).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "lowbit/cpu_reference.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/act_quant.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"
#include "random_operands.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

using test::random_int8;
using test::random_weights;

uint64_t test_seed() {
  static const uint64_t seed = test::test_seed("host_cpu_reference_test", 20261124);
  return seed;
}

// The W1-W4 formats every kernel must handle.
std::vector<WeightFormat> low_bit_formats() {
  std::vector<WeightFormat> out;
  for (const char* name :
       {"binary", "ternary", "int2", "int3", "int4", "uint2", "uint3", "uint4"}) {
    out.push_back(parse_weight_format(name));
  }
  return out;
}

struct Shape {
  int m, n, k, group;
};

// M = 1 and M > 1; K not a multiple of the group (short last group), groups not a multiple of 4
// (padded chunks), an odd chunk count per group, N not a multiple of 32, one group per row, and a
// group longer than the T-MAC int16 segment (64 chunks = 256 elements).
const Shape kShapes[] = {
    {1, 64, 256, 128}, {1, 37, 200, 64},  {3, 40, 130, 32},  {5, 33, 100, 100},
    {2, 70, 301, 36},  {4, 32, 700, 700}, {7, 96, 512, 128},
};

std::string describe(const Shape& s, const WeightFormat& f, CpuKernel kind, int threads) {
  return std::string(cpu_kernel_name(kind)) + " M=" + std::to_string(s.m) +
         " N=" + std::to_string(s.n) + " K=" + std::to_string(s.k) +
         " G=" + std::to_string(s.group) + " " + f.name() + " threads=" + std::to_string(threads);
}

CpuRunOptions quick(int threads) {
  CpuRunOptions opt;
  opt.threads = threads;
  opt.warmup = 0;
  opt.repetitions = 1;
  return opt;
}

bool bit_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

class EveryKernel : public ::testing::TestWithParam<CpuKernel> {};

// Every kernel x W1-W4 format x shape x threads 1, 2 passes its verification rule against golden;
// the exact kernels are bit-identical to mpgemm_integer and independent of the thread count.
TEST_P(EveryKernel, MatchesGoldenOnEveryLowBitFormatAndShape) {
  const CpuKernel kind = GetParam();
  std::mt19937_64 rng(test_seed() ^ static_cast<uint64_t>(kind));
  double worst_ratio = 0;
  for (const WeightFormat& f : low_bit_formats()) {
    for (const Shape& s : kShapes) {
      const QuantizedWeights w = random_weights(rng, s.n, s.k, f, s.group);
      const Activations a = random_int8(rng, s.m, s.k);
      std::string reason;
      if (!cpu_kernel_supports(kind, w, a.format, &reason)) {
        GTEST_SKIP() << cpu_kernel_name(kind) << " unavailable: " << reason;
      }
      const std::vector<float> golden = mpgemm_integer(a, w);
      std::vector<float> first;
      for (int threads : {1, 2}) {
        CpuRunOptions opt = quick(threads);
        opt.golden = &golden;
        const CpuKernelResult r = run_cpu_kernel(kind, a, w, opt);
        const std::string what = describe(s, f, kind, threads);
        ASSERT_TRUE(r.available) << what << ": " << r.unavailable_reason;
        ASSERT_EQ(r.out.size(), static_cast<size_t>(s.m) * s.n) << what;
        ASSERT_TRUE(r.verification.checked) << what;
        EXPECT_TRUE(r.verification.passed)
            << what << ": " << r.verification.mismatches << " outputs break '"
            << r.verification.rule << "', max |diff| " << r.verification.max_abs_diff;
        if (kind != CpuKernel::kSgemm) {
          EXPECT_TRUE(bit_equal(r.out, golden)) << what;
          EXPECT_EQ(r.verification.rule, "bit-exact with mpgemm_integer");
        }
        if (threads == 1) {
          first = r.out;
        } else if (kind != CpuKernel::kSgemm) {
          EXPECT_TRUE(bit_equal(r.out, first)) << what << ": thread count changed the result";
        }
        worst_ratio = std::max(worst_ratio, r.verification.max_bound_ratio);
      }
    }
  }
  if (kind == CpuKernel::kSgemm) {
    std::printf("sgemm: largest |O - O_golden| / bound over all cases: %.3g\n", worst_ratio);
  }
}

INSTANTIATE_TEST_SUITE_P(CpuReference, EveryKernel,
                         ::testing::Values(CpuKernel::kSgemm, CpuKernel::kOnednnInt8,
                                           CpuKernel::kTmac),
                         [](const auto& info) { return std::string(cpu_kernel_name(info.param)); });

// Quantized LLM-like data (Gaussian weights and activations, G = 128) through every kernel at a
// size where the T-MAC blocks and oneDNN's blocking are exercised for real.
TEST(CpuReference, QuantizedGaussianLayerMatchesGolden) {
  const uint64_t seed = test_seed();
  for (const char* name : {"ternary", "int2", "uint4"}) {
    const QuantizedWeights w = quantize_weights(synth_gaussian(256, 1024, seed, 0.02f), 256, 1024,
                                                parse_weight_format(name), 128);
    const Activations a = quantize_activations_int8(synth_gaussian(9, 1024, seed + 1), 9, 1024);
    const std::vector<float> golden = mpgemm_integer(a, w);
    for (CpuKernel kind : all_cpu_kernels()) {
      CpuRunOptions opt = quick(2);
      opt.golden = &golden;
      const CpuKernelResult r = run_cpu_kernel(kind, a, w, opt);
      if (!r.available) {
        std::printf("%s unavailable: %s\n", cpu_kernel_name(kind), r.unavailable_reason.c_str());
        continue;
      }
      EXPECT_TRUE(r.verification.passed) << cpu_kernel_name(kind) << " " << name;
      std::printf("%s %s: %s\n", cpu_kernel_name(kind), name, r.detail.c_str());
    }
  }
}

// The SGEMM rule is a real check: the same output moved by twice its bound fails it, and the
// bound is not vacuous (a few multiples of the observed error, far below |O|).
TEST(CpuReference, SgemmBoundRejectsAPerturbedOutput) {
  std::mt19937_64 rng(test_seed() + 7);
  const QuantizedWeights w = random_weights(rng, 48, 1000, parse_weight_format("int4"), 128);
  const Activations a = random_int8(rng, 3, 1000);
  std::string reason;
  auto kernel = make_cpu_kernel(CpuKernel::kSgemm, w, &reason);
  ASSERT_TRUE(kernel) << reason;
  std::vector<float> out;
  kernel->run(a, 1, out);
  const std::vector<double> bound = kernel->error_bound(a);
  const std::vector<float> golden = mpgemm_integer(a, w);
  ASSERT_EQ(bound.size(), out.size());
  double max_rel_bound = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_LE(std::fabs(static_cast<double>(out[i]) - golden[i]), bound[i]) << i;
    EXPECT_GT(std::fabs(static_cast<double>(out[i]) + 2 * bound[i] - golden[i]), bound[i]) << i;
    if (golden[i] != 0) max_rel_bound = std::max(max_rel_bound, bound[i] / std::fabs(golden[i]));
  }
  std::printf("sgemm: bound / |O| at most %.3g (K = 1000)\n", max_rel_bound);
}

TEST(CpuReference, GammaAndBoundFormulas) {
  EXPECT_DOUBLE_EQ(gamma_fp32(1), 0x1p-24 / (1 - 0x1p-24));
  EXPECT_DOUBLE_EQ(gamma_fp32(4096), 0x1p-12 / (1 - 0x1p-12));
  EXPECT_DOUBLE_EQ(sgemm_error_bound(10, 2, 0.0), 0x1p-139);
  EXPECT_DOUBLE_EQ(sgemm_error_bound(10, 2, 1.0), gamma_fp32(11) + gamma_fp32(4) + 0x1p-139);
}

// Unsupported operand formats give a reason, never a wrong answer or a throw.
TEST(CpuReference, UnsupportedFormatsReportUnavailableWithAReason) {
  std::mt19937_64 rng(test_seed() + 11);
  const QuantizedWeights w8 = random_weights(rng, 8, 64, parse_weight_format("int8"), 32);
  const Activations a = random_int8(rng, 1, 64);
  const CpuKernelResult tmac = run_cpu_kernel(CpuKernel::kTmac, a, w8, quick(1));
  EXPECT_FALSE(tmac.available);
  EXPECT_NE(tmac.unavailable_reason.find("1-4 bit"), std::string::npos) << tmac.unavailable_reason;

  const QuantizedWeights u8 = random_weights(rng, 8, 64, parse_weight_format("uint8"), 32);
  const CpuKernelResult dnnl = run_cpu_kernel(CpuKernel::kOnednnInt8, a, u8, quick(1));
  EXPECT_FALSE(dnnl.available);
  EXPECT_FALSE(dnnl.unavailable_reason.empty());

  // FP16 activations: SGEMM runs within its bound; the integer-table kernels decline.
  const QuantizedWeights w2 = random_weights(rng, 8, 64, parse_weight_format("int2"), 32);
  const Activations h = quantize_activations_fp16(synth_gaussian(2, 64, 5), 2, 64);
  const CpuKernelResult sg = run_cpu_kernel(CpuKernel::kSgemm, h, w2, quick(1));
  ASSERT_TRUE(sg.available);
  EXPECT_TRUE(sg.verification.passed) << sg.verification.max_abs_diff;
  for (CpuKernel k : {CpuKernel::kOnednnInt8, CpuKernel::kTmac}) {
    const CpuKernelResult r = run_cpu_kernel(k, h, w2, quick(1));
    EXPECT_FALSE(r.available) << cpu_kernel_name(k);
    EXPECT_FALSE(r.unavailable_reason.empty()) << cpu_kernel_name(k);
  }
}

TEST(CpuReference, TimingsMedianAndThroughputAreConsistent) {
  std::mt19937_64 rng(test_seed() + 13);
  const QuantizedWeights w = random_weights(rng, 64, 256, parse_weight_format("int2"), 128);
  const Activations a = random_int8(rng, 2, 256);
  CpuRunOptions opt;
  opt.repetitions = 4;
  opt.warmup = 1;
  const CpuKernelResult r = run_cpu_kernel(CpuKernel::kSgemm, a, w, opt);
  ASSERT_TRUE(r.available);
  ASSERT_EQ(r.seconds.size(), 4u);
  std::vector<double> s = r.seconds;
  std::sort(s.begin(), s.end());
  EXPECT_DOUBLE_EQ(r.median_seconds, 0.5 * (s[1] + s[2]));
  EXPECT_NEAR(r.ops_per_second * r.median_seconds, 2.0 * 2 * 64 * 256, 1e-6);
  EXPECT_EQ(r.weight_bytes, 64u * 256 * sizeof(float));
  EXPECT_FALSE(r.detail.empty());
}

TEST(CpuReference, BadOptionsAndOperandsThrow) {
  std::mt19937_64 rng(test_seed() + 17);
  const QuantizedWeights w = random_weights(rng, 8, 64, parse_weight_format("int2"), 32);
  const Activations a = random_int8(rng, 1, 64);
  CpuRunOptions opt = quick(0);
  EXPECT_THROW(run_cpu_kernel(CpuKernel::kSgemm, a, w, opt), std::invalid_argument);
  opt = quick(1);
  opt.repetitions = 0;
  EXPECT_THROW(run_cpu_kernel(CpuKernel::kSgemm, a, w, opt), std::invalid_argument);
  const Activations wrong_k = random_int8(rng, 1, 65);
  for (CpuKernel k : all_cpu_kernels()) {
    EXPECT_THROW(run_cpu_kernel(k, wrong_k, w, quick(1)), std::invalid_argument);
  }
}

TEST(CpuReference, KernelNamesRoundTrip) {
  for (CpuKernel k : all_cpu_kernels()) EXPECT_EQ(parse_cpu_kernel(cpu_kernel_name(k)), k);
  EXPECT_FALSE(parse_cpu_kernel("cublas").has_value());
}

// Energy falls back to a labelled estimate when RAPL is absent, from the configured power.
TEST(CpuReference, EnergyWithoutRaplIsALabelledEstimate) {
  std::mt19937_64 rng(test_seed() + 19);
  const QuantizedWeights w = random_weights(rng, 16, 64, parse_weight_format("int2"), 32);
  const Activations a = random_int8(rng, 1, 64);
  CpuRunOptions opt = quick(1);
  opt.powercap_root = "/nonexistent/powercap";
  opt.estimated_package_watts = 42;
  const CpuKernelResult r = run_cpu_kernel(CpuKernel::kSgemm, a, w, opt);
  EXPECT_FALSE(r.energy.measured);
  EXPECT_DOUBLE_EQ(r.energy.watts, 42);
  EXPECT_DOUBLE_EQ(r.energy.joules_per_run, 42 * r.median_seconds);
  EXPECT_NE(r.energy.source.find("estimate, not measured"), std::string::npos) << r.energy.source;
  EXPECT_NE(r.energy.source.find("configured"), std::string::npos) << r.energy.source;
}

// ---- machine facts ----

TEST(CpuInfo, ParsesModelCoresAndFlags) {
  const char* text =
      "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Test CPU @ 2.60GHz\n"
      "cpu MHz\t\t: 2600.000\nphysical id\t: 0\ncore id\t\t: 0\n"
      "flags\t\t: fpu sse2 avx2 fma avx512f\n\n"
      "processor\t: 1\nmodel name\t: Test CPU @ 2.60GHz\ncpu MHz\t\t: 2500.000\n"
      "physical id\t: 0\ncore id\t\t: 0\nflags\t\t: fpu sse2 avx2 fma avx512f\n\n"
      "processor\t: 2\nmodel name\t: Test CPU @ 2.60GHz\nphysical id\t: 0\ncore id\t\t: 1\n";
  const CpuInfo info = parse_cpuinfo(text);
  EXPECT_EQ(info.model_name, "Test CPU @ 2.60GHz");
  EXPECT_EQ(info.logical_cpus, 3);
  EXPECT_EQ(info.physical_cores, 2);  // two hyperthreads of core 0, one of core 1
  EXPECT_DOUBLE_EQ(info.mhz, 2600.0);
  EXPECT_EQ(info.flags, (std::vector<std::string>{"fpu", "sse2", "avx2", "fma", "avx512f"}));
}

TEST(CpuInfo, ReadsThisMachine) {
  const CpuInfo info = read_cpu_info();
  EXPECT_FALSE(info.model_name.empty());
  EXPECT_GE(info.logical_cpus, 1);
  EXPECT_GE(info.physical_cores, 1);
  std::printf("cpu: %s, %d logical / %d cores, LLC %zu KiB, avx2 %d avx512f %d vnni %d\n",
              info.model_name.c_str(), info.logical_cpus, info.physical_cores, info.llc_bytes >> 10,
              info.avx2, info.avx512f, info.avx512_vnni);
}

TEST(StreamTriad, MeasuresAPositiveBandwidthOnOneAndTwoThreads) {
  for (int threads : {1, 2}) {
    StreamOptions opt;
    opt.threads = threads;
    opt.repetitions = 3;
    opt.array_bytes = size_t{8} << 20;  // small: a smoke test, not the measurement
    const StreamResult r = measure_stream_triad(opt);
    EXPECT_EQ(r.array_bytes, opt.array_bytes);
    EXPECT_GT(r.best_gb_per_s, 0.1) << threads;
    EXPECT_GE(r.best_gb_per_s, r.median_gb_per_s) << threads;
  }
  EXPECT_THROW(measure_stream_triad(StreamOptions{0, 1, 0}), std::invalid_argument);
}

// A fake powercap tree: the package zone counts, its sub-zone does not, one wrap is corrected.
TEST(Rapl, ReadsPackageZonesAndHandlesWraparound) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("lowbit_rapl_" + std::to_string(getpid()));
  fs::remove_all(root);
  const auto put = [](const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text << "\n";
  };
  put(root / "intel-rapl:0" / "name", "package-0");
  put(root / "intel-rapl:0" / "energy_uj", "999000000");
  put(root / "intel-rapl:0" / "max_energy_range_uj", "1000000000");
  put(root / "intel-rapl:0:0" / "name", "core");
  put(root / "intel-rapl:0:0" / "energy_uj", "5");
  RaplMeter meter(root.string());
  ASSERT_TRUE(meter.available()) << meter.reason();
  EXPECT_EQ(meter.domains(), "package-0");
  meter.start();
  put(root / "intel-rapl:0" / "energy_uj", "2000000");  // wrapped: 1 J to the top, then 2 J
  EXPECT_DOUBLE_EQ(meter.stop_joules(), 3.0);
  fs::remove_all(root);

  EXPECT_EQ(RaplMeter::delta_uj(10, 25, 100), 15u);
  EXPECT_EQ(RaplMeter::delta_uj(90, 5, 100), 15u);
  const RaplMeter none("/nonexistent/powercap");
  EXPECT_FALSE(none.available());
  EXPECT_NE(none.reason().find("/nonexistent/powercap"), std::string::npos);
}

}  // namespace
}  // namespace lowbit
