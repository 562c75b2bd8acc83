// The vector / special-function unit's FP32 kernels (docs/decoder.md): one implementation used by
// the golden model of a decoder block and by every backend, so that all agree bit for bit.
//
// Every kernel computes in IEEE binary32 with round to nearest even (no FMA contraction: the build
// uses -ffp-contract=off), in the element order written here. Transcendentals are computed as
// hardware would, not by libm: exp by Cody-Waite range reduction and a degree-6 polynomial
// (exp_f32), 1/sqrt by an IEEE square root and an IEEE division. The error of each kernel against
// the float64 reference (vector_ops_reference.h) is bounded by the rule next to it there, and
// tested.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace lowbit {

/// e^x in FP32: n = rint(x log2 e), r = x - n ln2 (two-constant Cody-Waite, exact for |n| <= 128),
/// p(r) = degree-6 Taylor polynomial by Horner, result p * 2^n. x > 88.72 gives +inf; x < -87.33
/// gives +0 (flush to zero: the unit has no subnormal outputs); NaN stays NaN.
float exp_f32(float x);
/// exp_f32's FP32 operations (what the vector unit's energy prices, model/cost/vector_cost.cpp):
/// x log2e, n ln2hi, n ln2lo and six Horner steps are 9 multiplies; the rounding to n (an adder's
/// round-to-integer), the two subtractions and six Horner adds are 9 adds. The scaling by 2^n is
/// an add to the exponent field and is not counted. Change these with the kernel.
inline constexpr int kExpF32Muls = 9;
inline constexpr int kExpF32Adds = 9;

/// RMSNorm of one row: y_i = x_i * r * g_i with r = 1 / sqrt(sum_i x_i^2 / n + eps), the sum in
/// FP32 in index order, the mean by one FP32 division by n.
void rmsnorm_f32(std::span<const float> x, std::span<const float> gain, float eps,
                 std::span<float> y);

/// Rotary embedding of one head vector in place (rotate-half pairing, as Hugging Face Llama):
/// (x_i, x_{i+d/2}) -> (x_i c_i - x_{i+d/2} s_i, x_i s_i + x_{i+d/2} c_i), i < d/2, with c_i, s_i
/// from rotary_table (FP32, rounded once from float64).
void rotary_f32(std::span<float> x, std::span<const float> cos_t, std::span<const float> sin_t);
/// cos and sin of position * theta^(-2i/d), i < d/2, computed in float64 and rounded to FP32 once
/// (the table the host writes for the unit, like a ROM of angles).
void rotary_table(int position, int head_dim, double theta, std::vector<float>& cos_t,
                  std::vector<float>& sin_t);

/// Softmax of one row in place: m = max, e_i = exp_f32(x_i - m), s = sum e_i in index order,
/// p_i = e_i / s (one FP32 division each).
void softmax_f32(std::span<float> x);

/// y_i = silu(g_i) * u_i with silu(g) = g / (1 + exp_f32(-g)).
void silu_gate_f32(std::span<const float> gate, std::span<const float> up, std::span<float> y);

/// y_i = relu(g_i)^2 * u_i: r = g > 0 ? g : +0, then (r * r) * u (two FP32 products). BitNet
/// b1.58 2B4T's feed-forward activation ("relu2" in its config.json).
void relu2_gate_f32(std::span<const float> gate, std::span<const float> up, std::span<float> y);

/// The activation of the feed-forward gate (the block's "SiLU x gate" operator class), in the
/// order of `vcfg`'s field `gact` (docs/isa.md).
enum class GateAct : uint8_t { kSilu = 0, kRelu2 = 1 };
inline constexpr int kGateActs = 2;
/// "silu", "relu2" (the workload key decoder.ffn_activation and the assembler's symbols).
const char* gate_act_name(GateAct a);
/// y_i = act(g_i) * u_i with the activation `a`.
void gate_f32(GateAct a, std::span<const float> gate, std::span<const float> up,
              std::span<float> y);

/// y_i = a_i + b_i (the residual add).
void residual_add_f32(std::span<const float> a, std::span<const float> b, std::span<float> y);

/// Dot product in FP32, products and sums in index order (QK^T on the vector unit).
float dot_f32(std::span<const float> a, std::span<const float> b);

/// out[p] = dot_f32(q, rows[p]) for n rows of q.size() values each, back to back: the same bits,
/// several rows' in-order sums interleaved (independent chains, not one add latency per element).
void dot_f32_rows(std::span<const float> q, const float* rows, size_t n, float* out);

/// Attention context of one query row: ctx_c = ctx_c + sum_p p_p v_{p,c}, accumulated in FP32 in
/// position order (one product and one add per element). v is [p.size()][ctx.size()].
void context_accumulate_f32(std::span<const float> p, std::span<const float> v,
                            std::span<float> ctx);

}  // namespace lowbit
