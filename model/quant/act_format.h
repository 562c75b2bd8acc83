// The activation formats a layer can name (`--activations`, a workload's activation_format): one
// registry of name, the element data the units receive and the quantizer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/formats/minifloat.h"
#include "model/quant/tensors.h"

namespace lowbit {

struct ActivationFormat {
  std::string_view name;
  /// What the units receive: INT8 codes with row scales, or FP16 values (fp16 and the FP8
  /// formats, whose values are all FP16 values: docs/fp-weights.md, "FP activations").
  ActFormat data = ActFormat::kInt8;
  /// The FP8 element format the values are rounded to (nullptr: int8, fp16).
  const MinifloatSpec* fp8 = nullptr;
  /// How --dump's A arrays decode (the manifest's activation_decoding).
  std::string_view decoding;
};

/// Every activation format, in the order `lowbit` lists them: int8, fp16, fp8_e4m3, fp8_e5m2.
const std::vector<ActivationFormat>& activation_formats();
/// Their names (the allowed values of activation_format / --activations).
const std::vector<std::string>& activation_format_names();
/// The format named `name`; throws std::invalid_argument listing the allowed names otherwise.
const ActivationFormat& activation_format(std::string_view name);

/// Quantizes float activations A[m][k] to the named format (act_quant.h: INT8 per-row absmax,
/// FP16 RNE, FP8 RNE saturating without a scale).
Activations quantize_activations(const std::vector<float>& a, int m, int k, std::string_view name);

}  // namespace lowbit
