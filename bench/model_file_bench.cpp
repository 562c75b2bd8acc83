// Model-file read speed: one Llama-2-7B-shaped decoder block (hidden 4096, FFN 11008, 202.4 M
// weights) per ggml type, written to a temp GGUF once, then opened and every linear layer loaded
// as `lowbit run --model` does per block (ModelFile::linear + load: exact types decoded and
// dequantized for the error report, F16 decoded and quantized to uint4 g128). Melem/s counts
// weights per wall second.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "lowbit/model_file.h"
#include "tests/lib/tiny_model.h"

namespace lowbit {
namespace {

std::string block_file(uint32_t type) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("lowbit_bench_model_" + std::to_string(type) + ".gguf");
  test::TinyShape s;
  s.blocks = 1;
  s.hidden = 4096;
  s.ffn = 11008;
  s.heads = 32;
  s.kv_heads = 32;
  test::GgufWriter w;
  test::tiny_gguf(w, 1, {type, type, type, type, type, type, type}, s);
  w.write(path.string());
  return path.string();
}

void load_block(benchmark::State& state, uint32_t type) {
  const std::string path = block_file(type);
  double weights = 0;
  for (auto _ : state) {
    const ModelFile m(path);
    weights = 0;
    for (LinearRole r : kLinearRoles) {
      const ModelTensor t = m.linear(0, r);
      benchmark::DoNotOptimize(m.load(t, parse_weight_format("uint4"), 128));
      weights += double{1} * t.n * t.k;
    }
  }
  state.counters["Melem/s"] =
      benchmark::Counter(weights * 1e-6, benchmark::Counter::kIsIterationInvariantRate);
  std::filesystem::remove(path);
}

BENCHMARK_CAPTURE(load_block, Q4_0, test::kGgmlQ4_0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(load_block, Q8_0, test::kGgmlQ8_0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(load_block, TQ2_0, test::kGgmlTQ2_0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(load_block, TQ1_0, test::kGgmlTQ1_0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(load_block, F16_to_uint4_g128, test::kGgmlF16)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace lowbit

BENCHMARK_MAIN();
