// Memory bandwidth as STREAM measures it: triad a[i] = b[i] + s * c[i], best of N, arrays >> LLC.
#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "lowbit/cpu_reference.h"

namespace lowbit {
namespace {

constexpr size_t kMinArrayBytes = size_t{64} << 20;

// Runs fn(t, begin, end) on `threads` threads over a static partition of [0, n), as STREAM's
// OpenMP static schedule does, so each thread touches the same pages every repetition.
template <typename Fn>
void on_threads(int threads, size_t n, const Fn& fn) {
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    const size_t begin = n * t / threads;
    const size_t end = n * (t + 1) / threads;
    workers.emplace_back([&fn, t, begin, end] { fn(t, begin, end); });
  }
  for (auto& w : workers) w.join();
}

}  // namespace

StreamResult measure_stream_triad(const StreamOptions& opt) {
  if (opt.threads < 1 || opt.repetitions < 1) {
    throw std::invalid_argument("stream triad: threads and repetitions must be >= 1");
  }
  StreamResult r;
  r.threads = opt.threads;
  r.array_bytes = opt.array_bytes;
  if (r.array_bytes == 0) {
    r.array_bytes = std::max(kMinArrayBytes, 4 * read_cpu_info().llc_bytes);
  }
  const size_t n = r.array_bytes / sizeof(double);
  if (n < static_cast<size_t>(opt.threads))
    throw std::invalid_argument("stream triad: array too small");
  // Uninitialized storage: the owning thread touches its part first (NUMA first touch).
  std::unique_ptr<double[]> a(new double[n]), b(new double[n]), c(new double[n]);
  on_threads(opt.threads, n, [&](int, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      a[i] = 1.0;
      b[i] = 2.0;
      c[i] = 0.5;
    }
  });
  const double scalar = 3.0;
  std::vector<double> seconds;
  for (int rep = 0; rep < opt.repetitions; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    on_threads(opt.threads, n, [&](int, size_t begin, size_t end) {
      double* __restrict__ pa = a.get();
      const double* __restrict__ pb = b.get();
      const double* __restrict__ pc = c.get();
      for (size_t i = begin; i < end; ++i) pa[i] = pb[i] + scalar * pc[i];
    });
    const std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
    seconds.push_back(dt.count());
  }
  // Keep the result observable so the loop cannot be dropped.
  volatile double sink = a[n / 2];
  (void)sink;
  std::sort(seconds.begin(), seconds.end());
  const double bytes = 3.0 * static_cast<double>(n) * sizeof(double);
  r.best_seconds = seconds.front();
  r.best_gb_per_s = bytes / seconds.front() * 1e-9;
  r.median_gb_per_s = bytes / seconds[seconds.size() / 2] * 1e-9;
  return r;
}

}  // namespace lowbit
