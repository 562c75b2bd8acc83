// `lowbit run --backend cpu` on whole decoder blocks (cpu_run.h): time, check and record them.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

#include "host/lib/backends/cpu/cpu_decoder.h"
#include "host/lib/backends/cpu/cpu_run.h"
#include "lowbit/decoder_chain.h"
#include "model/kernels/decoder_block_reference.h"
#include "model/kernels/mpgemm.h"
#include "model/kernels/vector_ops.h"

namespace lowbit {
namespace {

using OJ = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// A linear output against golden by its kernel's rule: bit for bit, or within error_bound.
bool linear_within_rule(const ICpuKernel& k, const Activations& a, const std::vector<float>& out,
                        const std::vector<float>& golden) {
  if (out.size() != golden.size()) return false;
  const std::vector<double> bound = k.error_bound(a);
  for (size_t i = 0; i < out.size(); ++i) {
    if (bound.empty()) {
      if (std::memcmp(&out[i], &golden[i], sizeof(float)) != 0) return false;
    } else if (!(std::fabs(static_cast<double>(out[i]) - golden[i]) <= bound[i])) {
      return false;
    }
  }
  return true;
}

OJ class_json(const CpuClassSeconds& c) {
  return {{"linear", c.linear},
          {"attention_matmuls", c.attention_matmuls},
          {"kv_traffic", c.kv_traffic},
          {"nonlinear", c.nonlinear}};
}

// The rep of median total (its class split with it).
CpuClassSeconds median_rep(std::vector<CpuClassSeconds> reps) {
  std::sort(reps.begin(), reps.end(), [](const CpuClassSeconds& a, const CpuClassSeconds& b) {
    return a.total() < b.total();
  });
  return reps[reps.size() / 2];
}

CpuKernel kernel_of(const std::string& best, const QuantizedWeights& w, ActFormat act) {
  const std::string name = best.substr(0, best.find(' '));
  if (const auto k = parse_cpu_kernel(name)) return *k;
  // No verified kernel in the table: the first that accepts the operands (SGEMM takes all).
  for (CpuKernel k : all_cpu_kernels()) {
    if (cpu_kernel_supports(k, w, act)) return k;
  }
  return CpuKernel::kSgemm;
}

}  // namespace

OJ run_cpu_decoder(const Workload& w, const KvCacheSpec& kv,
                   const std::vector<const LayerData*>& data,
                   const std::vector<std::string>& best_kernels, const CpuRunSettings& s,
                   bool& verified) {
  const DecoderSpec& dec = *w.decoder;
  const LayerSpec& q = w.layers[0];
  const int blocks = q.repeat;
  const int model_blocks = dec.model_blocks > 0 ? dec.model_blocks : blocks;
  const int max_threads = s.max_threads > 0
                              ? s.max_threads
                              : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const int golden_threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  DecodeStepSpec spec = decoder_step_spec(w, kv, dec.context);
  spec.act_format = data[0]->acts.format;
  spec.check = false;
  const DecoderGains gains = decoder_gains(w);
  gains.set(spec);
  std::array<const QuantizedWeights*, kBlockLinears> wts{};
  std::array<CpuKernel, kBlockLinears> kinds{};
  OJ kernels_json;
  for (int i = 0; i < kBlockLinears; ++i) {
    wts[i] = &data[i]->weights;
    kinds[i] = kernel_of(best_kernels.at(i), *wts[i], spec.act_format);
    kernels_json[w.layers[i].name] = cpu_kernel_name(kinds[i]);
  }
  CpuDecoderBlock block(spec, wts, kinds);
  const bool has_head = w.layers.size() == 8;
  std::unique_ptr<ICpuKernel> head;
  if (has_head) {
    const CpuKernel hk = kernel_of(best_kernels.at(7), data[7]->weights, spec.act_format);
    head = make_cpu_kernel(hk, data[7]->weights);
    kernels_json[w.layers[7].name] = cpu_kernel_name(hk);
  }
  const int reps = std::max(1, s.repetitions);
  // [threads - 1][0 cold, 1 warm]: the blocks' summed median per class, and the LM head step.
  std::vector<std::array<CpuClassSeconds, 2>> total(static_cast<size_t>(max_threads));
  bool linear_ok = true;
  uint64_t linear_checked = 0;
  double block0_rel_l2 = 0;
  ReferenceFlips flips;
  const double rule = decoder_block_rule(spec.act_format, kv.format);
  const auto golden_linear = [&](BlockLinear l, const Activations& a) {
    return mpgemm_integer_prechecked(a, data[static_cast<size_t>(l)]->weights, golden_threads);
  };
  const auto t_all = Clock::now();
  double check_seconds = 0;
  std::vector<float> x = data[0]->a_float;
  for (int b = 0; b < blocks; ++b) {
    block.load_past(decoder_kv_seed(w, b));
    std::vector<float> next;
    for (int t = 1; t <= max_threads; ++t) {
      for (int c = 0; c < 2; ++c) {
        std::vector<CpuClassSeconds> runs;
        block.run(x, t);  // warm-up (untimed): first-touch of the buffers and the kernels' state
        for (int r = 0; r < reps; ++r) {
          if (c == 0) evict_cpu_caches();
          CpuDecoderBlock::Step st = block.run(x, t);
          runs.push_back(st.seconds);
          if (t == 1 && c == 0 && r == 0) {
            // The checked step: its output is the next block's input.
            const auto c0 = Clock::now();
            for (int i = 0; i < kBlockLinears; ++i) {
              const std::vector<float> g =
                  golden_linear(static_cast<BlockLinear>(i), st.linear_inputs[i]);
              linear_ok =
                  linear_ok && linear_within_rule(block.kernel(static_cast<BlockLinear>(i)),
                                                  st.linear_inputs[i], st.linear_outputs[i], g);
              linear_checked += g.size();
            }
            if (b == 0) {
              DecodeStepSpec rs = spec;
              rs.kv_seed = decoder_kv_seed(w, 0);
              const std::vector<double> ref =
                  decoder_decode_step_reference(rs, x, golden_linear, &st.linear_inputs, &flips);
              block0_rel_l2 = decoder_rel_l2(st.out, ref);
            }
            next = std::move(st.out);
            check_seconds += since(c0);
          }
        }
        total[static_cast<size_t>(t - 1)][static_cast<size_t>(c)].add(median_rep(runs));
      }
    }
    x = std::move(next);
  }
  // The final RMSNorm and the LM head on the rows that produce a token, once per step.
  bool head_ok = true;
  std::vector<std::array<CpuClassSeconds, 2>> head_total(static_cast<size_t>(max_threads));
  if (has_head) {
    const size_t H = static_cast<size_t>(q.k);
    const int rows = dec.prefill ? 1 : q.m;
    const std::vector<float> g3 = decoder_norm_gain(w, 3);
    const std::vector<float> last(x.end() - static_cast<std::ptrdiff_t>(rows * H), x.end());
    for (int t = 1; t <= max_threads; ++t) {
      for (int c = 0; c < 2; ++c) {
        std::vector<CpuClassSeconds> runs;
        std::vector<float> out;
        for (int r = 0; r < reps; ++r) {
          if (c == 0) evict_cpu_caches();
          CpuClassSeconds cs;
          auto t0 = Clock::now();
          std::vector<float> normed(last.size());
          for (int i = 0; i < rows; ++i) {
            rmsnorm_f32({last.data() + i * H, H}, g3, spec.shape.norm_eps,
                        {normed.data() + i * H, H});
          }
          const Activations a = requantize(normed, rows, q.k, spec.act_format);
          cs.nonlinear = since(t0);
          t0 = Clock::now();
          head->run(a, t, out);
          cs.linear = since(t0);
          runs.push_back(cs);
          if (t == 1 && c == 0 && r == 0) {
            head_ok = linear_within_rule(
                *head, a, out, mpgemm_integer_prechecked(a, data[7]->weights, golden_threads));
            linear_checked += out.size();
          }
        }
        head_total[static_cast<size_t>(t - 1)][static_cast<size_t>(c)] = median_rep(runs);
      }
    }
  }
  const bool block_ok = block0_rel_l2 <= rule && flips.far == 0;
  verified = linear_ok && head_ok && block_ok;

  // Figures per cache mode: the best thread count by the step's total.
  const int step_tokens = dec.prefill ? 1 : q.m;
  const char* labels[2] = {
      "cold caches: evicted before every timed block step (weights and KV cache from DRAM, as in "
      "a real model's step); the figure the report compares with",
      "warm caches: the same block re-run, weights and KV partly from the LLC; optimistic"};
  OJ modes[2];
  OJ runs = OJ::array();
  for (int c = 0; c < 2; ++c) {
    int best_t = 1;
    for (int t = 1; t <= max_threads; ++t) {
      const CpuClassSeconds& bt = total[static_cast<size_t>(t - 1)][static_cast<size_t>(c)];
      const CpuClassSeconds& ht = head_total[static_cast<size_t>(t - 1)][static_cast<size_t>(c)];
      runs.push_back({{"threads", t},
                      {"caches", c == 0 ? "cold" : "warm"},
                      {"seconds_per_token_step", bt.total() + ht.total()},
                      {"breakdown_seconds", class_json([&] {
                         CpuClassSeconds a = bt;
                         a.add(ht);
                         return a;
                       }())}});
      const auto step = [&](int tt) {
        return total[static_cast<size_t>(tt - 1)][static_cast<size_t>(c)].total() +
               head_total[static_cast<size_t>(tt - 1)][static_cast<size_t>(c)].total();
      };
      if (step(t) < step(best_t)) best_t = t;
    }
    CpuClassSeconds step = total[static_cast<size_t>(best_t - 1)][static_cast<size_t>(c)];
    const CpuClassSeconds& ht = head_total[static_cast<size_t>(best_t - 1)][static_cast<size_t>(c)];
    step.add(ht);
    const double sec = step.total();
    OJ m = {{"caches", labels[c]},
            {"threads", best_t},
            {"seconds_per_token_step", sec},
            {"tokens_per_second", step_tokens / sec},
            {"breakdown_seconds", class_json(step)}};
    const double watts = s.package_watts > 0 ? s.package_watts : kEstimatedWattsPerCore * best_t;
    m["joules_per_token_step"] = watts * sec;
    m["energy_source"] = fmt::format(
        "estimate, not measured: {} W {} x the step's time (RAPL is not read over a block step)",
        watts, s.package_watts > 0 ? "configured" : "assumed (5 W per busy core)");
    if (dec.prefill) {
      m["time_to_first_token_s"] = sec;
      m["prompt_tokens_per_second"] = q.m / sec;
    }
    if (model_blocks != blocks) {
      CpuClassSeconds whole = total[static_cast<size_t>(best_t - 1)][static_cast<size_t>(c)];
      CpuClassSeconds scaled;
      scaled.add(whole, static_cast<double>(model_blocks) / blocks);
      scaled.add(ht);
      m["whole_model"] = {{"blocks", model_blocks},
                          {"scaling",
                           "the blocks' seconds x model_blocks / blocks (every block has the same "
                           "shapes and weight image); the final RMSNorm and LM head once"},
                          {"seconds_per_token_step", scaled.total()},
                          {"tokens_per_second", step_tokens / scaled.total()},
                          {"breakdown_seconds", class_json(scaled)}};
      if (dec.prefill) m["whole_model"]["time_to_first_token_s"] = scaled.total();
    }
    modes[c] = m;
  }
  const uint64_t kv_read =
      static_cast<uint64_t>(blocks) * (dec.prefill ? 1 : q.m) *
      kv_read_bytes_per_layer(kv, spec.context, spec.shape.kv_heads, spec.shape.head_dim);
  const uint64_t kv_write = static_cast<uint64_t>(blocks) * q.m *
                            kv_write_bytes_per_layer(kv, spec.shape.kv_heads, spec.shape.head_dim);
  OJ j = {
      {"phase", dec.prefill ? "prefill" : "decode"},
      {"context", spec.context},
      {"batch", dec.prefill ? 1 : q.m},
      {"blocks", blocks},
      {"model_blocks", model_blocks},
      {"kv_cache",
       {{"format", kv_format_name(kv.format)},
        {"group", kv.group},
        {"read_bytes", kv_read},
        {"write_bytes", kv_write}}},
      {"linear_kernels", kernels_json},
      {"attention",
       "KV cache stored in its format, dequantized to FP32 per KV head; QK^T and PV by OpenBLAS "
       "SGEMM per KV head (its query heads as rows; prefill: all prompt rows, then the causal "
       "mask), KV heads over the threads"},
      {"weights_shared_by_blocks", true}};
  if (dec.prefill) j["prompt_tokens"] = q.m;
  for (const char* k : {"caches", "threads", "seconds_per_token_step", "tokens_per_second",
                        "time_to_first_token_s", "prompt_tokens_per_second", "breakdown_seconds",
                        "joules_per_token_step", "energy_source", "whole_model"}) {
    if (modes[0].contains(k)) j[k] = modes[0][k];
  }
  j["warm"] = modes[1];
  j["runs"] = runs;
  j["checks"] = {
      {"linear_outputs_checked", linear_checked},
      {"linear_within_kernel_rule", linear_ok && head_ok},
      {"block0_rel_l2_vs_float64", block0_rel_l2},
      {"block0_rule", rule},
      {"block0_within_rule", block_ok},
      {"block0_requant_codes",
       {{"compared", flips.codes},
        {"one_step_apart_aligned", flips.one_step},
        {"further_apart", flips.far}}},
      {"rule",
       "every block's linear outputs (first timed run) against golden by the kernel's rule; "
       "block 0's output against the float64 block reference: relative L2 <= the block rule of "
       "docs/decoder.md (FP32 in another order and libm expf: far inside it), no requantized code "
       "more than one step apart"}};
  j["not_timed"] = "the embedding gather (2 x hidden bytes per token)";
  j["wall_seconds"] = since(t_all);
  j["check_seconds"] = check_seconds;

  // Console.
  fmt::print(
      "\nCPU whole decoder blocks ({}, {} of {} blocks, context {}, KV {}{}; kernels: {}):\n",
      dec.prefill ? "prefill" : "decode", blocks, model_blocks, spec.context,
      kv_format_name(kv.format), kv.group ? fmt::format(" group {}", kv.group) : "", [&] {
        std::string k;
        for (const auto& [layer, name] : kernels_json.items()) {
          k += (k.empty() ? "" : ", ") + layer + " " + name.get<std::string>();
        }
        return k;
      }());
  fmt::print("{:<7} {:<6} {:>12} {:>10} {:>12} {:>10} {:>10}\n", "threads", "caches", "step ms",
             "linear", "attn matmul", "KV", "nonlinear");
  for (const OJ& r : runs) {
    const OJ& bd = r["breakdown_seconds"];
    fmt::print("{:<7} {:<6} {:>12.3f} {:>10.3f} {:>12.3f} {:>10.3f} {:>10.3f}\n",
               r["threads"].get<int>(), r["caches"].get<std::string>(),
               r["seconds_per_token_step"].get<double>() * 1e3, bd["linear"].get<double>() * 1e3,
               bd["attention_matmuls"].get<double>() * 1e3, bd["kv_traffic"].get<double>() * 1e3,
               bd["nonlinear"].get<double>() * 1e3);
  }
  for (int c = 0; c < 2; ++c) {
    const OJ& m = modes[c];
    fmt::print("CPU {} ({} thread(s)): {} block(s){} {:.3f} ms per step, {}",
               c == 0 ? "cold" : "warm", m["threads"].get<int>(), blocks,
               has_head ? " + LM head" : "", m["seconds_per_token_step"].get<double>() * 1e3,
               dec.prefill ? fmt::format("time to first token; {:.3g} prompt tokens/s",
                                         m["prompt_tokens_per_second"].get<double>())
                           : fmt::format("{:.3g} tokens/s", m["tokens_per_second"].get<double>()));
    if (m.contains("whole_model")) {
      const OJ& wm = m["whole_model"];
      const double ws = wm["seconds_per_token_step"].get<double>();
      fmt::print(
          "; whole model ({} blocks, scaled): {:.3f} ms per step, {}", model_blocks, ws * 1e3,
          dec.prefill ? fmt::format("{:.3g} prompt tokens/s", q.m / ws)
                      : fmt::format("{:.3g} tokens/s", wm["tokens_per_second"].get<double>()));
    }
    fmt::print("\n");
  }
  fmt::print(
      "CPU block 0 vs float64 block reference: relative L2 {:.3g} (rule {:.3g}), {}; "
      "linear outputs {} within their kernels' rules: {}\n",
      block0_rel_l2, rule, block_ok ? "within" : "OUTSIDE", linear_checked,
      linear_ok && head_ok ? "yes" : "NO");
  return j;
}

}  // namespace lowbit
