// The float64 reference of a whole decoder block's decode step (docs/decoder.md): every nonlinear
// operator in double (exact exp, sqrt, cos / sin), the linear layers by the caller's quantized
// arithmetic on inputs requantized from the double values (rounded to FP32 first, as the unit's
// output register holds them), the same synthesized KV cache in the same storage format.
#pragma once

#include <vector>

#include "model/kernels/decoder_block.h"

namespace lowbit {

/// The block's output [M][hidden] in double.
std::vector<double> decoder_decode_step_reference(const DecodeStepSpec& spec,
                                                  const std::vector<float>& x,
                                                  const LinearFn& linear);

/// The rule of a whole block's FP32 output against this reference, as a relative L2 error. The two
/// paths may round a value to different sides of a quantization step (the activation
/// requantizations, the new token's KV store), so the rule is the largest one-step change of the
/// formats used: 2^-7 for INT8 (one step is 1/127 of the row's or group's range) or an FP16 KV
/// cache with INT8 activations, 2^-4 for an INT4 KV cache (1/7 of the group's range), and 2^-14
/// when activations and KV cache are FP16.
double decoder_block_rule(ActFormat act, KvFormat kv);

}  // namespace lowbit
