// A decoder block's decode step on the accelerator's FP32 data path (decoder_block.h).
#include "model/kernels/decoder_block.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>

#include "model/kernels/vector_ops.h"
#include "model/kernels/vector_ops_reference.h"
#include "model/quant/act_quant.h"
#include "model/quant/synth.h"

namespace lowbit {
namespace {

// Cached K or V element: uniform on [-sqrt 3, sqrt 3] (unit variance) from a hash of its index.
float kv_value(uint64_t seed, uint64_t index) {
  const double u =
      static_cast<double>(splitmix64_hash(seed ^ (index * 0xD1B54A32D192ED03ull)) >> 40) * 0x1p-24;
  return static_cast<float>((2 * u - 1) * 1.7320508075688772);
}

void note(VectorCheck& c, VectorOp op, double err, double bound) {
  const int i = static_cast<int>(op);
  c.worst_ratio[i] = std::max(c.worst_ratio[i], err / bound);
  ++c.checked[i];
}

void count(BlockWork& w, VectorOp op, uint64_t n, uint64_t invocations) {
  w.elements[static_cast<int>(op)] += n;
  w.invocations[static_cast<int>(op)] += invocations;
}

std::span<const float> row(const std::vector<float>& v, size_t r, size_t width) {
  return {v.data() + r * width, width};
}
std::span<float> row(std::vector<float>& v, size_t r, size_t width) {
  return {v.data() + r * width, width};
}

// RMSNorm of each of the M rows of width h (hidden, or a sub-layer norm's width), checked.
std::vector<float> rmsnorm_rows(const DecodeStepSpec& s, const std::vector<float>& x, size_t h,
                                const std::vector<float>& gain, DecodeStepResult& r) {
  std::vector<float> y(x.size());
  for (int i = 0; i < s.m; ++i) {
    rmsnorm_f32(row(x, i, h), gain, s.shape.norm_eps, row(y, i, h));
    if (s.check) {
      const std::vector<double> ref = rmsnorm_reference(row(x, i, h), gain, s.shape.norm_eps);
      for (size_t c = 0; c < h; ++c) {
        note(r.check, VectorOp::kRmsNorm, std::fabs(y[i * h + c] - ref[c]),
             rmsnorm_error_bound(static_cast<int>(h), ref[c]));
      }
    }
  }
  count(r.work, VectorOp::kRmsNorm, 2ull * s.m * h, static_cast<uint64_t>(s.m));
  return y;
}

std::vector<float> residual_rows(const DecodeStepSpec& s, const std::vector<float>& a,
                                 const std::vector<float>& b, DecodeStepResult& r) {
  std::vector<float> y(a.size());
  residual_add_f32(a, b, y);
  if (s.check) {
    for (size_t i = 0; i < a.size(); ++i) {
      const double ref = static_cast<double>(a[i]) + b[i];
      note(r.check, VectorOp::kResidual, std::fabs(y[i] - ref),
           residual_error_bound(ref) + 0x1p-149);
    }
  }
  count(r.work, VectorOp::kResidual, a.size(), static_cast<uint64_t>(s.m));
  return y;
}

// Rotary on one head vector, checked against the float64 rotation.
void rotary_checked(const DecodeStepSpec& s, std::span<float> v, const std::vector<float>& c,
                    const std::vector<float>& sn, int position, VectorCheck& chk, BlockWork& wk) {
  const std::vector<float> in(v.begin(), v.end());
  rotary_f32(v, c, sn);
  count(wk, VectorOp::kRotary, v.size(), 0);
  if (!s.check) return;
  const std::vector<double> ref = rotary_reference(in, position, s.shape.rope_theta);
  const size_t half = v.size() / 2;
  for (size_t i = 0; i < half; ++i) {
    const double ang =
        position * std::pow(s.shape.rope_theta, -2.0 * static_cast<double>(i) / v.size());
    const double co = std::cos(ang), si = std::sin(ang);
    note(chk, VectorOp::kRotary, std::fabs(v[i] - ref[i]),
         rotary_error_bound(in[i], in[i + half], co, si));
    note(chk, VectorOp::kRotary, std::fabs(v[i + half] - ref[i + half]),
         rotary_error_bound(in[i], in[i + half], si, co));
  }
}

uint64_t kv_stream(uint64_t seed, int b, int kv_head) {
  return seed ^ (static_cast<uint64_t>(b) << 40) ^ (static_cast<uint64_t>(kv_head) << 20);
}

}  // namespace

float synthesized_kv(uint64_t seed, int b, int kv_head, size_t position, size_t element,
                     size_t head_dim, bool value) {
  return kv_value(kv_stream(seed, b, kv_head),
                  (position * head_dim + element) * 2 + (value ? 1 : 0));
}

// The loop is kv_value's arithmetic, element by element: 64-bit integer products, the top 24
// bits converted exactly (through int32, which every vector ISA converts), then the same double
// products rounded to float; no FMA contraction (-ffp-contract=off). So every clone computes the
// same bits; GCC on x86-64 builds AVX2 and AVX-512 clones (8 64-bit products per instruction with
// AVX-512DQ), chosen at load time.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
void synthesized_kv_row(uint64_t seed, int b, int kv_head, size_t position, bool value,
                        std::span<float> out) {
  const uint64_t stream = kv_stream(seed, b, kv_head);
  const uint64_t i0 = position * out.size() * 2 + (value ? 1 : 0);
  float* o = out.data();
  const size_t n = out.size();
  for (size_t e = 0; e < n; ++e) {
    const uint64_t h = splitmix64_hash(stream ^ ((i0 + 2 * e) * 0xD1B54A32D192ED03ull)) >> 40;
    const double u = static_cast<double>(static_cast<int32_t>(h)) * 0x1p-24;
    o[e] = static_cast<float>((2 * u - 1) * 1.7320508075688772);
  }
}

const char* vector_op_name(VectorOp op) {
  switch (op) {
    case VectorOp::kRmsNorm:
      return "rmsnorm";
    case VectorOp::kRotary:
      return "rotary";
    case VectorOp::kScores:
      return "attention_scores";
    case VectorOp::kSoftmax:
      return "softmax";
    case VectorOp::kContext:
      return "attention_context";
    case VectorOp::kSiluGate:
      return "silu_gate";
    case VectorOp::kResidual:
      return "residual_add";
    case VectorOp::kRequant:
      return "requantize";
  }
  return "?";
}

void add_work(BlockWork& a, const BlockWork& b) {
  for (int i = 0; i < kVectorOps; ++i) {
    a.elements[i] += b.elements[i];
    a.invocations[i] += b.invocations[i];
  }
  a.kv_read_bytes += b.kv_read_bytes;
  a.kv_write_bytes += b.kv_write_bytes;
}

bool decoder_gains_fit(const DecodeStepSpec& s) {
  const DecoderShape& sh = s.shape;
  const size_t H = static_cast<size_t>(sh.hidden);
  const auto fits = [](const std::vector<float>* g, size_t n) {
    return g != nullptr && g->size() == n;
  };
  return fits(s.norm1_gain, H) && fits(s.norm2_gain, H) &&
         (!sh.sub_norms || (fits(s.attn_sub_gain, static_cast<size_t>(sh.heads) * sh.head_dim) &&
                            fits(s.ffn_sub_gain, static_cast<size_t>(sh.ffn))));
}

bool VectorCheck::ok() const {
  for (double r : worst_ratio) {
    if (!(r <= 1.0)) return false;
  }
  return true;
}

void VectorCheck::merge(const VectorCheck& o) {
  for (int i = 0; i < kVectorOps; ++i) {
    worst_ratio[i] = std::max(worst_ratio[i], o.worst_ratio[i]);
    checked[i] += o.checked[i];
  }
}

Activations requantize(const std::vector<float>& x, int m, int k, ActFormat f) {
  return f == ActFormat::kFp16 ? quantize_activations_fp16(x, m, k)
                               : quantize_activations_int8(x, m, k);
}

DecodeStepResult decoder_decode_step(const DecodeStepSpec& s, const std::vector<float>& x,
                                     const LinearFn& linear) {
  const DecoderShape& sh = s.shape;
  const size_t H = static_cast<size_t>(sh.hidden), F = static_cast<size_t>(sh.ffn);
  const size_t d = static_cast<size_t>(sh.head_dim);
  const size_t qdim = static_cast<size_t>(sh.heads) * d,
               kvdim = static_cast<size_t>(sh.kv_heads) * d;
  if (sh.hidden <= 0 || sh.ffn <= 0 || sh.heads <= 0 || sh.kv_heads <= 0 || sh.head_dim <= 0 ||
      sh.head_dim % 2 != 0 || sh.heads % sh.kv_heads != 0 || s.m <= 0 || s.context < 1 ||
      (s.prefill && s.context != s.m) || x.size() != s.m * H || !decoder_gains_fit(s)) {
    throw std::invalid_argument("decoder_decode_step: inconsistent shapes");
  }
  DecodeStepResult r;
  const int M = s.m;
  r.work.invocations[static_cast<int>(VectorOp::kRotary)] = static_cast<uint64_t>(M);
  auto run_linear = [&](BlockLinear which, const Activations& a, size_t n) {
    const int i = static_cast<int>(which);
    r.linear_inputs[i] = a;
    r.linear_outputs[i] = linear(which, a);
    if (r.linear_outputs[i].size() != static_cast<size_t>(M) * n) {
      throw std::invalid_argument("decoder_decode_step: linear layer " + std::to_string(i) +
                                  " returned the wrong shape");
    }
    return r.linear_outputs[i];
  };
  auto quant = [&](const std::vector<float>& v, size_t k) {
    count(r.work, VectorOp::kRequant, v.size(), static_cast<uint64_t>(M));
    return requantize(v, M, static_cast<int>(k), s.act_format);
  };

  // Attention. The rows form `seqs` sequences of `rows` consecutive positions base .. base +
  // rows - 1 (decode: M sequences of one row at position context - 1; prefill: one sequence of M
  // rows from position 0). Each sequence's cache holds `base` synthesized past positions, then the
  // rows' own k and v; row r attends positions 0 .. base + r (causal).
  const Activations a1 = quant(rmsnorm_rows(s, x, H, *s.norm1_gain, r), H);
  std::vector<float> q = run_linear(BlockLinear::kQ, a1, qdim);
  std::vector<float> k = run_linear(BlockLinear::kK, a1, kvdim);
  const std::vector<float> v = run_linear(BlockLinear::kV, a1, kvdim);
  const int seqs = s.prefill ? 1 : M;
  const int rows = s.prefill ? M : 1;
  const size_t base = s.prefill ? 0 : static_cast<size_t>(s.context) - 1;
  const size_t L = base + static_cast<size_t>(rows);  // positions in a sequence's cache
  std::vector<std::vector<float>> cos_t(static_cast<size_t>(rows)),
      sin_t(static_cast<size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    rotary_table(static_cast<int>(base) + i, sh.head_dim, sh.rope_theta, cos_t[i], sin_t[i]);
  }
  const float inv_sqrt_d = static_cast<float>(1.0 / std::sqrt(static_cast<double>(d)));
  const int group = sh.heads / sh.kv_heads;
  r.attention.assign(static_cast<size_t>(M) * qdim, 0.0f);
  // One query row of one head over n cached positions: scores, softmax, context, each checked.
  const auto attend = [&](std::span<const float> qh, const std::vector<float>& kc,
                          const std::vector<float>& vc, size_t n, std::span<float> ctx,
                          VectorCheck& chk, BlockWork& wk) {
    std::vector<float> scores(n), sc_in;
    dot_f32_rows(qh, kc.data(), n, scores.data());
    for (size_t p = 0; p < n; ++p) scores[p] *= inv_sqrt_d;
    if (s.check) {
      std::vector<double> dref(n), dbound(n);
      dot_reference_rows(qh, kc.data(), n, dref.data(), dbound.data());
      for (size_t p = 0; p < n; ++p) {
        const double ref = dref[p] * inv_sqrt_d;
        const double bound = dbound[p] * inv_sqrt_d + kFp32Unit * std::fabs(ref);
        note(chk, VectorOp::kScores, std::fabs(scores[p] - ref), bound);
      }
    }
    count(wk, VectorOp::kScores, n * d, 1);
    std::vector<double> pref;
    float mx = scores[0];
    if (s.check) {
      pref = softmax_reference(scores);
      for (float sv : scores) mx = std::max(mx, sv);
      sc_in = scores;
    }
    softmax_f32(scores);
    count(wk, VectorOp::kSoftmax, 3 * n, 1);
    if (s.check) {
      for (size_t p = 0; p < n; ++p) {
        note(chk, VectorOp::kSoftmax, std::fabs(scores[p] - pref[p]),
             softmax_error_bound(static_cast<int>(n), sc_in[p] - mx, pref[p]));
      }
    }
    // Context: ctx_c = sum_p P_p V_p,c in position order, FP32.
    context_accumulate_f32(scores, std::span<const float>(vc.data(), n * d), ctx);
    count(wk, VectorOp::kContext, n * d, 1);
    if (s.check) {
      std::vector<double> ref_ctx(d, 0.0), abs_ctx(d, 0.0);
      for (size_t p = 0; p < n; ++p) {
        for (size_t c = 0; c < d; ++c) {
          const double t = static_cast<double>(scores[p]) * vc[p * d + c];
          ref_ctx[c] += t;
          abs_ctx[c] += std::fabs(t);
        }
      }
      for (size_t c = 0; c < d; ++c) {
        note(chk, VectorOp::kContext, std::fabs(ctx[c] - ref_ctx[c]),
             (static_cast<double>(n) + 2) * kFp32Unit * abs_ctx[c] + kFp32Floor);
      }
    }
  };
  // One KV head of one sequence and its query heads; KV heads are independent, so they run on
  // threads, each with its own checks and counts (merged below: max and sums, the same for any
  // thread count).
  // A thread's cache buffers, kept across its heads (every position 0 .. L - 1 is written before
  // attend reads it): allocated once, not once per head, which faulted in 1 GB of fresh pages
  // per Llama-2-7B decode token (issue 20).
  struct Scratch {
    std::vector<float> kc, vc, tmp;
  };
  const auto kv_head = [&](int sq, int hk, VectorCheck& chk, BlockWork& wk, Scratch& sc) {
    std::vector<float>& kc = sc.kc;
    std::vector<float>& vc = sc.vc;
    std::vector<float>& tmp = sc.tmp;
    kc.resize(L * d);
    vc.resize(L * d);
    tmp.resize(d);
    // The head's cache as the unit reads it back from DRAM: the synthesized past, then the rows'
    // own k (after rotary) and v, written now.
    for (size_t p = 0; p < base; ++p) {
      synthesized_kv_row(s.kv_seed, sq, hk, p, false, tmp);
      kv_store_load(tmp, s.kv, {kc.data() + p * d, d});
      synthesized_kv_row(s.kv_seed, sq, hk, p, true, tmp);
      kv_store_load(tmp, s.kv, {vc.data() + p * d, d});
    }
    for (int i = 0; i < rows; ++i) {
      const size_t xr = static_cast<size_t>(sq) * rows + i;
      rotary_checked(s, row(k, xr * sh.kv_heads + hk, d), cos_t[i], sin_t[i],
                     static_cast<int>(base) + i, chk, wk);
      kv_store_load(row(k, xr * sh.kv_heads + hk, d), s.kv, {kc.data() + (base + i) * d, d});
      kv_store_load(row(v, xr * sh.kv_heads + hk, d), s.kv, {vc.data() + (base + i) * d, d});
    }
    for (int g = 0; g < group; ++g) {
      const size_t hq = static_cast<size_t>(hk) * group + g;
      for (int i = 0; i < rows; ++i) {
        const size_t xr = static_cast<size_t>(sq) * rows + i;
        attend(row(q, xr * sh.heads + hq, d), kc, vc, base + i + 1,
               row(r.attention, xr * sh.heads + hq, d), chk, wk);
      }
    }
  };
  const int threads =
      std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, sh.kv_heads);
  for (int sq = 0; sq < seqs; ++sq) {
    for (int i = 0; i < rows; ++i) {
      const size_t xr = static_cast<size_t>(sq) * rows + i;
      for (int hq = 0; hq < sh.heads; ++hq) {
        rotary_checked(s, row(q, xr * sh.heads + hq, d), cos_t[i], sin_t[i],
                       static_cast<int>(base) + i, r.check, r.work);
      }
    }
    std::vector<VectorCheck> checks(static_cast<size_t>(threads));
    std::vector<BlockWork> works(static_cast<size_t>(threads));
    std::vector<std::exception_ptr> errors(static_cast<size_t>(threads));
    const auto part = [&](int t) {
      try {
        Scratch sc;
        for (int hk = t; hk < sh.kv_heads; hk += threads) kv_head(sq, hk, checks[t], works[t], sc);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(part, t);
    part(0);
    for (std::thread& th : pool) th.join();
    for (int t = 0; t < threads; ++t) {
      if (errors[t]) std::rethrow_exception(errors[t]);
      r.check.merge(checks[t]);
      add_work(r.work, works[t]);
    }
  }
  // KV traffic: every sequence reads its whole cache once per layer (in prefill the prompt's K
  // and V of a head are read back once and held while its query rows stream: decided, see
  // docs/decoder.md) and writes its rows' k and v.
  r.work.kv_read_bytes =
      static_cast<uint64_t>(seqs) *
      kv_read_bytes_per_layer(s.kv, static_cast<int>(L), sh.kv_heads, sh.head_dim);
  r.work.kv_write_bytes =
      static_cast<uint64_t>(M) * kv_write_bytes_per_layer(s.kv, sh.kv_heads, sh.head_dim);
  const std::vector<float> o = run_linear(
      BlockLinear::kO,
      quant(sh.sub_norms ? rmsnorm_rows(s, r.attention, qdim, *s.attn_sub_gain, r) : r.attention,
            qdim),
      H);
  const std::vector<float> h = residual_rows(s, x, o, r);

  // Feed-forward.
  const Activations a3 = quant(rmsnorm_rows(s, h, H, *s.norm2_gain, r), H);
  const std::vector<float> gate = run_linear(BlockLinear::kGate, a3, F);
  const std::vector<float> up = run_linear(BlockLinear::kUp, a3, F);
  std::vector<float> act(gate.size());
  gate_f32(sh.ffn_act, gate, up, act);
  count(r.work, VectorOp::kSiluGate, act.size(), static_cast<uint64_t>(M));
  if (s.check) {
    const bool relu2 = sh.ffn_act == GateAct::kRelu2;
    for (size_t i = 0; i < act.size(); ++i) {
      const double ref =
          relu2 ? relu2_gate_reference(gate[i], up[i]) : silu_gate_reference(gate[i], up[i]);
      note(r.check, VectorOp::kSiluGate, std::fabs(act[i] - ref),
           relu2 ? relu2_gate_error_bound(ref, up[i]) : silu_gate_error_bound(ref, up[i]));
    }
  }
  if (sh.sub_norms) act = rmsnorm_rows(s, act, F, *s.ffn_sub_gain, r);
  const std::vector<float> down = run_linear(BlockLinear::kDown, quant(act, F), H);
  r.out = residual_rows(s, h, down, r);
  return r;
}

}  // namespace lowbit
