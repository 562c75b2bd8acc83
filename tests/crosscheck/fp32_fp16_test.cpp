// Cross-check: lb_fp16_to_fp32 (exhaustive) and lb_fp16_mul_fp32 against the golden FP16 decode.
#include <cstdint>
#include <string>
#include <vector>

#include "Vlb_fp16_mul_fp32.h"
#include "Vlb_fp16_to_fp32.h"
#include "fp32_tb.h"
#include "model/formats/fp16.h"
#include "verilated.h"

namespace lowbit::fp32tb {
namespace {

class RtlFp16ToFp32 {
 public:
  RtlFp16ToFp32() = default;
  ~RtlFp16ToFp32() { m_dut.final(); }
  uint32_t operator()(uint16_t a) {
    m_dut.a_i = a;
    m_dut.eval();
    return m_dut.y_o;
  }

 private:
  Vlb_fp16_to_fp32 m_dut;
};

class RtlFp16Mul {
 public:
  RtlFp16Mul() = default;
  ~RtlFp16Mul() { m_dut.final(); }
  uint32_t operator()(uint16_t a, uint16_t b) {
    m_dut.a_i = a;
    m_dut.b_i = b;
    m_dut.eval();
    return m_dut.y_o;
  }

 private:
  Vlb_fp16_mul_fp32 m_dut;
};

std::string hex16(uint16_t v) { return Checker::hex32(v).substr(4); }

/// The product of two FP16 values in binary32 is exact, so float multiplication is the reference.
uint32_t ref_mul(uint16_t a, uint16_t b) { return bits(fp16_to_float(a) * fp16_to_float(b)); }

/// FP16 values crossed with every FP16 input: zeros, subnormal extremes, min normal, one, max
/// finite, infinities and NaNs, plus random codes.
std::vector<uint16_t> fp16_partners(OperandGen& gen, int random_count) {
  std::vector<uint16_t> v = {0x0000, 0x0001, 0x0002, 0x0155, 0x03FF, 0x0400, 0x0401,
                             0x07FF, 0x3BFF, 0x3C00, 0x3C01, 0x3E00, 0x4000, 0x7BFE,
                             0x7BFF, 0x7C00, 0x7C01, 0x7E00, 0x7FFF};
  const size_t n = v.size();
  for (size_t i = 0; i < n; ++i) v.push_back(static_cast<uint16_t>(v[i] | 0x8000));
  for (int i = 0; i < random_count; ++i) v.push_back(static_cast<uint16_t>(gen.u32()));
  return v;
}

TEST(RtlFp16ToFp32, Exhaustive) {
  RtlFp16ToFp32 rtl;
  Checker chk("lb_fp16_to_fp32");
  for (uint32_t a = 0; a <= 0xFFFF; ++a) {
    const auto h = static_cast<uint16_t>(a);
    chk.check(rtl(h), bits(fp16_to_float(h)), "0x" + hex16(h));
  }
  chk.finish();
  EXPECT_EQ(chk.count(), 65536u);
  EXPECT_EQ(rtl(0x0001), 0x33800000u);  // 2^-24: a binary32 normal
  EXPECT_EQ(rtl(0x7E01), kCanonicalNan);
  EXPECT_EQ(rtl(0xFC00), 0xFF800000u);
}

// Every FP16 input against a set of partners (a structured 2^16 x 83 slice of all pairs). With
// LOWBIT_EXHAUSTIVE=1 the partners are all 2^15 magnitudes with random signs instead: every
// magnitude pair, 2^31 products (11 minutes here, so not part of the CI run).
TEST(RtlFp16MulFp32, AllInputsTimesPartners) {
  OperandGen gen(test::random_test_seed("fp32_fp16"));
  RtlFp16Mul rtl;
  Checker chk("lb_fp16_mul_fp32");
  std::vector<uint16_t> partners = fp16_partners(gen, 45);
  if (const char* env = std::getenv("LOWBIT_EXHAUSTIVE"); env != nullptr && env[0] == '1') {
    partners.clear();
    for (uint32_t m = 0; m < 0x8000; ++m) {
      partners.push_back(static_cast<uint16_t>(m | (gen.below(2) << 15)));
    }
  }
  for (uint32_t a = 0; a <= 0xFFFF; ++a) {
    for (uint16_t b : partners) {
      const auto h = static_cast<uint16_t>(a);
      chk.check(rtl(h, b), ref_mul(h, b), "0x" + hex16(h) + " * 0x" + hex16(b));
    }
  }
  chk.finish();
}

// All pairs of positive subnormals (the smallest products), then a few sign combinations: the
// result is never a binary32 subnormal (2^-48 has biased exponent 79), and it is exact.
TEST(RtlFp16MulFp32, ExhaustiveSubnormalPairs) {
  RtlFp16Mul rtl;
  Checker chk("lb_fp16_mul_fp32");
  uint32_t min_exp = 255;
  for (uint16_t a = 1; a <= 0x03FF; ++a) {
    for (uint16_t b = 1; b <= 0x03FF; ++b) {
      const uint16_t sa = static_cast<uint16_t>(a | ((a & 1u) << 15));
      const uint16_t sb = static_cast<uint16_t>(b | ((b & 2u) << 14));
      const uint32_t y = rtl(sa, sb);
      chk.check(y, ref_mul(sa, sb), "0x" + hex16(sa) + " * 0x" + hex16(sb));
      min_exp = std::min(min_exp, (y >> 23) & 0xFFu);
    }
  }
  chk.finish();
  EXPECT_EQ(min_exp, 79u);                      // the smallest product is the normal 2^-48
  EXPECT_EQ(rtl(0x0001, 0x0001), 0x27800000u);  // 2^-48
  EXPECT_EQ(rtl(0x7BFF, 0xFBFF), 0xCF7FC004u);  // -65504^2 = -4290774016, exact
}

TEST(RtlFp16MulFp32, SpecialRules) {
  RtlFp16Mul rtl;
  EXPECT_EQ(rtl(0x7C00, 0x0000), kCanonicalNan);  // inf * 0
  EXPECT_EQ(rtl(0x8000, 0xFC00), kCanonicalNan);
  EXPECT_EQ(rtl(0x7C01, 0x3C00), kCanonicalNan);  // NaN in, canonical NaN out
  EXPECT_EQ(rtl(0x7C00, 0x8001), 0xFF800000u);    // inf * -min subnormal
  EXPECT_EQ(rtl(0x8000, 0x3C00), 0x80000000u);    // -0 * 1
  EXPECT_EQ(rtl(0x8000, 0x8000), 0x00000000u);    // -0 * -0
}

// >= 10^6 random pairs (uniform codes, and subnormal/normal mixes).
TEST(RtlFp16MulFp32, RandomPairs) {
  OperandGen gen(test::random_test_seed("fp32_fp16"));
  RtlFp16Mul rtl;
  Checker chk("lb_fp16_mul_fp32");
  for (int i = 0; i < 1200000; ++i) {
    auto a = static_cast<uint16_t>(gen.u32());
    auto b = static_cast<uint16_t>(gen.u32());
    if (i % 4 == 1) a &= 0x83FF;  // subnormal (or zero)
    if (i % 4 == 2) b &= 0x87FF;  // subnormal or smallest normals
    chk.check(rtl(a, b), ref_mul(a, b), "0x" + hex16(a) + " * 0x" + hex16(b));
  }
  chk.finish();
}

}  // namespace
}  // namespace lowbit::fp32tb
