// The chain of decoder blocks of a decode token (decoder_chain.h).
#include "lowbit/decoder_chain.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <span>

#include "lowbit/error.h"
#include "model/kernels/decoder_block_reference.h"
#include "model/kernels/vector_ops.h"
#include "model/kernels/vector_ops_reference.h"
#include "model/quant/synth.h"

namespace lowbit {

BlockWork decoder_head_work(const Workload& w) {
  BlockWork h;
  if (!w.decoder || w.decoder->vocab == 0) return h;
  const uint64_t rows = w.decoder->prefill ? 1 : static_cast<uint64_t>(w.layers[0].m);
  const uint64_t hidden = static_cast<uint64_t>(w.layers[0].k);
  h.elements[static_cast<int>(VectorOp::kRmsNorm)] = 2 * rows * hidden;
  h.invocations[static_cast<int>(VectorOp::kRmsNorm)] = rows;
  h.elements[static_cast<int>(VectorOp::kRequant)] = rows * hidden;
  h.invocations[static_cast<int>(VectorOp::kRequant)] = rows;
  return h;
}

DecodeStepSpec decoder_step_spec(const Workload& w, const KvCacheSpec& kv, int context) {
  const DecoderSpec& dec = *w.decoder;
  if (kv.group != 0 && dec.head_dim % kv.group != 0) {
    throw InputError(fmt::format(
        "vector.kv_cache.group: {} does not divide head_dim = {} of workload '{}'; allowed: a "
        "divisor of {} or 0",
        kv.group, dec.head_dim, w.name, dec.head_dim));
  }
  const LayerSpec& q = w.layers[0];
  DecodeStepSpec s;
  s.shape = {.hidden = q.k,
             .ffn = w.layers[4].n,
             .heads = dec.heads,
             .kv_heads = dec.kv_heads,
             .head_dim = dec.head_dim,
             .rope_theta = dec.rope_theta,
             .norm_eps = static_cast<float>(dec.norm_eps),
             .sub_norms = dec.sub_norms,
             .ffn_act = dec.ffn_act};
  s.kv = kv;
  s.m = q.m;
  s.prefill = dec.prefill;
  s.context = dec.prefill ? q.m : context;
  return s;
}

std::vector<float> decoder_norm_gain(const Workload& w, int which) {
  const LayerSpec& q = w.layers.at(0);
  const int width = which == 4 ? w.layers.at(3).k : which == 5 ? w.layers.at(4).n : q.k;
  std::vector<float> g = synth_gaussian(
      1, width, splitmix64_hash(q.seed ^ (0x6E6F726D30ull + static_cast<uint64_t>(which))), 0.1f);
  for (float& v : g) v += 1.0f;
  return g;
}

DecoderGains decoder_gains(const Workload& w) {
  DecoderGains g{decoder_norm_gain(w, 1), decoder_norm_gain(w, 2), {}, {}};
  if (w.decoder && w.decoder->sub_norms) {
    g.attn_sub = decoder_norm_gain(w, 4);
    g.ffn_sub = decoder_norm_gain(w, 5);
  }
  return g;
}

void DecoderGains::set(DecodeStepSpec& s) const {
  s.norm1_gain = &norm1;
  s.norm2_gain = &norm2;
  s.attn_sub_gain = attn_sub.empty() ? nullptr : &attn_sub;
  s.ffn_sub_gain = ffn_sub.empty() ? nullptr : &ffn_sub;
}

uint64_t decoder_kv_seed(const Workload& w, int block) {
  return splitmix64_hash(w.layers.at(0).seed ^ splitmix64_hash(static_cast<uint64_t>(block) + 1));
}

DecoderChain run_decoder_chain(const Workload& w, const KvCacheSpec& kv,
                               const std::vector<std::unique_ptr<LayerData>>& data,
                               const GemmFn& gemm) {
  const DecoderSpec& dec = *w.decoder;
  const LayerSpec& q = w.layers[0];
  DecodeStepSpec s = decoder_step_spec(w, kv, dec.context);
  s.act_format = data[0]->acts.format;
  const DecoderGains gains = decoder_gains(w);
  gains.set(s);
  const LinearFn linear = [&](BlockLinear l, const Activations& a) {
    return gemm(a, data[static_cast<size_t>(l)]->weights);
  };
  const auto t0 = std::chrono::steady_clock::now();
  DecoderChain c;
  std::vector<float> x = data[0]->a_float;
  for (int b = 0; b < q.repeat; ++b) {
    s.kv_seed = decoder_kv_seed(w, b);
    DecodeStepResult r = decoder_decode_step(s, x, linear);
    if (b == 0) {
      ReferenceFlips flips;
      const std::vector<double> ref =
          decoder_decode_step_reference(s, x, linear, &r.linear_inputs, &flips);
      c.block0_codes_one_step = flips.one_step;
      c.block0_codes_far = flips.far;
      c.block0_codes_compared = flips.codes;
      c.block0_rel_l2_vs_float64 = decoder_rel_l2(r.out, ref);
      c.block0_rule = decoder_block_rule(s.act_format, s.kv.format);
      c.block0_within_rule = c.block0_rel_l2_vs_float64 <= c.block0_rule && flips.far == 0;
      c.block_work = r.work;
      c.block0_input = x;
      c.block0_attention = r.attention;
      c.block0_output = r.out;
    }
    c.check.merge(r.check);
    add_work(c.work, r.work);
    c.inputs.push_back(std::move(r.linear_inputs));
    c.outputs.push_back(std::move(r.linear_outputs));
    x = std::move(r.out);
  }
  if (w.layers.size() == 8) {
    // Final RMSNorm (its own gain) and the LM head on the rows that produce a token.
    const size_t H = static_cast<size_t>(q.k);
    const int rows = dec.prefill ? 1 : q.m;
    const std::vector<float> last(x.end() - static_cast<std::ptrdiff_t>(rows * H), x.end());
    const std::vector<float> g3 = decoder_norm_gain(w, 3);
    std::vector<float> normed(last.size());
    for (int r = 0; r < rows; ++r) {
      const std::span<const float> in(last.data() + r * H, H);
      const std::span<float> out(normed.data() + r * H, H);
      rmsnorm_f32(in, g3, s.shape.norm_eps, out);
      const std::vector<double> ref = rmsnorm_reference(in, g3, s.shape.norm_eps);
      for (size_t i = 0; i < H; ++i) {
        const int op = static_cast<int>(VectorOp::kRmsNorm);
        c.check.worst_ratio[op] =
            std::max(c.check.worst_ratio[op],
                     std::fabs(out[i] - ref[i]) / rmsnorm_error_bound(static_cast<int>(H), ref[i]));
        ++c.check.checked[op];
      }
    }
    c.head_work = decoder_head_work(w);
    c.has_lm_head = true;
    c.lm_head_norm_input = last;
    c.lm_head_input = requantize(normed, rows, q.k, s.act_format);
    c.lm_head_output = gemm(c.lm_head_input, data[7]->weights);
  }
  c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return c;
}

}  // namespace lowbit
