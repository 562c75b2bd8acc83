// Float64 references and error rules of the vector unit's kernels (vector_ops_reference.h).
#include "model/kernels/vector_ops_reference.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lowbit {

double exp_reference(double x) { return std::exp(x); }

double exp_error_bound(double x) { return 8 * kFp32Unit * std::exp(x) + kFp32Floor; }

std::vector<double> rmsnorm_reference(std::span<const float> x, std::span<const float> gain,
                                      double eps) {
  if (x.size() != gain.size()) throw std::invalid_argument("rmsnorm_reference: lengths differ");
  double ss = 0;
  for (float v : x) ss += static_cast<double>(v) * v;
  const double r = 1.0 / std::sqrt(ss / static_cast<double>(x.size()) + eps);
  std::vector<double> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) y[i] = static_cast<double>(x[i]) * r * gain[i];
  return y;
}

double rmsnorm_error_bound(int n, double ref) {
  return ((n + 1) / 2.0 + 8) * kFp32Unit * std::fabs(ref) + kFp32Floor;
}

std::vector<double> rotary_reference(std::span<const float> x, int position, double theta) {
  const size_t d = x.size(), half = d / 2;
  std::vector<double> y(d);
  for (size_t i = 0; i < half; ++i) {
    const double angle = position * std::pow(theta, -2.0 * static_cast<double>(i) / d);
    const double c = std::cos(angle), s = std::sin(angle);
    y[i] = x[i] * c - x[i + half] * s;
    y[i + half] = x[i] * s + x[i + half] * c;
  }
  return y;
}

double rotary_error_bound(double a, double b, double c, double s) {
  return 4 * kFp32Unit * (std::fabs(a * c) + std::fabs(b * s)) + kFp32Floor;
}

std::vector<double> softmax_reference(std::span<const float> x) {
  std::vector<double> y(x.size());
  if (x.empty()) return y;
  const double m = *std::max_element(x.begin(), x.end());
  double s = 0;
  for (size_t i = 0; i < x.size(); ++i) s += y[i] = std::exp(x[i] - m);
  for (double& v : y) v /= s;
  return y;
}

double softmax_error_bound(int n, double x_minus_max, double ref) {
  return (n + 12 + std::fabs(x_minus_max)) * kFp32Unit * ref + kFp32Floor;
}

double silu_gate_reference(double g, double up) { return g / (1.0 + std::exp(-g)) * up; }

double silu_gate_error_bound(double ref, double up) {
  return 16 * kFp32Unit * std::fabs(ref) + kFp32Floor * (std::fabs(up) + 1);
}

double relu2_gate_reference(double g, double up) {
  const double r = g > 0 ? g : 0.0;
  return r * r * up;
}

double relu2_gate_error_bound(double ref, double up) {
  return 3 * kFp32Unit * std::fabs(ref) + kFp32Floor * (std::fabs(up) + 1);
}

double dot_reference(std::span<const float> a, std::span<const float> b) {
  if (a.size() != b.size()) throw std::invalid_argument("dot_reference: lengths differ");
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

double dot_error_bound(std::span<const float> a, std::span<const float> b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += std::fabs(static_cast<double>(a[i]) * b[i]);
  return (static_cast<double>(a.size()) + 2) * kFp32Unit * s + kFp32Floor;
}

void dot_reference_rows(std::span<const float> q, const float* rows, size_t n, double* ref,
                        double* bound) {
  constexpr size_t kRows = 4;
  const size_t d = q.size();
  size_t p = 0;
  for (; p + kRows <= n; p += kRows) {
    double s[kRows] = {}, a[kRows] = {};
    const float* r = rows + p * d;
    for (size_t i = 0; i < d; ++i) {
      for (size_t j = 0; j < kRows; ++j) {
        const double prod = static_cast<double>(q[i]) * r[j * d + i];
        s[j] += prod;
        a[j] += std::fabs(prod);
      }
    }
    for (size_t j = 0; j < kRows; ++j) {
      ref[p + j] = s[j];
      bound[p + j] = (static_cast<double>(d) + 2) * kFp32Unit * a[j] + kFp32Floor;
    }
  }
  for (; p < n; ++p) {
    const std::span<const float> r(rows + p * d, d);
    ref[p] = dot_reference(q, r);
    bound[p] = dot_error_bound(q, r);
  }
}

}  // namespace lowbit
