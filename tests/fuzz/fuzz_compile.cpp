// libFuzzer target: configs (with `--set` overrides, as fuzz_config) that parse are compiled for a
// small fixed workload. The compiler must never emit what the encoder rejects: for an accepted
// config it returns a program or an InputError (e.g. a buffer too small), never IllegalInstruction.
#include <cstdint>
#include <memory>
#include <vector>

#include "fuzz_input.h"
#include "lowbit/compiler.h"
#include "lowbit/config_override.h"
#include "lowbit/error.h"
#include "model/arch/hw_config.h"
#include "model/json/json_input.h"

namespace {

// Two layers that exercise both activation formats, a partial group and several N blocks; their
// data are made once.
const std::vector<lowbit::LayerInput>& layers() {
  static const auto* inputs = [] {
    auto* v = new std::vector<lowbit::LayerInput>;
    static std::vector<std::unique_ptr<lowbit::LayerData>> data;
    static std::vector<lowbit::LayerSpec> specs(2);
    auto spec = [](const char* name, int m, int n, int k, const char* wf, int g, const char* af,
                   uint64_t seed, int repeat) {
      lowbit::LayerSpec s;
      s.name = name;
      s.m = m;
      s.n = n;
      s.k = k;
      s.weight_format = wf;
      s.group_size = g;
      s.activation_format = af;
      s.distribution = "gaussian";
      s.seed = seed;
      s.repeat = repeat;
      return s;
    };
    specs[0] = spec("a", 3, 40, 200, "uint4", 64, "int8", 1, 2);
    specs[1] = spec("b", 1, 24, 96, "ternary", 32, "fp16", 2, 1);
    for (const auto& s : specs) {
      data.push_back(std::make_unique<lowbit::LayerData>(lowbit::make_layer_data(s)));
      v->push_back({s, data.back().get()});
    }
    return v;
  }();
  return *inputs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lowbit;
  const auto parts = fuzz::split_parts(fuzz::as_text(data, size));
  HwConfig hw;
  try {
    hw = hw_config_from_json(parse_json_input(parts[0], "fuzz.json"), "fuzz.json");
    if (parts.size() > 1) {
      nlohmann::json j = hw.to_json();
      apply_overrides(j, fuzz::split_lines(parts[1]), "fuzz.json");
      hw = hw_config_from_json(j, "fuzz.json (with --set)");
    }
  } catch (const ConfigError&) {
    return 0;
  } catch (const InputError&) {
    return 0;
  } catch (const JsonInputError&) {
    return 0;
  }
  try {
    const CompiledProgram cp = compile(hw, layers());
    (void)isa::to_binary(cp.program.code);
  } catch (const InputError&) {
  }
  return 0;
}
