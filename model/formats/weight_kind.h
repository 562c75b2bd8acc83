// How a weight code is encoded for the hardware (WeightKind: the 2-bit kind field of the ISA's cfg
// and of the RTL, rtl/common/lb_weight_pkg.sv) and the one function that gives a code's value.
//
// What a code means to the user is a WeightFormat (model/quant/weight_format.h: "int4", "uint3",
// "binary", ...): a kind plus a bit width. Every consumer (golden kernels, codecs, quantizers, the
// cycle models and, mirrored in lb_weight_pkg, the RTL) turns a code into its integer value
// through weight_affine() / weight_value() here, so a new kind is added in one place per language.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lowbit {

/// How an integer weight code u (b bits, unsigned storage) maps to its integer value w. The
/// enumerator values are the hardware encoding (ISA field `wkind`, RTL `kind_i`, lb_weight_pkg).
/// The group scale s (FP16) and zero point z (integer) then give the real weight s * w.
enum class WeightKind : uint8_t {
  kBinary = 0,    ///< b = 1, w = 2u - 1 in {-1, +1} (zero point unused)
  kTernary = 1,   ///< b = 2, u in {0, 1, 2}, w = u - 1 in {-1, 0, +1} (BitNet b1.58)
  kSigned = 2,    ///< two's complement intb stored offset-binary: w = u - 2^(b-1), z unused
  kUnsigned = 3,  ///< asymmetric uintb with a per-group zero point: w = u - z
};

/// How a weight format's codes become integer values, beside the kind (docs/formats.md, "Weight
/// formats"). kAffine: the kind's affine map below (binary, ternary, intN, uintN). kBitmod: BitMoD
/// (bitmod_w3, bitmod_w4): each group has its own datatype, whose id (BitmodType's enum value,
/// 0 .. 12) travels in the group's zero-point byte, and a code's value is
/// bitmod_value_int(id, code) (model/formats/bitmod_unified.h); the kind is unused.
/// kFp4E2M1 (fp4_e2m1) and kMxfp4 (mxfp4, OCP MX v1.0): 4-bit OCP E2M1 codes whose integer value
/// is twice the E2M1 value (fp4_e2m1_doubled, model/formats/fp_weight.h); the group scale field
/// holds an FP16 scale (kFp4E2M1) or an E8M0 block scale in its low byte (kMxfp4), and the FP32
/// scale a group sum of doubled values is multiplied by is weight_group_scale() there. The
/// enumerator values are the ISA's `wcodec` field. A unit decodes the codecs IUnitSpec::runs_codec
/// accepts.
enum class WeightCodec : uint8_t {
  kAffine = 0,
  kBitmod = 1,
  kFp4E2M1 = 2,
  kMxfp4 = 3,
};

/// Width of the ISA's codec field (every 2-bit value is a codec).
inline constexpr int kWeightCodecBits = 2;

/// Whether a codec's codes are E2M1 minifloats (fp4_e2m1, mxfp4).
constexpr bool weight_codec_is_fp4(WeightCodec codec) {
  return codec == WeightCodec::kFp4E2M1 || codec == WeightCodec::kMxfp4;
}

/// The codecs' names in field order: "affine", "bitmod", "fp4_e2m1", "mxfp4" (the ISA's symbols).
const std::vector<std::string>& weight_codec_names();

/// Width of the hardware kind field; every 2-bit value is a kind.
inline constexpr int kWeightKindBits = 2;

/// The kind a hardware field holds in its low kWeightKindBits bits (the RTL reads only those).
constexpr WeightKind weight_kind_from_field(uint64_t field) {
  return static_cast<WeightKind>(field & ((1u << kWeightKindBits) - 1u));
}

/// The field value of a kind (its enumerator value).
constexpr uint32_t weight_kind_field(WeightKind kind) { return static_cast<uint32_t>(kind); }

/// The kinds' names in field order: "binary", "ternary", "signed", "unsigned" (the ISA's symbols).
const std::vector<std::string>& weight_kind_names();

/// The name of a kind (weight_kind_names()[field]).
std::string_view weight_kind_name(WeightKind kind);

/// w = scale * u - offset: the affine map of a kind from a code u to its value.
struct WeightAffine {
  int scale;   ///< 2 for binary, else 1
  int offset;  ///< 1 (binary, ternary), 2^(b-1) (signed), the zero point (unsigned)
};

/// The affine map of (kind, b bits, zero point z), as the RTL computes it: z is 8 bits, and the
/// signed offset is the 8-bit value 1 << (b - 1) of a 4-bit shift, so a width outside the
/// contract (b = 0 or b > 8) gives offset 0 exactly like lb_weight_pkg::weight_offset.
constexpr WeightAffine weight_affine(WeightKind kind, int bits, uint32_t zero) {
  switch (kind) {
    case WeightKind::kBinary:
      return {2, 1};
    case WeightKind::kTernary:
      return {1, 1};
    case WeightKind::kSigned: {
      const int shift = (bits - 1) & 0xF;
      return {1, shift < 8 ? 1 << shift : 0};
    }
    case WeightKind::kUnsigned:
      return {1, static_cast<int>(zero & 0xFFu)};
  }
  return {1, 0};
}

/// Integer value of a weight code u (already reduced to its b bits). Every golden and hardware
/// path computes exactly this.
constexpr int weight_value(WeightKind kind, int bits, uint32_t u, uint32_t zero) {
  const WeightAffine a = weight_affine(kind, bits, zero);
  return a.scale * static_cast<int>(u) - a.offset;
}

/// The low `bits` bits of a code (all 8 for bits >= 8), as lb_weight_pkg::code_mask.
constexpr uint32_t weight_code_bits(int bits, uint32_t code) {
  const uint32_t mask = bits >= 8 ? 0xFFu : (1u << bits) - 1u;
  return code & mask;
}

}  // namespace lowbit
