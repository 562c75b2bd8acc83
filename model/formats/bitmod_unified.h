// BitMoD's unified bit-serial weight representation: every value of every BitMoD type as a
// signed mantissa times a power of two, consumed by the PE two mantissa bits per cycle.
#pragma once

#include <cstdint>

#include "model/formats/bitmod_types.h"

namespace lowbit {

/// Mantissa bits of the unified representation (two's complement), for 3- and 4-bit types alike.
inline constexpr int kBitmodMantBits = 4;
/// Mantissa bits the PE consumes per cycle.
inline constexpr int kBitmodBitsPerCycle = 2;
/// Cycles (x beats) per weight: ceil(w_prec / 2) = 2 for both BitMoD precisions (3 and 4 bits).
inline constexpr int kBitmodSlices = kBitmodMantBits / kBitmodBitsPerCycle;
/// Type ids on the wire (the g channel's per-column byte): BitmodType's enum value, 0 .. 12.
inline constexpr int kBitmodTypeCount = 13;

/// value = mant * 2^exp, mant in [-8, 7] (4-bit two's complement), exp in 0 .. 2.
struct BitmodTerm {
  int mant = 0;
  int exp = 0;
};

/// The unified form of code `code` (masked to the type's bits) of type id `type_id`: the smallest
/// exp for which value / 2^exp is an integer in [-8, 7]. Every value of every BitMoD type (|v| <=
/// 16) has one. Type ids >= kBitmodTypeCount are not types: every code is {0, 0} (value 0), as in
/// the RTL decoder.
BitmodTerm bitmod_unified(uint32_t type_id, uint32_t code);

/// Digit `slice` (0 = low) of a 4-bit two's complement mantissa as the PE consumes it: the low
/// slice is mant[1:0] unsigned (0 .. 3), the top slice mant[3:2] signed (-2 .. 1), so that
/// digit(0) + 4 * digit(1) = mant.
int bitmod_slice_digit(int mant, int slice);

/// The weight value of (type id, code) as an integer (bitmod_decode of the type; 0 for ids that
/// are not types).
int bitmod_value_int(uint32_t type_id, uint32_t code);

}  // namespace lowbit
