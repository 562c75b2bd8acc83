// Weight kinds: the hardware encoding (field values, names) and the one code -> value function,
// checked against each kind's definition (docs: FORMATS.md) and against the RTL's out-of-contract
// behaviour that the cycle models mirror.
#include <gtest/gtest.h>

#include <cstdint>

#include "model/formats/weight_kind.h"
#include "model/isa/assembler.h"

namespace lowbit {
namespace {

TEST(WeightKind, FieldEncodingIsTheIsaAndRtlNumbering) {
  EXPECT_EQ(weight_kind_field(WeightKind::kBinary), 0u);
  EXPECT_EQ(weight_kind_field(WeightKind::kTernary), 1u);
  EXPECT_EQ(weight_kind_field(WeightKind::kSigned), 2u);
  EXPECT_EQ(weight_kind_field(WeightKind::kUnsigned), 3u);
  for (uint64_t f = 0; f < 16; ++f) {
    // The hardware reads only the low kWeightKindBits bits of a wider field.
    EXPECT_EQ(weight_kind_field(weight_kind_from_field(f)), f & 3u) << f;
  }
  ASSERT_EQ(weight_kind_names().size(), 4u);
  EXPECT_EQ(weight_kind_name(WeightKind::kSigned), "signed");
  EXPECT_EQ(weight_kind_name(WeightKind::kUnsigned), "unsigned");
}

TEST(WeightKind, IsaCfgFieldUsesTheKindNames) {
  isa::Instruction cfg;
  cfg.op = isa::Opcode::kCfg;
  cfg.wkind = weight_kind_field(WeightKind::kTernary);
  cfg.wbits = 2;
  cfg.afmt = 0;
  cfg.group = 32;
  EXPECT_NE(isa::format_instruction(cfg).find("ternary"), std::string::npos)
      << isa::format_instruction(cfg);
}

TEST(WeightKind, ValueOfEveryCodeFollowsTheKindsDefinition) {
  EXPECT_EQ(weight_value(WeightKind::kBinary, 1, 0, 0), -1);
  EXPECT_EQ(weight_value(WeightKind::kBinary, 1, 1, 77), 1);  // zero point unused
  for (uint32_t u = 0; u < 3; ++u) {
    EXPECT_EQ(weight_value(WeightKind::kTernary, 2, u, 9), static_cast<int>(u) - 1);
  }
  for (int b = 2; b <= 8; ++b) {
    for (uint32_t u = 0; u < (1u << b); ++u) {
      EXPECT_EQ(weight_value(WeightKind::kSigned, b, u, 200), static_cast<int>(u) - (1 << (b - 1)));
      for (uint32_t z : {0u, 1u, 7u, (1u << b) - 1u}) {
        EXPECT_EQ(weight_value(WeightKind::kUnsigned, b, u, z),
                  static_cast<int>(u) - static_cast<int>(z));
      }
    }
  }
}

TEST(WeightKind, AffineMapMatchesTheRtlOutsideTheContract) {
  // lb_weight_pkg::weight_offset: 8'd1 << (bits - 4'd1), a 4-bit shift of an 8-bit one.
  EXPECT_EQ(weight_affine(WeightKind::kSigned, 0, 0).offset, 0);  // shift 15
  EXPECT_EQ(weight_affine(WeightKind::kSigned, 9, 0).offset, 0);  // shift 8
  EXPECT_EQ(weight_affine(WeightKind::kSigned, 8, 0).offset, 128);
  EXPECT_EQ(weight_affine(WeightKind::kUnsigned, 4, 0x1F3).offset, 0xF3);  // 8-bit zero point
  EXPECT_EQ(weight_affine(WeightKind::kBinary, 1, 5).scale, 2);
  EXPECT_EQ(weight_code_bits(3, 0xFF), 7u);
  EXPECT_EQ(weight_code_bits(8, 0x1FF), 0xFFu);
  EXPECT_EQ(weight_code_bits(12, 0xAB), 0xABu);
}

}  // namespace
}  // namespace lowbit
