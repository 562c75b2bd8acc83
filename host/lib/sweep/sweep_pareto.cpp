// Exact Pareto front by a best-first sort and a scan against the front so far.
#include "lowbit/sweep_pareto.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lowbit {

bool dominates(const std::vector<double>& a, const std::vector<double>& b,
               const std::vector<bool>& maximize) {
  bool strictly = false;
  for (size_t j = 0; j < maximize.size(); ++j) {
    const double x = maximize[j] ? a[j] : -a[j];  // larger is better after the sign flip
    const double y = maximize[j] ? b[j] : -b[j];
    if (x < y) return false;
    if (x > y) strictly = true;
  }
  return strictly;
}

std::vector<size_t> pareto_front(const std::vector<std::vector<double>>& values,
                                 const std::vector<bool>& maximize) {
  std::vector<size_t> order;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].size() != maximize.size()) continue;
    if (std::any_of(values[i].begin(), values[i].end(), [](double v) { return std::isnan(v); })) {
      continue;
    }
    order.push_back(i);
  }
  // Best first, lexicographically: a dominator is never after the row it dominates.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    for (size_t j = 0; j < maximize.size(); ++j) {
      const double x = maximize[j] ? values[a][j] : -values[a][j];
      const double y = maximize[j] ? values[b][j] : -values[b][j];
      if (x != y) return x > y;
    }
    return false;
  });
  std::vector<size_t> front;
  for (size_t i : order) {
    const bool beaten = std::any_of(front.begin(), front.end(), [&](size_t f) {
      return dominates(values[f], values[i], maximize);
    });
    if (!beaten) front.push_back(i);
  }
  std::sort(front.begin(), front.end());
  return front;
}

}  // namespace lowbit
