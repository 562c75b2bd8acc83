// Quantization error metrics shared by the quantizer tests and reports.
#pragma once

#include <cstddef>
#include <vector>

namespace lowbit {

/// Normalized mean squared error: sum (w - q)^2 / sum w^2, accumulated in double.
inline double normalized_mse(const std::vector<float>& w, const std::vector<float>& q) {
  double err = 0;
  double ref = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    const double d = static_cast<double>(w[i]) - q[i];
    err += d * d;
    ref += static_cast<double>(w[i]) * w[i];
  }
  return err / ref;
}

}  // namespace lowbit
