// Measured CPU reference: real mpGEMM kernels timed on this machine, verified against golden.
//
// Three kernels compute O[M][N] = A[M][K] x W[N][K]^T for the same QuantizedWeights and
// Activations as every other backend (docs/cpu-reference.md):
//   sgemm        weights dequantized to FP32 offline, activations to FP32 per call, OpenBLAS
//                SGEMM (M > 1) / SGEMV (M = 1), then the row scale. Verified within a derived
//                bound.
//   onednn_int8  weight values as INT8 offline, oneDNN s8 x s8 -> s32 batched matmul (one batch
//                per weight group), then the dequant.h order. Bit-exact with golden.
//   tmac         T-MAC-style LUT kernel: bit-planes grouped by 4 offline, 16-entry activation
//                tables per 4 activations, AVX2 vpshufb lookups, exact integer group sums, then
//                the dequant.h order. Bit-exact with golden.
// Machine facts next to the numbers: CPU model and flags, STREAM-triad bandwidth, and energy from
// RAPL when readable, else an estimate from a configured package power, labelled as such.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/quant/tensors.h"

namespace lowbit {

/// The CPU reference kernels.
enum class CpuKernel : uint8_t { kSgemm, kOnednnInt8, kTmac };

/// "sgemm", "onednn_int8", "tmac".
const char* cpu_kernel_name(CpuKernel kind);
/// Every kernel, in the order above.
const std::vector<CpuKernel>& all_cpu_kernels();
/// Parses a name printed by cpu_kernel_name; nullopt for anything else.
std::optional<CpuKernel> parse_cpu_kernel(std::string_view name);

/// Options of one timed run.
struct CpuRunOptions {
  int threads = 1;  ///< worker threads, >= 1 (OpenBLAS, OpenMP for oneDNN, std::thread for T-MAC)
  int warmup = 1;   ///< untimed runs first
  int repetitions = 5;  ///< timed runs, >= 1; the median is reported
  bool verify = true;   ///< compare the output against golden (mpgemm_integer)
  /// Cold caches: evict_cpu_caches() before every timed run (untimed), so the weights come from
  /// DRAM as in a decode step over a model much larger than the caches. false: warm caches (the
  /// same weights re-read, partly from the LLC: optimistic for a real model).
  bool cold_caches = false;
  /// Precomputed mpgemm_integer(a, w), to share one golden run between kernels; computed when null.
  /// Not owned; must outlive the call.
  const std::vector<float>* golden = nullptr;
  /// Energy: where RAPL lives, and the package power used for the estimate when it is unreadable
  /// (<= 0: kEstimatedWattsPerCore x threads).
  std::string powercap_root = "/sys/class/powercap";
  double estimated_package_watts = 0;
};

/// Package power assumed per busy core when RAPL is unreadable and no power is configured: a
/// server part's TDP over its cores (e.g. 360 W / 96 cores = 3.75 W, 270 W / 40 = 6.75 W).
inline constexpr double kEstimatedWattsPerCore = 5.0;

/// Outcome of checking a kernel's output against golden.
struct CpuVerification {
  bool checked = false;
  bool passed = false;
  std::string rule;            ///< "bit-exact" or the bound, in words
  int64_t mismatches = 0;      ///< outputs that break the rule
  double max_abs_diff = 0;     ///< max |O - O_golden|
  double max_bound_ratio = 0;  ///< max |O - O_golden| / bound (bound rule only)
};

/// Energy of the timed repetitions.
struct CpuEnergy {
  bool measured = false;  ///< true: RAPL; false: estimate (or nothing)
  double joules_per_run = 0;
  double watts = 0;    ///< joules / seconds over the timed repetitions
  std::string source;  ///< "rapl: <domains>" or "estimate: <why> (<watts> W configured)"
};

/// Result of run_cpu_kernel.
struct CpuKernelResult {
  CpuKernel kernel = CpuKernel::kSgemm;
  bool available = false;
  std::string unavailable_reason;  ///< set when !available; nothing else is then filled in
  int threads = 1;
  std::vector<float> out;       ///< O[M][N] of the last repetition
  double prepare_seconds = 0;   ///< offline weight preprocessing (not in the timings)
  size_t weight_bytes = 0;      ///< size of the preprocessed weights the kernel streams
  std::string detail;           ///< ICpuKernel::detail(): library, implementation, ISA
  std::vector<double> seconds;  ///< wall time of each timed repetition
  double median_seconds = 0;
  double ops_per_second = 0;  ///< 2 M N K / median
  CpuVerification verification;
  CpuEnergy energy;
};

/// A kernel with its weights preprocessed once (the offline step), run many times.
/// Implementations own a copy of whatever they derived from the weights; the QuantizedWeights
/// passed to make_cpu_kernel need not outlive the kernel.
class ICpuKernel {
 public:
  virtual ~ICpuKernel() = default;
  virtual CpuKernel kind() const = 0;
  /// Bytes of preprocessed weight data one run reads.
  virtual size_t weight_bytes() const = 0;
  /// Computes O[M][N] into out (resized). `a` must match the weights' K and be accepted by
  /// cpu_kernel_supports; threads >= 1. Not thread-safe: one run at a time per object.
  virtual void run(const Activations& a, int threads, std::vector<float>& out) = 0;
  /// Per-output bound on |O - O_golden| for `a`, [M][N]; empty when the kernel is bit-exact.
  virtual std::vector<double> error_bound(const Activations& a) const = 0;
  /// Which library build / implementation / ISA ran, for the report (filled after a run).
  virtual std::string detail() const = 0;
};

/// Whether the kernel is built in, runs on this CPU and accepts these operand formats; when not,
/// *reason (if given) says why in one line.
bool cpu_kernel_supports(CpuKernel kind, const QuantizedWeights& w, ActFormat act,
                         std::string* reason = nullptr);
/// Preprocesses w for the kernel; null (with *reason) when cpu_kernel_supports says no.
/// Throws std::invalid_argument when w is malformed.
std::unique_ptr<ICpuKernel> make_cpu_kernel(CpuKernel kind, const QuantizedWeights& w,
                                            std::string* reason = nullptr);

/// Prepares, warms up, times `repetitions` runs, measures energy and verifies against golden.
/// An unsupported kernel returns available = false with the reason instead of throwing.
/// Throws std::invalid_argument on malformed operands or options.
CpuKernelResult run_cpu_kernel(CpuKernel kind, const Activations& a, const QuantizedWeights& w,
                               const CpuRunOptions& opt);

/// Writes max(64 MiB, 2 x LLC) of memory, evicting every cache level (the buffer is allocated
/// once).
void evict_cpu_caches();

/// Higham's gamma_n = n u / (1 - n u), u = 2^-24 (binary32).
double gamma_fp32(int n);
/// docs/cpu-reference.md: bound on |O_sgemm - O_golden| for an output with K terms and G groups,
/// abs_sum = sum_k |a_k w_k| of the dequantized operands:
/// (gamma_{K+1} + gamma_{G+2}) abs_sum + 2^-139.
double sgemm_error_bound(int k, int groups, double abs_sum);

// ---- machine facts -----------------------------------------------------------------------------

/// What the report says about the CPU (from /proc/cpuinfo, sysfs and cpuid).
struct CpuInfo {
  std::string model_name;  ///< /proc/cpuinfo "model name"
  int logical_cpus = 0;    ///< processors the OS lists
  int physical_cores = 0;  ///< distinct (physical id, core id) pairs; logical_cpus if unknown
  double mhz = 0;          ///< /proc/cpuinfo "cpu MHz" of the first CPU (0 if absent)
  size_t llc_bytes = 0;    ///< last-level cache size from sysfs (0 if unknown)
  bool avx2 = false;       ///< __builtin_cpu_supports
  bool fma = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512_vnni = false;
  std::vector<std::string> flags;  ///< the /proc/cpuinfo flags line, split
};

/// Reads the machine once per call. `cpuinfo_path` exists for tests.
CpuInfo read_cpu_info(const std::string& cpuinfo_path = "/proc/cpuinfo");
/// Parses the text of a /proc/cpuinfo file (cpuid-derived fields stay false).
CpuInfo parse_cpuinfo(std::string_view text);

/// STREAM triad a[i] = b[i] + s * c[i] over doubles.
struct StreamOptions {
  int threads = 1;
  int repetitions = 10;    ///< best of
  size_t array_bytes = 0;  ///< per array; 0: max(4 x LLC, 64 MiB)
};
struct StreamResult {
  int threads = 1;
  size_t array_bytes = 0;
  double best_gb_per_s = 0;  ///< 3 x array_bytes / best time, 1e9 bytes per GB (STREAM's count)
  double median_gb_per_s = 0;
  double best_seconds = 0;
};
/// Runs the triad (first touch by the owning thread, static partition). Throws on bad options.
StreamResult measure_stream_triad(const StreamOptions& opt);

/// Package energy counter: RAPL (powercap) package domains, summed, with wraparound handled.
class RaplMeter {
 public:
  /// Finds the top-level package domains under `powercap_root` (intel-rapl:N, also used by AMD).
  explicit RaplMeter(const std::string& powercap_root = "/sys/class/powercap");
  /// True when at least one package domain's energy_uj is readable.
  bool available() const { return !m_domains.empty(); }
  /// Why not available (empty when available).
  const std::string& reason() const { return m_reason; }
  /// Domain names joined, e.g. "package-0".
  std::string domains() const;
  /// Starts an interval (reads every counter).
  void start();
  /// Joules since start(), each counter corrected for one wraparound at max_energy_range_uj.
  double stop_joules();

  /// Energy delta of one counter in microjoules, handling one wrap at `range_uj`.
  static uint64_t delta_uj(uint64_t before, uint64_t after, uint64_t range_uj);

 private:
  struct Domain {
    std::string name;
    std::string energy_path;
    uint64_t range_uj = 0;
    uint64_t start_uj = 0;
  };
  std::vector<Domain> m_domains;
  std::string m_reason;
};

}  // namespace lowbit
