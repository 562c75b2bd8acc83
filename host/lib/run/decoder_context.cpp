// Step figures of decoder blocks and the context chart (lowbit/decoder_context.h).
#include "lowbit/decoder_context.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "lowbit/atomic_file.h"
#include "lowbit/decoder_chain.h"
#include "lowbit/error.h"
#include "lowbit/html.h"
#include "model/arch/dram_presets.h"
#include "model/arch/memory_system.h"
#include "model/arch/vector_timing.h"
#include "model/cost/dram_energy.h"

namespace lowbit {

DecoderStepFigures decoder_step_figures(const Workload& w, const HwConfig& hw,
                                        const BlockWork& block_work, const BlockWork& head_work,
                                        double linear_cycles, std::optional<double> linear_pj,
                                        const VectorUnitCost* vector_cost,
                                        std::optional<double> attention_phase_cycles,
                                        std::optional<double> other_vector_cycles,
                                        std::optional<double> head_vector_cycles) {
  const DecoderSpec& d = *w.decoder;
  const LayerSpec& q = w.layers[0];
  const double blocks = q.repeat;
  const MemoryBandwidth mb = memory_bandwidth(hw.top);
  const VectorTiming t = vector_timing(hw.vector, block_work, mb.deliverable);
  const VectorTiming th = vector_timing(hw.vector, head_work, mb.deliverable);
  DecoderStepFigures f;
  // The embedding gather: one FP16 row of hidden values per token (the rows are block 0's
  // synthesized input), with an LM head in the workload.
  f.embedding_bytes = d.vocab > 0 ? 2.0 * q.m * static_cast<double>(q.k) : 0.0;
  f.embedding_cycles = f.embedding_bytes / mb.deliverable;
  f.vector_once_cycles =
      (head_vector_cycles ? *head_vector_cycles : th.total_cycles) + f.embedding_cycles;
  const double block_cycles =
      (other_vector_cycles ? *other_vector_cycles : t.total_cycles - t.attention_cycles) +
      (attention_phase_cycles ? *attention_phase_cycles : t.attention_cycles);
  f.cycles = linear_cycles + block_cycles * blocks + f.vector_once_cycles;
  f.seconds = f.cycles / (hw.top.clock_mhz * 1e6);
  const int step_tokens = d.prefill ? 1 : q.m;
  f.tokens_per_second = step_tokens / f.seconds;
  const DramPreset* dp = find_dram_preset(hw.top.dram_preset);
  const DramEnergySpec& es = dram_energy_spec(dp ? dp->energy_spec : kDramHorowitzLow.name);
  f.kv_dram_pj = dram_energy_pj(
      es, static_cast<uint64_t>(blocks) * (block_work.kv_read_bytes + block_work.kv_write_bytes));
  f.embedding_dram_pj = dram_energy_pj(es, static_cast<uint64_t>(f.embedding_bytes));
  double head_vector_pj = 0;
  if (vector_cost) {
    f.vector_block = vector_energy(*vector_cost, block_work, d.ffn_act);
    head_vector_pj = vector_energy(*vector_cost, head_work, d.ffn_act).total_pj;
    f.vector_dynamic_pj = f.vector_block->total_pj * blocks + head_vector_pj;
    f.vector_leakage_pj = vector_cost->leakage_w * f.seconds * 1e12;
  }
  const double vector_pj = f.vector_dynamic_pj.value_or(0) + f.vector_leakage_pj.value_or(0);
  if (linear_pj) {
    f.joules_per_token =
        (*linear_pj + f.kv_dram_pj + f.embedding_dram_pj + vector_pj) * 1e-12 / step_tokens;
  }
  double block_macs = 0, head_macs = 0;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const LayerSpec& l = w.layers[i];
    (i < kBlockLinears ? block_macs : head_macs) += static_cast<double>(l.m) * l.n * l.k * l.repeat;
  }
  const double head_share = head_macs / (block_macs + head_macs);
  const double scale = (d.model_blocks > 0 ? d.model_blocks : blocks) / blocks;
  const double once = f.vector_once_cycles + linear_cycles * head_share;
  f.model_cycles = (f.cycles - once) * scale + once;
  f.model_tokens_per_second = step_tokens * hw.top.clock_mhz * 1e6 / f.model_cycles;
  if (linear_pj) {
    const double head_pj = *linear_pj * head_share;
    // The vector unit: the blocks' work x scale, the head's once, leakage over the model's step.
    const double model_vector_pj =
        vector_cost ? f.vector_block->total_pj * blocks * scale + head_vector_pj +
                          vector_cost->leakage_w * f.model_cycles / (hw.top.clock_mhz * 1e6) * 1e12
                    : 0.0;
    f.model_joules_per_token = ((*linear_pj - head_pj + f.kv_dram_pj) * scale + head_pj +
                                f.embedding_dram_pj + model_vector_pj) *
                               1e-12 / step_tokens;
  }
  return f;
}

