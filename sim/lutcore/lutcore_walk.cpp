// The array walk of one row (lutcore_walk.h). The AVX-512 path looks up 8 columns at once with a
// two-register permute (vpermt2q: a 4-bit index picks one of 16 qwords), so a table of up to 16
// entries (g <= 4) is two registers and no memory gather; the shift, add and sign-extension are
// the scalar definition's 64-bit integer operations lane by lane, so the bits are the same.
#include "sim/lutcore/lutcore_walk.h"

#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define LOWBIT_WALK_AVX512 1
#endif

namespace lowbit {

namespace {

inline int64_t wrap_acc(uint64_t x, bool wrap32) {
  return wrap32 ? static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(x)))
                : static_cast<int64_t>(x);
}

#ifdef LOWBIT_WALK_AVX512
__attribute__((target("avx512f"))) void walk_row_avx512(int64_t* acc, const int64_t* lut,
                                                        int table_size, const uint8_t* idx, int n,
                                                        int plane, bool wrap32) {
  // A 16-entry table (g = 4) is read in place; a smaller one is padded (its indices never reach
  // the padding).
  alignas(64) int64_t t[16] = {};
  const int64_t* table = lut;
  if (table_size < 16) {
    std::memcpy(t, lut, static_cast<size_t>(table_size) * sizeof(int64_t));
    table = t;
  }
  const __m512i lo = _mm512_loadu_si512(table);
  const __m512i hi = _mm512_loadu_si512(table + 8);
  const __m128i count = _mm_cvtsi32_si128(plane);
  constexpr __mmask8 kAll = 0xFF;
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    uint64_t bytes;
    std::memcpy(&bytes, idx + j, sizeof bytes);
    // The zero-masking forms: the unmasked ones of GCC 12's headers pass an undefined source
    // operand that -Wmaybe-uninitialized reports; with an all-ones mask they are the same.
    const __m512i ix =
        _mm512_maskz_cvtepu8_epi64(kAll, _mm_cvtsi64_si128(static_cast<int64_t>(bytes)));
    const __m512i v = _mm512_maskz_sll_epi64(kAll, _mm512_permutex2var_epi64(lo, ix, hi), count);
    __m512i a = _mm512_add_epi64(_mm512_loadu_si512(acc + j), v);
    if (wrap32) a = _mm512_maskz_srai_epi64(kAll, _mm512_maskz_slli_epi64(kAll, a, 32), 32);
    _mm512_storeu_si512(acc + j, a);
  }
  lutcore_walk_row_scalar(acc + j, lut, idx + j, n - j, plane, wrap32);
}

bool have_avx512f() {
  static const bool yes = __builtin_cpu_supports("avx512f");
  return yes;
}
#endif

}  // namespace

void lutcore_walk_row_scalar(int64_t* acc, const int64_t* lut, const uint8_t* idx, int n, int plane,
                             bool wrap32) {
  for (int j = 0; j < n; ++j) {
    acc[j] = wrap_acc(static_cast<uint64_t>(acc[j]) + (static_cast<uint64_t>(lut[idx[j]]) << plane),
                      wrap32);
  }
}

bool lutcore_walk_vectorized(int table_size) {
#ifdef LOWBIT_WALK_AVX512
  return table_size <= 16 && have_avx512f();
#else
  (void)table_size;
  return false;
#endif
}

void lutcore_walk_row(int64_t* acc, const int64_t* lut, int table_size, const uint8_t* idx, int n,
                      int plane, bool wrap32) {
#ifdef LOWBIT_WALK_AVX512
  if (lutcore_walk_vectorized(table_size)) {
    walk_row_avx512(acc, lut, table_size, idx, n, plane, wrap32);
    return;
  }
#endif
  lutcore_walk_row_scalar(acc, lut, idx, n, plane, wrap32);
}

}  // namespace lowbit
