// Float64 reference of a decoder block's decode step (decoder_block_reference.h).
#include "model/kernels/decoder_block_reference.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "model/formats/fp16.h"
#include "model/kernels/vector_ops_reference.h"
#include "model/quant/kv_quant.h"

namespace lowbit {
namespace {

std::vector<float> to_float(const std::vector<double>& v) {
  return std::vector<float>(v.begin(), v.end());
}

std::vector<double> rmsnorm_rows(const std::vector<double>& x, const std::vector<float>& g, int m,
                                 size_t h, double eps) {
  std::vector<double> y(x.size());
  for (int b = 0; b < m; ++b) {
    double ss = 0;
    for (size_t c = 0; c < h; ++c) ss += x[b * h + c] * x[b * h + c];
    const double r = 1.0 / std::sqrt(ss / static_cast<double>(h) + eps);
    for (size_t c = 0; c < h; ++c) y[b * h + c] = x[b * h + c] * r * g[c];
  }
  return y;
}

void rotary(double* v, size_t d, int position, double theta) {
  const size_t half = d / 2;
  for (size_t i = 0; i < half; ++i) {
    const double ang = position * std::pow(theta, -2.0 * static_cast<double>(i) / d);
    const double a = v[i], b = v[i + half];
    v[i] = a * std::cos(ang) - b * std::sin(ang);
    v[i + half] = a * std::sin(ang) + b * std::cos(ang);
  }
}

// Takes the FP32 path's code where the reference's is one step away (see the header).
void align_codes(Activations& a, const Activations& path, ReferenceFlips* flips) {
  if (path.m != a.m || path.k != a.k || path.format != a.format) {
    throw std::invalid_argument("decoder_decode_step_reference: align inputs of another shape");
  }
  ReferenceFlips f;
  if (a.format == ActFormat::kInt8) {
    for (size_t i = 0; i < a.int8.size(); ++i) {
      const int diff = std::abs(static_cast<int>(a.int8[i]) - path.int8[i]);
      if (diff == 1) {
        a.int8[i] = path.int8[i];
        ++f.one_step;
      } else if (diff > 1) {
        ++f.far;
      }
    }
    f.codes = a.int8.size();
  } else {
    // FP16: values within one FP16 step of the row's largest magnitude (2^-10 x absmax, the
    // counterpart of INT8's absmax / 127) are the same value rounded apart: a near-zero result of
    // a cancelling sum may sit several of its own ulps away, which is not a data-path error.
    const size_t k = static_cast<size_t>(a.k);
    for (size_t r = 0; r < static_cast<size_t>(a.m); ++r) {
      float mx = 0;
      for (size_t c = 0; c < k; ++c)
        mx = std::max(mx, std::fabs(fp16_to_float(path.fp16[r * k + c])));
      for (size_t c = 0; c < k; ++c) {
        const size_t i = r * k + c;
        if (a.fp16[i] == path.fp16[i]) continue;
        const double diff =
            std::fabs(static_cast<double>(fp16_to_float(a.fp16[i])) - fp16_to_float(path.fp16[i]));
        if (diff <= 0x1p-10 * mx) {
          a.fp16[i] = path.fp16[i];
          ++f.one_step;
        } else {
          ++f.far;
        }
      }
    }
    f.codes = a.fp16.size();
  }
  if (flips != nullptr) {
    flips->one_step += f.one_step;
    flips->far += f.far;
    flips->codes += f.codes;
  }
}

}  // namespace

double decoder_block_rule(ActFormat act, KvFormat kv) {
  if (kv == KvFormat::kInt4) return 0x1p-4;
  if (kv == KvFormat::kInt8 || act == ActFormat::kInt8) return 0x1p-7;
  // One FP16 step relative to the value (10 fraction bits). 2^-14 before: Llama-2-7B's W4A16
  // block measures 1.4e-4 (context 128) and 1.8e-4 (2,048), where the two paths requantize a
  // value to different sides of an FP16 step.
  return 0x1p-10;
}

double decoder_rel_l2(const std::vector<float>& out, const std::vector<double>& ref) {
  double e = 0, n = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    e += (out[i] - ref[i]) * (out[i] - ref[i]);
    n += ref[i] * ref[i];
  }
  return n > 0 ? std::sqrt(e / n) : 0.0;
}

