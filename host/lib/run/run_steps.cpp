// Steps every backend of lowbit::run() shares: the record's identity, output checks, data, golden.
#include "run_steps.h"

#include "lowbit/error.h"
#include "lowbit/output_path.h"
#include "model/arch/tile_layout.h"
#include "model/kernels/mac_fp16.h"

namespace lowbit {

RunRecord record_header(const RunRequest& q) {
  RunRecord r;
  r.workload = q.workload.name;
  r.config_name = q.config.name;
  r.config = q.config.to_json();
  r.core = q.config.unit_name();
  r.backend = q.backend;
  r.not_modelled = q.workload.not_modelled;
  // Whole decoder blocks run on the program backends and the CPU reference (which sets its own
  // list); the analytic backend runs the linear layers.
  if (q.workload.decoder && q.backend == "analytic") {
    r.not_modelled = linear_only_not_modelled();
  }
  return r;
}

void check_side_outputs(const RunRequest& q) {
  if (!q.trace_path.empty()) check_output_file(q.trace_path, "--trace");
  if (!q.vcd_path.empty()) check_output_file(vcd_file_path(q.vcd_path), "--vcd");
  if (!q.dump_dir.empty()) check_output_dir(q.dump_dir, "--dump");
}

std::vector<std::unique_ptr<LayerData>> make_data(const Workload& w) {
  std::vector<std::unique_ptr<LayerData>> data;
  std::vector<float> weight_scratch;  // one float image for every layer's weights, reused
  for (const LayerSpec& l : w.layers)
    data.push_back(std::make_unique<LayerData>(make_layer_data(l, &weight_scratch)));
  return data;
}

GoldenOutputs run_goldens(const RunRequest& q, const std::vector<std::unique_ptr<LayerData>>& data,
                          RunRecord& r) {
  const HwConfig& hw = q.config;
  GoldenOutputs out;
  bool kernels_ok = true;
  for (size_t li = 0; li < q.workload.layers.size(); ++li) {
    const LayerSpec& l = q.workload.layers[li];
    const LayerData& d = *data[li];
    GoldenLayerResult g = run_golden_layer(l, d);
    kernels_ok = kernels_ok && g.integer_paths_bit_exact && g.within_bound;
    r.ops_per_run += layer_ops(l) * l.repeat;
    // The mac baseline with FP16 activations rounds differently (docs/mac.md): its own golden.
    if (hw.unit->group_rule(d.acts.format == ActFormat::kFp16) == GroupRule::kMacFp16) {
      out.hardware.push_back(mac_fp16_gemm(d.weights, d.acts));
    } else {
      out.hardware.push_back(g.out);
    }
    LayerRecord lr = layer_record(l);
    lr.integer_paths_bit_exact = g.integer_paths_bit_exact;
    lr.max_abs_diff_vs_reference = g.max_abs_diff_vs_reference;
    lr.error_bound = g.error_bound;
    lr.quantization_rel_error = g.quantization_rel_error;
    lr.weight_type_mix = g.weight_type_mix;
    lr.rtn_weight_format = g.rtn_weight_format;
    lr.rtn_quantization_rel_error = g.rtn_quantization_rel_error;
    out.integer_exact.push_back(std::move(g.out));
    r.layers.push_back(lr);
    if (q.on_layer) q.on_layer(r.layers.back());
  }
  r.golden_kernels_agree = kernels_ok;
  return out;
}

}  // namespace lowbit
