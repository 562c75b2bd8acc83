// FP32 kernels of the vector unit (vector_ops.h).
#include "model/kernels/vector_ops.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace lowbit {
namespace {

void check_same(size_t a, size_t b, const char* what) {
  if (a != b) throw std::invalid_argument(std::string(what) + ": operand lengths differ");
}

}  // namespace

float exp_f32(float x) {
  if (std::isnan(x)) return x;
  if (x > 88.72283f) return std::numeric_limits<float>::infinity();
  if (x < -87.33654f) return 0.0f;
  constexpr float kLog2e = 1.44269504088896341f;
  // ln 2 split so that n * kLn2Hi is exact for |n| <= 128 (kLn2Hi has 16 significant bits).
  constexpr float kLn2Hi = 0.693145751953125f;
  constexpr float kLn2Lo = 1.42860682030941723212e-6f;
  const float n = std::nearbyint(x * kLog2e);
  const float r = (x - n * kLn2Hi) - n * kLn2Lo;  // |r| <= ~0.347
  // Taylor coefficients 1/k!, k = 0..6 (truncation < 2^-25 relative on |r| <= 0.35).
  float p = 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  return std::ldexp(p, static_cast<int>(n));
}

void rmsnorm_f32(std::span<const float> x, std::span<const float> gain, float eps,
                 std::span<float> y) {
  check_same(x.size(), gain.size(), "rmsnorm_f32");
  check_same(x.size(), y.size(), "rmsnorm_f32");
  float ss = 0.0f;
  for (float v : x) ss += v * v;
  const float mean = ss / static_cast<float>(x.size());
  const float r = 1.0f / std::sqrt(mean + eps);
  for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] * r * gain[i];
}

void rotary_table(int position, int head_dim, double theta, std::vector<float>& cos_t,
                  std::vector<float>& sin_t) {
  const int half = head_dim / 2;
  cos_t.resize(static_cast<size_t>(half));
  sin_t.resize(static_cast<size_t>(half));
  for (int i = 0; i < half; ++i) {
    const double freq = std::pow(theta, -2.0 * i / head_dim);
    const double angle = position * freq;
    cos_t[i] = static_cast<float>(std::cos(angle));
    sin_t[i] = static_cast<float>(std::sin(angle));
  }
}

void rotary_f32(std::span<float> x, std::span<const float> cos_t, std::span<const float> sin_t) {
  const size_t half = x.size() / 2;
  check_same(half, cos_t.size(), "rotary_f32");
  check_same(half, sin_t.size(), "rotary_f32");
  for (size_t i = 0; i < half; ++i) {
    const float a = x[i], b = x[i + half];
    x[i] = a * cos_t[i] - b * sin_t[i];
    x[i + half] = a * sin_t[i] + b * cos_t[i];
  }
}

void softmax_f32(std::span<float> x) {
  if (x.empty()) return;
  float m = x[0];
  for (float v : x) m = v > m ? v : m;
  float s = 0.0f;
  for (float& v : x) {
    v = exp_f32(v - m);
    s += v;
  }
  for (float& v : x) v = v / s;
}

void silu_gate_f32(std::span<const float> gate, std::span<const float> up, std::span<float> y) {
  check_same(gate.size(), up.size(), "silu_gate_f32");
  check_same(gate.size(), y.size(), "silu_gate_f32");
  for (size_t i = 0; i < gate.size(); ++i) {
    const float g = gate[i];
    y[i] = g / (1.0f + exp_f32(-g)) * up[i];
  }
}

void relu2_gate_f32(std::span<const float> gate, std::span<const float> up, std::span<float> y) {
  check_same(gate.size(), up.size(), "relu2_gate_f32");
  check_same(gate.size(), y.size(), "relu2_gate_f32");
  for (size_t i = 0; i < gate.size(); ++i) {
    const float r = gate[i] > 0.0f ? gate[i] : 0.0f;
    y[i] = r * r * up[i];
  }
}

const char* gate_act_name(GateAct a) { return a == GateAct::kRelu2 ? "relu2" : "silu"; }

void gate_f32(GateAct a, std::span<const float> gate, std::span<const float> up,
              std::span<float> y) {
  if (a == GateAct::kRelu2) {
    relu2_gate_f32(gate, up, y);
  } else {
    silu_gate_f32(gate, up, y);
  }
}

void residual_add_f32(std::span<const float> a, std::span<const float> b, std::span<float> y) {
  check_same(a.size(), b.size(), "residual_add_f32");
  check_same(a.size(), y.size(), "residual_add_f32");
  for (size_t i = 0; i < a.size(); ++i) y[i] = a[i] + b[i];
}

float dot_f32(std::span<const float> a, std::span<const float> b) {
  check_same(a.size(), b.size(), "dot_f32");
  float s = 0.0f;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

void dot_f32_rows(std::span<const float> q, const float* rows, size_t n, float* out) {
  constexpr size_t kRows = 8;
  const size_t d = q.size();
  size_t p = 0;
  for (; p + kRows <= n; p += kRows) {
    float s[kRows] = {};
    const float* r = rows + p * d;
    for (size_t i = 0; i < d; ++i) {
      for (size_t j = 0; j < kRows; ++j) s[j] += q[i] * r[j * d + i];
    }
    for (size_t j = 0; j < kRows; ++j) out[p + j] = s[j];
  }
  for (; p < n; ++p) out[p] = dot_f32(q, std::span<const float>(rows + p * d, d));
}

void context_accumulate_f32(std::span<const float> p, std::span<const float> v,
                            std::span<float> ctx) {
  const size_t d = ctx.size();
  check_same(v.size(), p.size() * d, "context_accumulate_f32");
  for (size_t i = 0; i < p.size(); ++i) {
    for (size_t c = 0; c < d; ++c) ctx[c] = ctx[c] + p[i] * v[i * d + c];
  }
}

}  // namespace lowbit
