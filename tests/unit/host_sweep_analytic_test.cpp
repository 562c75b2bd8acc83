// The analytic tier's shapes-only compile (CompileMode::kShapesOnly, what estimate_run compiles):
// the same code, tiling and DRAM image size as the full compile of the same layers with data,
// on every unit, decode and prefill, a short last group, FP16, repeat and several layers.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "lowbit/compiler.h"
#include "lowbit/golden_run.h"
#include "lowbit/sweep_analytic.h"
#include "model/isa/isa.h"
#include "model/quant/weight_format.h"

namespace lowbit {
namespace {

std::filesystem::path source_dir() {
  const char* env = std::getenv("LOWBIT_SOURCE_DIR");
  return env ? env : LOWBIT_SOURCE_DIR_FALLBACK;
}

LayerSpec layer(const std::string& name, int m, int n, int k, const std::string& w, int group,
                const std::string& acts, int repeat = 1) {
  LayerSpec l;
  l.name = name;
  l.m = m;
  l.n = n;
  l.k = k;
  l.weight_format = w;
  l.group_size = group;
  l.activation_format = acts;
  l.repeat = repeat;
  return l;
}

// The data a shapes-only compile gets: formats and shapes, no arrays.
LayerData shapes_of(const LayerSpec& l) {
  LayerData d;
  const WeightFormat f = parse_weight_format(l.weight_format);
  d.weights.n = l.n;
  d.weights.k = l.k;
  d.weights.bits = f.bits;
  d.weights.kind = f.kind;
  d.weights.codec = f.codec;
  d.weights.group_size = l.group_size == 0 ? l.k : l.group_size;
  d.acts.m = l.m;
  d.acts.k = l.k;
  d.acts.format = l.activation_format == "fp16" ? ActFormat::kFp16 : ActFormat::kInt8;
  return d;
}

void expect_same_compile(const std::string& config, const std::string& w, const std::string& acts) {
  const HwConfig hw = load_hw_config((source_dir() / "configs" / (config + ".json")).string());
  const std::vector<LayerSpec> layers = {layer("decode", 1, 40, 200, w, 32, acts, 2),
                                         layer("prefill", 19, 24, 96, w, 64, acts)};
  std::vector<LayerData> full, shapes;
  for (const auto& l : layers) {
    full.push_back(make_layer_data(l));
    shapes.push_back(shapes_of(l));
  }
  std::vector<LayerInput> in_full, in_shapes;
  for (size_t i = 0; i < layers.size(); ++i) {
    in_full.push_back({layers[i], &full[i]});
    in_shapes.push_back({layers[i], &shapes[i]});
  }
  const CompiledProgram a = compile(hw, in_full);
  const CompiledProgram b = compile(hw, in_shapes, CompileMode::kShapesOnly);
  EXPECT_EQ(a.dram_image_bytes, a.program.dram.size()) << config;
  EXPECT_EQ(b.dram_image_bytes, a.program.dram.size()) << config;
  EXPECT_TRUE(b.program.dram.empty()) << config;
  ASSERT_EQ(a.program.code.size(), b.program.code.size()) << config;
  for (size_t i = 0; i < a.program.code.size(); ++i) {
    ASSERT_EQ(isa::encode(a.program.code[i]), isa::encode(b.program.code[i]))
        << config << ": instruction " << i;
  }
  ASSERT_EQ(a.tiling.size(), b.tiling.size());
  for (size_t i = 0; i < a.tiling.size(); ++i) {
    EXPECT_EQ(a.tiling[i].to_json(), b.tiling[i].to_json()) << config;
  }
  EXPECT_EQ(a.max_repeat, b.max_repeat);
  // estimate_run compiles so: its record names the same image size and instruction count.
  Workload wl;
  wl.name = "two";
  wl.layers = layers;
  const RunRecord r = estimate_run(hw, wl);
  EXPECT_EQ(r.dram_image_bytes, a.program.dram.size()) << config;
  EXPECT_EQ(r.program_instructions, a.program.code.size()) << config;
  EXPECT_GT(r.metrics->cycles, 0u);
}

TEST(AnalyticCompile, ShapesOnlyIsTheFullCompileWithoutData) {
  expect_same_compile("lutcore_m2n8k4", "uint2", "int8");
  expect_same_compile("lutcore_m2n8k4", "int3", "fp16");
  expect_same_compile("mixpe_8x8", "uint4", "int8");
  expect_same_compile("mac_8x8", "int4", "fp16");
  expect_same_compile("bitmod_4x4", "bitmod_w4", "fp16");
}

}  // namespace
}  // namespace lowbit
