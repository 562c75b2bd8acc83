// The lutcore array's walk of one bit-plane for one row of lanes: every column adds its table
// entry, shifted to the plane, to its accumulator (lutcore_core.cpp's stage A). The cycle tier's
// innermost loop (docs/top.md, issue 20), with an AVX-512 path chosen at run time that gives the
// same bits as the scalar definition.
#pragma once

#include <cstdint>

namespace lowbit {

/// acc[j] = wrap(acc[j] + (lut[idx[j]] << plane)) for j < n, in 64-bit two's complement, where
/// wrap keeps the low 32 bits sign-extended when `wrap32` (a 32-bit accumulator) and all 64
/// otherwise. Every idx[j] < table_size. Uses vector permutes where the CPU has AVX-512F and the
/// table has at most 16 entries (g <= 4), the scalar loop otherwise.
void lutcore_walk_row(int64_t* acc, const int64_t* lut, int table_size, const uint8_t* idx, int n,
                      int plane, bool wrap32);

/// The scalar definition (what lutcore_walk_row must equal; tests compare the two).
void lutcore_walk_row_scalar(int64_t* acc, const int64_t* lut, const uint8_t* idx, int n, int plane,
                             bool wrap32);

/// Whether lutcore_walk_row takes the vector path for this table size on this CPU.
bool lutcore_walk_vectorized(int table_size);

}  // namespace lowbit
