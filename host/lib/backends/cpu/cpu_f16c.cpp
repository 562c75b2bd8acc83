// FP16 -> FP32 with the F16C instruction (compiled with -mf16c -mavx only; cpu_fp16_to_f32 checks
// the CPU first). The conversion is exact, so it equals fp16_to_float bit for bit.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace lowbit::cpu {

void fp16_to_f32_f16c(const uint16_t* in, size_t n, float* out) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
    _mm256_storeu_ps(out + i, _mm256_cvtph_ps(h));
  }
  for (; i < n; ++i) out[i] = _cvtsh_ss(in[i]);
}

}  // namespace lowbit::cpu
