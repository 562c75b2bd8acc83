// OCP Microscaling (MX v1.0) blocks: 32 elements sharing one E8M0 power-of-two scale.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace lowbit {

inline constexpr int kMxBlockSize = 32;

/// Element format of an MX block.
enum class MxElement : uint8_t {
  kFp8E4M3,  ///< MXFP8 E4M3 (OFP8 FN)
  kFp8E5M2,  ///< MXFP8 E5M2
  kFp6E2M3,  ///< MXFP6 E2M3
  kFp6E3M2,  ///< MXFP6 E3M2
  kFp4E2M1,  ///< MXFP4
  kInt8,     ///< MXINT8: two's complement with an implicit 2^-6 (values k/64)
};

std::span<const MxElement> mx_all_elements();
/// "mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp4", "mxint8".
std::string_view mx_format_name(MxElement e);
int mx_element_bits(MxElement e);
/// Exponent of the element format's largest power of two (MX v1.0 table: 8, 15, 2, 4, 2, 0).
int mx_element_emax(MxElement e);
/// Largest finite element value (448, 57344, 7.5, 28, 6, 127/64).
double mx_element_max(MxElement e);
/// Smallest positive element value.
double mx_element_min_positive(MxElement e);
/// Exact value of an element code (no scale).
double mx_element_decode(MxElement e, uint8_t code);
/// Element conversion: round to nearest even, saturating to +-max (MXINT8: to +-127/64; the code
/// 0x80 = -2 decodes but is never produced). NaN gives the element's NaN where it has one, else 0.
uint8_t mx_element_encode(MxElement e, double x);

/// One encoded block. Codes past the block's element count are zero.
struct MxBlock {
  uint8_t scale = 0;  ///< E8M0 code; 0xFF marks a NaN block
  std::array<uint8_t, kMxBlockSize> codes{};
};

/// Unclamped shared exponent of a block whose largest magnitude is amax (> 0, finite):
/// floor(log2(amax)) - emax_elem.
int mx_shared_exponent(MxElement e, double amax);

/// Encodes 1..32 values (OCP MX v1.0 section 6.3): X = 2^clamp(shared_exp, -127, 127),
/// P_i = element(V_i / X) with saturation. Decisions (docs/formats.md):
///  - any NaN or +-inf input: scale 0xFF (the whole block decodes as NaN), codes 0;
///  - all-zero block (max |V| = 0): scale 0x00 (2^-127), every code the element's +0;
///  - shared_exp below -127 is clamped to -127 (elements then round toward zero / subnormal);
///    above 127 is impossible for float input (floor(log2) <= 127, emax >= 0).
MxBlock mx_encode_block(MxElement e, std::span<const float> values);
/// V_i = X * P_i, exact in double; a NaN scale gives NaN for every element.
void mx_decode_block(MxElement e, const MxBlock& block, std::span<double> out);

}  // namespace lowbit
