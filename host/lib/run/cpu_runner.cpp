// The cpu backend of lowbit::run(): the workload's layers on the measured CPU reference kernels
// (docs/cpu-reference.md), each output checked against the integer-exact golden by its rule.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>

#include "host/lib/backends/cpu/cpu_run.h"
#include "lowbit/error.h"
#include "model/quant/weight_format.h"
#include "run_dump.h"
#include "run_steps.h"

namespace lowbit {

RunRecord run_cpu(const RunRequest& q) {
  const auto wall0 = std::chrono::steady_clock::now();
  check_side_outputs(q);
  check_workload_memory(q.workload);
  for (const LayerSpec& l : q.workload.layers) {
    // The CPU kernels take the affine formats only (their codes map to values by the kind).
    if (parse_weight_format(l.weight_format).codec != WeightCodec::kAffine) {
      throw InputError(fmt::format(
          "--backend cpu: layer '{}': weight format {} has no CPU reference kernel; allowed: {}",
          l.name, l.weight_format, fmt::join(weight_format_names(), ", ")));
    }
  }
  RunRecord r = record_header(q);
  if (q.on_start) q.on_start(r);
  const std::vector<std::unique_ptr<LayerData>> data = make_data(q.workload);
  const GoldenOutputs golden = run_goldens(q, data, r);
  std::vector<const LayerData*> dp;
  std::vector<const std::vector<float>*> gp;
  for (size_t i = 0; i < data.size(); ++i) {
    dp.push_back(data[i].get());
    gp.push_back(&golden.integer_exact[i]);
  }
  CpuRunSettings cs;
  cs.max_threads = q.cpu_threads;
  bool cpu_ok = false;
  r.cpu = run_cpu_reference(q.workload, dp, gp, cs, cpu_ok);
  if (q.workload.decoder) {
    // Whole decoder blocks: each linear layer on its fastest verified kernel of the table above.
    std::vector<std::string> best;
    for (const auto& l : r.cpu["layers"]) best.push_back(l.value("best", std::string()));
    bool blocks_ok = false;
    r.cpu["decoder"] =
        run_cpu_decoder(q.workload, q.config.vector.kv_cache(), dp, best, cs, blocks_ok);
    cpu_ok = cpu_ok && blocks_ok;
    r.not_modelled = {
        "the embedding gather (2 x hidden FP16 bytes per token: not timed on the CPU)",
        "measured CPU energy of the blocks (an estimate: package watts x time, labelled)"};
  }
  r.verified = cpu_ok && r.golden_kernels_agree;
  // The CPU kernels compute (and are checked against) the integer-exact golden.
  if (!q.dump_dir.empty()) {
    dump_run(q.dump_dir, q.workload, q.config, q.backend, data, golden.integer_exact, true);
  }
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return r;
}

}  // namespace lowbit