DecodeStepSpec decoder_step_spec(const Workload& w, const HwConfig& hw, int context) {
  return decoder_step_spec(w, hw.vector.kv_cache(), context);
}

std::vector<ContextPoint> decoder_context_sweep(const Workload& w, const HwConfig& hw,
                                                double linear_cycles,
                                                std::optional<double> linear_pj,
                                                const VectorUnitCost* vector_cost,
                                                const std::vector<int>& contexts) {
  if (!w.decoder || w.decoder->prefill) {
    throw InputError(fmt::format(
        "--context-chart: workload '{}' is not a decode of decoder blocks; allowed: a workload "
        "with \"decoder\" and phase decode (docs/decoder.md)",
        w.name));
  }
  std::vector<ContextPoint> v;
  for (int L : contexts) {
    if (L < 1 || L > (1 << 17)) {
      throw InputError(
          fmt::format("--context-chart: context {} is out of range; allowed: [1, 131072]", L));
    }
    const BlockWork work = decoder_block_work(decoder_step_spec(w, hw, L));
    v.push_back({L, decoder_step_figures(w, hw, work, decoder_head_work(w), linear_cycles,
                                         linear_pj, vector_cost)});
  }
  return v;
}

namespace {

// One panel: a polyline of (log2 context, value) with its axis labels.
std::string panel(const std::vector<ContextPoint>& pts, const std::vector<double>& ys, double top,
                  const std::string& label, const char* color) {
  const double x0 = 70, x1 = 620, h = 200;
  const double lx0 = std::log2(pts.front().context), lx1 = std::log2(pts.back().context);
  const double ymax = *std::max_element(ys.begin(), ys.end()) * 1.1;
  const auto X = [&](double c) {
    return lx1 > lx0 ? x0 + (std::log2(c) - lx0) / (lx1 - lx0) * (x1 - x0) : x0;
  };
  const auto Y = [&](double y) { return top + h - y / ymax * h; };
  std::string s = fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"black\"/>"
      "<line x1=\"{0}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\" stroke=\"black\"/>\n"
      "<text x=\"{0}\" y=\"{4}\" font-size=\"13\">{5} (max {6:.4g})</text>\n",
      x0, top, top + h, x1, top - 8, label, ymax / 1.1);
  std::string pl;
  for (size_t i = 0; i < pts.size(); ++i) {
    pl += fmt::format("{:.1f},{:.1f} ", X(pts[i].context), Y(ys[i]));
    s += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>\n",
        X(pts[i].context), Y(ys[i]), color, X(pts[i].context), top + h + 14, pts[i].context);
  }
  s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"/>\n",
                   pl, color);
  return s;
}

}  // namespace

std::vector<std::string> write_context_chart(const std::string& prefix, const std::string& title,
                                             const std::vector<ContextPoint>& points) {
  std::string csv = "context,cycles,seconds_per_token,tokens_per_second,joules_per_token\n";
  std::vector<double> tps, jpt;
  bool have_j = true;
  for (const ContextPoint& p : points) {
    const DecoderStepFigures& f = p.figures;
    csv += fmt::format(
        "{},{:.0f},{:.6g},{:.6g},{}\n", p.context, f.model_cycles,
        f.model_cycles / f.cycles * f.seconds, f.model_tokens_per_second,
        f.model_joules_per_token ? fmt::format("{:.6g}", *f.model_joules_per_token) : "");
    tps.push_back(f.model_tokens_per_second);
    have_j = have_j && f.model_joules_per_token.has_value();
    jpt.push_back(f.model_joules_per_token.value_or(0));
  }
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"660\" height=\"{}\" "
      "font-family=\"sans-serif\">\n<text x=\"10\" y=\"20\" font-size=\"14\">{}</text>\n",
      have_j ? 560 : 300, html_escape(title));
  if (!points.empty()) {
    svg += panel(points, tps, 60, "decode tokens/s against context", "#1f77b4");
    if (have_j) svg += panel(points, jpt, 330, "J/token against context", "#d62728");
  }
  svg += "</svg>\n";
  write_file_atomic(prefix + ".csv", csv);
  write_file_atomic(prefix + ".svg", svg);
  return {prefix + ".csv", prefix + ".svg"};
}

}  // namespace lowbit
