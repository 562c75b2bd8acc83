// The golden backend's job: make a layer's data, run the four golden kernels, check they agree.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lowbit/workload.h"
#include "model/quant/tensors.h"

namespace lowbit {

/// A layer's data, quantized: what every backend consumes.
struct LayerData {
  std::vector<float> a_float;  ///< A[M][K] before quantization
  /// O_fp64[M][N] = A W^T in double over the floats before quantization (W: exact model types
  /// dequantized), summed along K in order: what quantization costs is measured against it. W's
  /// floats themselves are not kept (1.3 GB on a Llama-2-7B decode token, issue 20).
  std::vector<double> unquantized_out;
  Activations acts;
  QuantizedWeights weights;
  /// BitMoD layers: the same floats as intN RTN (N = the BitMoD width, same group size), for
  /// comparison; empty otherwise.
  QuantizedWeights rtn_weights;
};

/// Generates and quantizes a layer's data from its seed and distribution (docs/workloads.md):
/// weights from `seed`, activations from a second stream derived from it. A layer with a
/// model_tensor takes its weights from model_file instead (docs/models.md); its activations are
/// still synthesized. `weight_scratch`, when given, holds the synthesized float weights (a caller
/// making layer after layer reuses its pages).
LayerData make_layer_data(const LayerSpec& layer, std::vector<float>* weight_scratch = nullptr);

/// Wall time of one kernel on this machine (informational, never asserted).
struct KernelTiming {
  std::string kernel;
  double seconds = 0;
};

/// Result of one layer on the golden backend.
struct GoldenLayerResult {
  LayerSpec spec;
  std::vector<float> out;  ///< O[M][N] of the integer-exact kernel (the golden output)
  bool integer_paths_bit_exact = false;  ///< integer == LUT == MixPE (BitMoD: bitmod == bit-serial)
  double max_abs_diff_vs_reference = 0;  ///< max |O - O_ref| (O_ref: dequantize to double)
  double max_abs_reference = 0;          ///< max |O_ref| (scale for the above)
  double error_bound = 0;                ///< the stated bound on |O - O_ref| (docs/kernels.md)
  bool within_bound = false;             ///< max_abs_diff_vs_reference <= error_bound
  double quantization_rel_error = 0;     ///< ||O_ref - O_fp64|| / ||O_fp64||, unquantized O_fp64
  /// BitMoD weights only: groups per chosen datatype, in type order, and the same error measure
  /// for the same float weights quantized as intN RTN (N = the BitMoD width, same group size).
  std::vector<std::pair<std::string, int>> weight_type_mix;
  std::string rtn_weight_format;
  double rtn_quantization_rel_error = 0;
  std::vector<KernelTiming> timings;
};

/// Runs the reference, integer-exact, LUT and MixPE golden kernels on one layer (BitMoD weights:
/// bitmod_reference, bitmod_gemm and the bit-serial group sums, model/kernels/bitmod_gemm.h).
GoldenLayerResult run_golden_layer(const LayerSpec& layer, const LayerData& data);

}  // namespace lowbit
