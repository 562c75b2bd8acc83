// T-MAC AVX2 microkernel: vpshufb table lookups for 32 weight rows, exact integer group sums.
// Compiled with -mavx2 -mfma only (CMake); called only after a run-time AVX2 check.
#include "host/lib/backends/cpu/tmac_avx2.h"

#include <immintrin.h>

namespace lowbit::cpu {

void tmac_block_avx2(const TmacBlockArgs& p) {
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  __m256 out[4];
  for (auto& o : out) o = _mm256_setzero_ps();
  for (int g = 0; g < p.groups; ++g) {
    // sum_k u_k a_k for the 32 rows, rows 8q .. 8q+7 in sum[q].
    __m256i sum[4];
    for (auto& s : sum) s = _mm256_setzero_si256();
    const int begin = p.pair_begin[g];
    const int end = p.pair_begin[g + 1];
    for (int plane = 0; plane < p.planes; ++plane) {
      const uint8_t* idx = p.idx + static_cast<long>(plane) * p.pairs * 32;
      for (int seg = begin; seg < end; seg += kTmacSegmentChunks / 2) {
        const int seg_end = seg + kTmacSegmentChunks / 2 < end ? seg + kTmacSegmentChunks / 2 : end;
        // int16 T sums: acc_lo holds byte positions 0-7 (lane 0) and 16-23 (lane 1), acc_hi
        // positions 8-15 and 24-31 (the unpack order), i.e. rows in that order.
        __m256i acc_lo = _mm256_setzero_si256();
        __m256i acc_hi = _mm256_setzero_si256();
        for (int c = seg; c < seg_end; ++c) {
          const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(idx + c * 32));
          const __m256i i0 = _mm256_and_si256(v, nibble);
          const __m256i i1 = _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble);
          const uint8_t* t = p.tables + static_cast<long>(c) * 64;
          const __m256i tl0 =
              _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t)));
          const __m256i th0 = _mm256_broadcastsi128_si256(
              _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 16)));
          const __m256i tl1 = _mm256_broadcastsi128_si256(
              _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 32)));
          const __m256i th1 = _mm256_broadcastsi128_si256(
              _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 48)));
          const __m256i l0 = _mm256_shuffle_epi8(tl0, i0);
          const __m256i h0 = _mm256_shuffle_epi8(th0, i0);
          const __m256i l1 = _mm256_shuffle_epi8(tl1, i1);
          const __m256i h1 = _mm256_shuffle_epi8(th1, i1);
          // (lo, hi) byte pairs are the little-endian int16 entries T exactly.
          acc_lo = _mm256_add_epi16(acc_lo, _mm256_unpacklo_epi8(l0, h0));
          acc_hi = _mm256_add_epi16(acc_hi, _mm256_unpackhi_epi8(l0, h0));
          acc_lo = _mm256_add_epi16(acc_lo, _mm256_unpacklo_epi8(l1, h1));
          acc_hi = _mm256_add_epi16(acc_hi, _mm256_unpackhi_epi8(l1, h1));
        }
        // Widen to int32 (rows 0-7, 8-15, 16-23, 24-31) and weigh by the plane: |2^3 * 32768| and
        // the group total stay far below 2^31 (group length <= kTmacMaxGroupLength).
        const __m128i shift = _mm_cvtsi32_si128(plane);
        const __m256i r0 = _mm256_cvtepi16_epi32(_mm256_castsi256_si128(acc_lo));
        const __m256i r1 = _mm256_cvtepi16_epi32(_mm256_castsi256_si128(acc_hi));
        const __m256i r2 = _mm256_cvtepi16_epi32(_mm256_extracti128_si256(acc_lo, 1));
        const __m256i r3 = _mm256_cvtepi16_epi32(_mm256_extracti128_si256(acc_hi, 1));
        sum[0] = _mm256_add_epi32(sum[0], _mm256_sll_epi32(r0, shift));
        sum[1] = _mm256_add_epi32(sum[1], _mm256_sll_epi32(r1, shift));
        sum[2] = _mm256_add_epi32(sum[2], _mm256_sll_epi32(r2, shift));
        sum[3] = _mm256_add_epi32(sum[3], _mm256_sll_epi32(r3, shift));
      }
    }
    // S_g = alpha * sum(u a) - beta * sum(a), beta = the zero point for kUnsigned; then the
    // dequant.h step out + float(S_g) * scale_g: cvtepi32_ps rounds to nearest even like the
    // golden int64 -> float conversion, and mul + add are two roundings (no FMA).
    const __m256i sa = _mm256_set1_epi32(p.sum_a[g]);
    const __m256i alpha = _mm256_set1_epi32(p.alpha);
    for (int q = 0; q < 4; ++q) {
      const __m256i beta =
          p.zeros ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p.zeros + g * 32 + q * 8))
                  : _mm256_set1_epi32(p.beta);
      const __m256i s =
          _mm256_sub_epi32(_mm256_mullo_epi32(alpha, sum[q]), _mm256_mullo_epi32(beta, sa));
      const __m256 scale = _mm256_loadu_ps(p.scales + g * 32 + q * 8);
      out[q] = _mm256_add_ps(out[q], _mm256_mul_ps(_mm256_cvtepi32_ps(s), scale));
    }
  }
  const __m256 act = _mm256_set1_ps(p.act_scale);
  for (int q = 0; q < 4; ++q) _mm256_storeu_ps(p.out + q * 8, _mm256_mul_ps(out[q], act));
}

}  // namespace lowbit::cpu