std::vector<double> decoder_decode_step_reference(
    const DecodeStepSpec& s, const std::vector<float>& x32, const LinearFn& linear,
    const std::array<Activations, kBlockLinears>* align, ReferenceFlips* flips) {
  const DecoderShape& sh = s.shape;
  const size_t H = static_cast<size_t>(sh.hidden), F = static_cast<size_t>(sh.ffn);
  const size_t d = static_cast<size_t>(sh.head_dim);
  const size_t qdim = static_cast<size_t>(sh.heads) * d;
  const int M = s.m;
  if (x32.size() != M * H || (s.prefill && s.context != M) || !decoder_gains_fit(s)) {
    throw std::invalid_argument("decoder_decode_step_reference: inconsistent shapes");
  }
  auto lin = [&](BlockLinear w, const std::vector<double>& in, size_t k) {
    Activations a = requantize(to_float(in), M, static_cast<int>(k), s.act_format);
    if (align != nullptr) align_codes(a, (*align)[static_cast<size_t>(w)], flips);
    const std::vector<float> out = linear(w, a);
    return std::vector<double>(out.begin(), out.end());
  };
  const std::vector<double> x(x32.begin(), x32.end());
  const std::vector<double> n1 = rmsnorm_rows(x, *s.norm1_gain, M, H, sh.norm_eps);
  std::vector<double> q = lin(BlockLinear::kQ, n1, H);
  std::vector<double> k = lin(BlockLinear::kK, n1, H);
  const std::vector<double> v = lin(BlockLinear::kV, n1, H);
  // Sequences of rows as in decoder_decode_step: decode M x 1 row at position context - 1,
  // prefill 1 x M rows from position 0 (causal).
  const int seqs = s.prefill ? 1 : M;
  const int rows = s.prefill ? M : 1;
  const size_t base = s.prefill ? 0 : static_cast<size_t>(s.context) - 1;
  const size_t L = base + static_cast<size_t>(rows);
  const int group = sh.heads / sh.kv_heads;
  std::vector<double> att(static_cast<size_t>(M) * qdim, 0.0);
  std::vector<float> tmp(d), kc(L * d), vc(L * d), in(d);
  std::vector<double> sc(L);
  for (int b = 0; b < seqs; ++b) {
    for (int i = 0; i < rows; ++i) {
      const size_t xr = static_cast<size_t>(b) * rows + i;
      for (int hq = 0; hq < sh.heads; ++hq) {
        rotary(&q[(xr * sh.heads + hq) * d], d, static_cast<int>(base) + i, sh.rope_theta);
      }
    }
    for (int hk = 0; hk < sh.kv_heads; ++hk) {
      for (size_t p = 0; p < base; ++p) {
        for (size_t c = 0; c < d; ++c) tmp[c] = synthesized_kv(s.kv_seed, b, hk, p, c, d, false);
        kv_store_load(tmp, s.kv, {kc.data() + p * d, d});
        for (size_t c = 0; c < d; ++c) tmp[c] = synthesized_kv(s.kv_seed, b, hk, p, c, d, true);
        kv_store_load(tmp, s.kv, {vc.data() + p * d, d});
      }
      for (int i = 0; i < rows; ++i) {
        const size_t xr = static_cast<size_t>(b) * rows + i;
        double* kn = &k[(xr * sh.kv_heads + hk) * d];
        rotary(kn, d, static_cast<int>(base) + i, sh.rope_theta);
        for (size_t c = 0; c < d; ++c) in[c] = static_cast<float>(kn[c]);
        kv_store_load(in, s.kv, {kc.data() + (base + i) * d, d});
        for (size_t c = 0; c < d; ++c)
          in[c] = static_cast<float>(v[(xr * sh.kv_heads + hk) * d + c]);
        kv_store_load(in, s.kv, {vc.data() + (base + i) * d, d});
      }
      for (int g = 0; g < group; ++g) {
        const size_t hq = static_cast<size_t>(hk) * group + g;
        for (int i = 0; i < rows; ++i) {
          const size_t xr = static_cast<size_t>(b) * rows + i;
          const size_t n = base + i + 1;
          const double* qh = &q[(xr * sh.heads + hq) * d];
          double mx = -INFINITY;
          for (size_t p = 0; p < n; ++p) {
            double dot = 0;
            for (size_t c = 0; c < d; ++c) dot += qh[c] * kc[p * d + c];
            sc[p] = dot / std::sqrt(static_cast<double>(d));
            mx = std::max(mx, sc[p]);
          }
          double sum = 0;
          for (size_t p = 0; p < n; ++p) sum += sc[p] = std::exp(sc[p] - mx);
          double* ctx = &att[(xr * sh.heads + hq) * d];
          for (size_t p = 0; p < n; ++p) {
            for (size_t c = 0; c < d; ++c) ctx[c] += sc[p] / sum * vc[p * d + c];
          }
        }
      }
    }
  }
  const std::vector<double> o =
      lin(BlockLinear::kO,
          sh.sub_norms ? rmsnorm_rows(att, *s.attn_sub_gain, M, qdim, sh.norm_eps) : att, qdim);
  std::vector<double> h(x.size());
  for (size_t i = 0; i < h.size(); ++i) h[i] = x[i] + o[i];
  const std::vector<double> n2 = rmsnorm_rows(h, *s.norm2_gain, M, H, sh.norm_eps);
  const std::vector<double> gate = lin(BlockLinear::kGate, n2, H);
  const std::vector<double> up = lin(BlockLinear::kUp, n2, H);
  std::vector<double> act(gate.size());
  for (size_t i = 0; i < act.size(); ++i) {
    act[i] = sh.ffn_act == GateAct::kRelu2 ? relu2_gate_reference(gate[i], up[i])
                                           : silu_gate_reference(gate[i], up[i]);
  }
  if (sh.sub_norms) act = rmsnorm_rows(act, *s.ffn_sub_gain, M, F, sh.norm_eps);
  const std::vector<double> down = lin(BlockLinear::kDown, act, F);
  for (size_t i = 0; i < h.size(); ++i) h[i] += down[i];
  return h;
}

}  // namespace lowbit
