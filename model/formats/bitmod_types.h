// BitMoD datatypes (arXiv 2411.11745): 3- and 4-bit value sets, some with one extra special value.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace lowbit {

/// A BitMoD element type (values before the group scale; FORMATS.md, BitMoD section 4).
enum class BitmodType : uint8_t {
  kInt3,      ///< -3 .. 3
  kFp3,       ///< -4, -2, -1, 0, 1, 2, 4
  kFp3ErPos,  ///< fp3 + {+3}: extra resolution
  kFp3ErNeg,  ///< fp3 + {-3}
  kFp3EaPos,  ///< fp3 + {+6}: extra asymmetry
  kFp3EaNeg,  ///< fp3 + {-6}
  kInt4,      ///< -7 .. 7
  kFlint4,    ///< -16, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 16
  kFp4,       ///< E2M1 scaled by 2: -12, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 12
  kFp4ErPos,  ///< fp4 + {+10}
  kFp4ErNeg,  ///< fp4 + {-10}
  kFp4EaPos,  ///< fp4 + {+16}
  kFp4EaNeg,  ///< fp4 + {-16}
};

/// Every BitMoD type, in enum order.
std::span<const BitmodType> bitmod_all_types();
/// Canonical lowercase name without the "bitmod_" prefix: "int3", "fp3_er_pos", ...
std::string_view bitmod_type_name(BitmodType type);
/// 3 or 4.
int bitmod_bits(BitmodType type);
/// Largest |value| of the type (the group scale is max|w| / bitmod_max_abs).
double bitmod_max_abs(BitmodType type);
/// The type's distinct values, ascending.
std::vector<double> bitmod_values(BitmodType type);
/// The four candidates BitMoD chooses between per group (2 selector bits): ER+/ER-/EA+/EA- of
/// fp3 (bits = 3) or fp4 (bits = 4).
std::span<const BitmodType> bitmod_candidates(int bits);

/// Codes are sign-magnitude: bit (bits-1) is the sign, the low bits index the type's magnitudes
/// ascending. The redundant negative-zero code (1 << (bits-1)) holds the special value, or 0 for
/// types without one.
double bitmod_decode(BitmodType type, uint32_t code);
/// Nearest value; on a tie the value of smaller magnitude. Out-of-range values saturate to the
/// nearest end; NaN gives code 0 (value 0).
uint32_t bitmod_encode(BitmodType type, double x);

}  // namespace lowbit
