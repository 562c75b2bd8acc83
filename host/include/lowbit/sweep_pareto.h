// Pareto front extraction: the rows no other row dominates over a set of objectives.
#pragma once

#include <cstddef>
#include <vector>

namespace lowbit {

/// Indices (ascending) of the non-dominated rows of `values` (values[i][j]: objective j of row i;
/// maximize[j] says its direction). Row a dominates row b when a is at least as good in every
/// objective and strictly better in one. Rows with equal vectors do not dominate each other, so
/// duplicates on the front are all kept (a tie is not a loss). Rows with a NaN anywhere, or with a
/// row length different from maximize.size(), are not candidates. Exact, O(n log n + n f d) for
/// n rows, f front rows, d objectives: rows are sorted best-first lexicographically, so a row can
/// only be dominated by a front row before it.
std::vector<size_t> pareto_front(const std::vector<std::vector<double>>& values,
                                 const std::vector<bool>& maximize);

/// True when `a` dominates `b` (same vector lengths as `maximize`).
bool dominates(const std::vector<double>& a, const std::vector<double>& b,
               const std::vector<bool>& maximize);

}  // namespace lowbit
