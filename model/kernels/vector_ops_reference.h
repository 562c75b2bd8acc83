// Float64 references of the vector unit's operators and the error rule of each FP32 kernel
// (vector_ops.h) against them (docs/decoder.md, "Error rules"). u = 2^-24, the unit roundoff of
// FP32. A rule bounds |y32 - y64| per element, y64 computed from the same FP32 inputs.
#pragma once

#include <span>
#include <vector>

namespace lowbit {

inline constexpr double kFp32Unit = 0x1p-24;
/// Absolute slack of every rule: values this small are flushed or subnormal in the unit.
inline constexpr double kFp32Floor = 0x1p-100;

double exp_reference(double x);
/// exp_f32: |y - e^x| <= 8u e^x + floor for x >= -87.33 (4 ulp of the result).
double exp_error_bound(double x);

/// RMSNorm in float64 from the same inputs.
std::vector<double> rmsnorm_reference(std::span<const float> x, std::span<const float> gain,
                                      double eps);
/// |y_i - ref_i| <= ((n + 1) / 2 + 8) u |ref_i| + floor: the FP32 sum of n squares (n u), halved
/// by the square root, then the division and two products.
double rmsnorm_error_bound(int n, double ref);

/// Rotary embedding in float64 with exact cos/sin of position * theta^(-2i/d).
std::vector<double> rotary_reference(std::span<const float> x, int position, double theta);
/// |y - ref| <= 4u (|x_i c_i| + |x_{i+d/2} s_i|) + floor (table rounding, two products, one sum).
double rotary_error_bound(double a, double b, double c, double s);

/// Softmax in float64 (max-subtracted, exact exp).
std::vector<double> softmax_reference(std::span<const float> x);
/// |p_i - ref_i| <= (n + 12 + |x_i - max|) u ref_i + floor: exp (8u), the FP32 subtraction
/// (|x_i - max| u), the sum of n terms (n u), the division.
double softmax_error_bound(int n, double x_minus_max, double ref);

/// silu(g) * up in float64.
double silu_gate_reference(double g, double up);
/// |y - ref| <= 16u |ref| + floor (|up| + 1): exp, one add, one division, one product; the floor
/// covers g < -87.3, where exp(-g) overflows and the unit gives -0.
double silu_gate_error_bound(double ref, double up);

/// relu(g)^2 * up in float64.
double relu2_gate_reference(double g, double up);
/// |y - ref| <= 3u |ref| + floor (|up| + 1): two FP32 products; the floor covers r * r below
/// FP32's normal range.
double relu2_gate_error_bound(double ref, double up);

/// Dot product in float64; bound (n + 2) u sum |a_i b_i| + floor (FP32 products and sums).
double dot_reference(std::span<const float> a, std::span<const float> b);
double dot_error_bound(std::span<const float> a, std::span<const float> b);
/// ref[p] = dot_reference(q, rows[p]) and bound[p] = dot_error_bound(q, rows[p]) for n rows of
/// q.size() values each, back to back: the same bits, several rows' chains interleaved.
void dot_reference_rows(std::span<const float> q, const float* rows, size_t n, double* ref,
                        double* bound);

/// Residual add: one FP32 rounding, |y - ref| <= u |ref|.
inline double residual_error_bound(double ref) { return kFp32Unit * (ref < 0 ? -ref : ref); }

}  // namespace lowbit
