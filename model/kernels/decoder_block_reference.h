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

}  // namespace lowbit
