// The float64 reference of a whole decoder block's decode step (docs/decoder.md): every nonlinear
// operator in double (exact exp, sqrt, cos / sin), the linear layers by the caller's quantized
// arithmetic on inputs requantized from the double values (rounded to FP32 first, as the unit's
// output register holds them), the same synthesized KV cache in the same storage format.
#pragma once

#include <vector>

#include "model/kernels/decoder_block.h"

namespace lowbit {

/// Requantization codes of the reference that sit one step from the FP32 path's (a value within
/// rounding error of a step boundary, rounded to the other side) and codes further apart.
struct ReferenceFlips {
  uint64_t one_step = 0;  ///< taken from the FP32 path when aligning (counted)
  uint64_t far = 0;       ///< more than one step apart: a real difference, never aligned
  uint64_t codes = 0;     ///< codes compared
};

/// The block's output [M][hidden] in double. With `align` (the FP32 path's linear-layer inputs,
/// DecodeStepResult::linear_inputs), a requantized code of the reference one step (INT8: 1; FP16:
/// within 2^-10 of the row's largest magnitude) from the FP32 path's is replaced by the FP32 path's
/// code before its linear layer, and counted in `flips`: one step of an INT8 code fed through a
/// heavy-tailed weight column moves a row's output by up to ~2% (measured: Llama-2-7B shapes, 1 to
/// 3 rows of 8), so without the alignment the block rule would measure where the rounding
/// boundaries fall, not the data path.
std::vector<double> decoder_decode_step_reference(
    const DecodeStepSpec& spec, const std::vector<float>& x, const LinearFn& linear,
    const std::array<Activations, kBlockLinears>* align = nullptr, ReferenceFlips* flips = nullptr);

/// The rule of a whole block's FP32 output against this reference, as a relative L2 error. The two
/// paths may round a value to different sides of a quantization step (the activation
/// requantizations, the new token's KV store), so the rule is the largest one-step change of the
/// formats used: 2^-7 for INT8 (one step is 1/127 of the row's or group's range) or an FP16 KV
/// cache with INT8 activations, 2^-4 for an INT4 KV cache (1/7 of the group's range), and 2^-10
/// (one FP16 step) when activations and KV cache are FP16.
double decoder_block_rule(ActFormat act, KvFormat kv);

/// The measure of that rule: ||out - ref|| / ||ref|| over every element (0 when ref is all zero).
double decoder_rel_l2(const std::vector<float>& out, const std::vector<double>& ref);

}  // namespace lowbit
