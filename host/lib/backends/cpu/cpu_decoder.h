// One decoder block on the CPU (docs/cpu-reference.md, "Whole decoder blocks"): what a CPU
// inference engine computes for a decode step at context L or a causal prefill, timed by operator
// class. The linear layers run on the measured CPU kernels (T-MAC-style LUT, oneDNN int8, OpenBLAS
// SGEMM: the caller picks one per layer); the KV cache is held in its stored format
// (cpu_kv_cache.h) and dequantized to FP32 per head; QK^T and PV are OpenBLAS SGEMMs (one per KV
// head: its query heads are the rows); RMSNorm, rotary, softmax (libm expf), SiLU x gate and the
// residual adds are FP32 loops; requantization uses the accelerator's activation quantizers, so
// the linear layers read the same kind of operands.
//
// Its output is checked against the float64 block reference (decoder_block_reference.h) by the
// block rule of docs/decoder.md, and its linear outputs against golden by each kernel's rule.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "host/lib/backends/cpu/cpu_kv_cache.h"
#include "lowbit/cpu_reference.h"
#include "model/kernels/decoder_block.h"

namespace lowbit {

/// Seconds of a step by operator class.
struct CpuClassSeconds {
  double linear = 0;             ///< the seven linear layers (and the LM head)
  double attention_matmuls = 0;  ///< QK^T and PV (SGEMM on the dequantized FP32 K / V)
  double kv_traffic = 0;  ///< reading and dequantizing the stored K / V, storing the new k / v
  double nonlinear = 0;   ///< RMSNorm, rotary, softmax, SiLU x gate, residuals, requantization
  double total() const { return linear + attention_matmuls + kv_traffic + nonlinear; }
  void add(const CpuClassSeconds& o, double times = 1.0);
};

class CpuDecoderBlock {
 public:
  /// `spec` as for decoder_decode_step (its check flag and kv_seed are not used here), the seven
  /// linear layers' weights (in BlockLinear order, kept by pointer) and the kernel of each.
  /// Throws std::invalid_argument on inconsistent shapes or a kernel that cannot run a layer.
  CpuDecoderBlock(const DecodeStepSpec& spec,
                  const std::array<const QuantizedWeights*, kBlockLinears>& weights,
                  const std::array<CpuKernel, kBlockLinears>& kernels);

  /// Synthesizes the cached past of every sequence (decode: positions 0 .. context - 2, the values
  /// of synthesized_kv for `kv_seed`) and stores it in the KV format; untimed (the cache exists
  /// before the step). Prefill has no past.
  void load_past(uint64_t kv_seed);

  struct Step {
    std::vector<float> out;                                ///< [M][hidden]
    std::array<Activations, kBlockLinears> linear_inputs;  ///< what each linear layer read
    std::array<std::vector<float>, kBlockLinears> linear_outputs;
    CpuClassSeconds seconds;
  };
  /// One step for x [M][hidden] with `threads` threads (the linear kernels' threads; attention
  /// over KV heads on as many std::threads, OpenBLAS single-threaded inside each). The per-class
  /// split of the threaded attention phase: its wall time shared in proportion to the threads'
  /// summed class times.
  Step run(const std::vector<float>& x, int threads);

  const ICpuKernel& kernel(BlockLinear l) const { return *kernels_[static_cast<size_t>(l)]; }
  /// Bytes a step reads from memory: prepared weights of the seven layers and the KV cache.
  uint64_t weight_bytes() const;
  uint64_t kv_cache_bytes() const;

 private:
  DecodeStepSpec spec_;
  std::array<std::unique_ptr<ICpuKernel>, kBlockLinears> kernels_;
  std::vector<CpuKvCache> caches_;  ///< one per sequence
};

/// FP32 softmax of one row in place as a CPU library computes it: max, expf(x - max), sum in
/// index order, one division each (libm's expf, not the unit's polynomial).
void cpu_softmax(float* x, size_t n);
/// y_i = g_i / (1 + expf(-g_i)) * u_i (libm's expf).
void cpu_silu_gate(const float* g, const float* u, float* y, size_t n);
/// relu(g)^2 * u (BitNet b1.58 2B4T's feed-forward activation).
void cpu_relu2_gate(const float* g, const float* u, float* y, size_t n);

}  // namespace lowbit
