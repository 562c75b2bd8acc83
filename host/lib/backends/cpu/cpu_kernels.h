// Internal: the factories and support checks of the three CPU reference kernels.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "lowbit/cpu_reference.h"

namespace lowbit::cpu {

/// Each *_supports returns false and sets *reason (never null here) when the kernel cannot run
/// these operands; `act` is nullopt when only the weights are being checked. Each make_* returns
/// null with *reason when the kernel cannot be built (after its *_supports(w, nullopt) passed).
bool sgemm_supports(const QuantizedWeights& w, std::optional<ActFormat> act, std::string* reason);
std::unique_ptr<ICpuKernel> make_sgemm_kernel(const QuantizedWeights& w, std::string* reason);

bool onednn_supports(const QuantizedWeights& w, std::optional<ActFormat> act, std::string* reason);
std::unique_ptr<ICpuKernel> make_onednn_kernel(const QuantizedWeights& w, std::string* reason);

bool tmac_supports(const QuantizedWeights& w, std::optional<ActFormat> act, std::string* reason);
std::unique_ptr<ICpuKernel> make_tmac_kernel(const QuantizedWeights& w, std::string* reason);

/// Checks a's shape against the kernel's K; throws std::invalid_argument.
void check_activations_for(const Activations& a, int k, const char* kernel);

}  // namespace lowbit::cpu
