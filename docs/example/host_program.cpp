// Example host program: connect to a backend, compile a layer for a config, run it, check every
// output against the golden model and read the stats; or (mode "run") the same layer through
// lowbit::run(), the whole pipeline in one call, and read its typed record. Built against the
// installed lowbit package. One mode per process: SystemC elaborates one accelerator per process.
//   host_program <config.json> [backend: golden | sim | rtl] [mode: connect | run]
#include <lowbit/accelerator.h>
#include <lowbit/compiler.h>
#include <lowbit/golden_run.h>
#include <lowbit/run.h>
#include <lowbit/workload.h>

#include <bit>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

// libsystemc wants the program to provide sc_main; connect() elaborates the model itself.
extern "C" int sc_main(int, char**) { return 1; }

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <config.json> [golden|sim|rtl] [connect|run]\n", argv[0]);
    return 2;
  }
  try {
    const lowbit::HwConfig hw = lowbit::load_hw_config(argv[1]);
    const std::string backend = argc > 2 ? argv[2] : "sim";
    lowbit::LayerSpec layer;
    layer.name = "q";
    layer.m = 3;
    layer.n = 40;
    layer.k = 256;
    layer.weight_format = "uint2";
    layer.group_size = 128;
    layer.activation_format = "int8";
    if (argc > 3 && std::string(argv[3]) == "run") {
      // The whole pipeline: data, golden, compile, backend, scoreboard, metrics.
      lowbit::RunRequest request;
      request.workload.name = "example";
      request.workload.origin = "host_program";
      request.workload.layers = {layer};
      request.config = hw;
      request.backend = backend;
      request.node = "";  // no cost model (energy and area need the characterization files)
      const lowbit::RunRecord record = lowbit::run(request);
      std::printf("lowbit::run %s on %s: verified %s, %llu outputs compared", layer.name.c_str(),
                  record.backend.c_str(), record.verified ? "yes" : "no",
                  static_cast<unsigned long long>(record.outputs_compared));
      if (record.metrics) {
        std::printf(", %llu cycles", static_cast<unsigned long long>(record.metrics->cycles));
      }
      std::printf("\n");
      return record.verified ? 0 : 1;
    }
    const lowbit::LayerData data = lowbit::make_layer_data(layer);
    const lowbit::GoldenLayerResult golden = lowbit::run_golden_layer(layer, data);
    lowbit::CompiledProgram cp = lowbit::compile(hw, {{layer, &data}});
    const lowbit::OutputRegion& out = cp.outputs.at(0);

    auto acc = lowbit::connect(backend, hw);
    uint64_t compared = 0, mismatches = 0;
    const uint64_t cycles = acc->run(cp.program, [&](uint64_t addr, const uint8_t* p, uint64_t n) {
      for (uint64_t i = 0; i + 4 <= n; i += 4) {
        const uint64_t e = (addr + i - out.dram) / 4;
        uint32_t got;
        std::memcpy(&got, p + i, 4);
        ++compared;
        if (got != std::bit_cast<uint32_t>(golden.out.at(e))) ++mismatches;
      }
    });
    std::printf("%s on %s (%s): %llu cycles, %llu outputs compared, %llu mismatches\n",
                layer.name.c_str(), hw.name.c_str(), acc->backend().c_str(),
                static_cast<unsigned long long>(cycles), static_cast<unsigned long long>(compared),
                static_cast<unsigned long long>(mismatches));
    if (acc->timed()) {
      std::printf("stats core.macs: %s\n", acc->stats()["core"]["macs"].dump().c_str());
    }
    return mismatches == 0 && compared == static_cast<uint64_t>(layer.m) * layer.n ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "host_program: %s\n", e.what());
    return 2;
  }
}
