// Row-parallel loops for the data generators and quantizers: contiguous row chunks on std::threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

namespace lowbit {

/// Calls row_fn(r) for every r in [0, rows), split into contiguous chunks over `threads` threads
/// (0 = std::thread::hardware_concurrency()). Callers must make row r's result depend on r only,
/// never on the chunking, so the output is the same for every thread count. Matrices of fewer
/// than 2^16 elements per thread stay on the calling thread. row_fn must not throw.
template <typename RowFn>
void parallel_rows(int rows, int cols, int threads, RowFn&& row_fn) {
  constexpr size_t kMinElementsPerThread = size_t{1} << 16;
  if (rows <= 0) return;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const size_t elems = static_cast<size_t>(rows) * static_cast<size_t>(std::max(cols, 0));
  const size_t most = std::min<size_t>(rows, std::max<size_t>(1, elems / kMinElementsPerThread));
  threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), most));
  auto run = [&row_fn](int begin, int end) {
    for (int r = begin; r < end; ++r) row_fn(r);
  };
  const auto bound = [&](int t) { return static_cast<int>(int64_t{rows} * t / threads); };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads - 1));
  for (int t = 1; t < threads; ++t) pool.emplace_back(run, bound(t), bound(t + 1));
  run(0, bound(1));
  for (auto& th : pool) th.join();
}

}  // namespace lowbit
