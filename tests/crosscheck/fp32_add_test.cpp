// Cross-check: the lb_fp32_add RTL (Verilated) against C++ float addition, bit for bit.
#include <cstdint>
#include <string>

#include "Vlb_fp32_add.h"
#include "fp32_tb.h"
#include "verilated.h"

namespace lowbit::fp32tb {
namespace {

/// The Verilated adder as a function.
class RtlAdd {
 public:
  RtlAdd() = default;
  ~RtlAdd() { m_dut.final(); }
  uint32_t operator()(uint32_t a, uint32_t b) {
    m_dut.a_i = a;
    m_dut.b_i = b;
    m_dut.eval();
    return m_dut.y_o;
  }

 private:
  Vlb_fp32_add m_dut;
};

uint32_t ref_add(uint32_t a, uint32_t b) { return bits(from_bits(a) + from_bits(b)); }

std::string ops(uint32_t a, uint32_t b) {
  return "0x" + Checker::hex32(a) + " + 0x" + Checker::hex32(b);
}

void check_add(RtlAdd& rtl, Checker& chk, uint32_t a, uint32_t b) {
  chk.check(rtl(a, b), ref_add(a, b), ops(a, b));
}

TEST(RtlFp32Add, EdgeCasePairs) {
  RtlAdd rtl;
  Checker chk("lb_fp32_add");
  for (uint32_t x : kEdgeMagnitudes) {
    for (uint32_t y : kEdgeMagnitudes) {
      for (uint32_t signs = 0; signs < 4; ++signs) {
        check_add(rtl, chk, x | ((signs & 1u) << 31), y | ((signs >> 1) << 31));
      }
    }
  }
  chk.finish();
}

// IEEE zeros under round to nearest: x + (-x) = +0 for every finite x, -0 + -0 = -0,
// and inf arithmetic: inf - inf is the canonical NaN, inf + finite = inf.
TEST(RtlFp32Add, SignedZerosAndInfinities) {
  OperandGen gen(test::random_test_seed("fp32_add"));
  RtlAdd rtl;
  EXPECT_EQ(rtl(0x80000000u, 0x80000000u), 0x80000000u);
  EXPECT_EQ(rtl(0x00000000u, 0x80000000u), 0x00000000u);
  EXPECT_EQ(rtl(0x80000000u, 0x00000000u), 0x00000000u);
  EXPECT_EQ(rtl(0x7F800000u, 0xFF800000u), kCanonicalNan);
  EXPECT_EQ(rtl(0xFF800000u, 0x7F800000u), kCanonicalNan);
  EXPECT_EQ(rtl(0xFF800000u, 0xFF800000u), 0xFF800000u);
  EXPECT_EQ(rtl(0x7F7FFFFFu, 0x7F7FFFFFu), 0x7F800000u);  // overflow to +inf
  EXPECT_EQ(rtl(0xFF7FFFFFu, 0xF3000000u), 0xFF800000u);  // -max - half ulp: tie -> -inf
  EXPECT_EQ(rtl(0x7F7FFFFFu, 0x72FFFFFFu), 0x7F7FFFFFu);  // just below the tie: stays finite
  for (int i = 0; i < 100000; ++i) {
    const uint32_t x = gen.finite();
    ASSERT_EQ(rtl(x, x ^ 0x80000000u), 0u) << Checker::hex32(x);
    ASSERT_EQ(rtl(0x7F800000u | (x & 0x80000000u), x), 0x7F800000u | (x & 0x80000000u));
  }
}

// Exact halfway cases at every alignment distance (0..26, i.e. every bit position of the smaller
// operand that can become the rounding position), over the whole exponent range, plus the carries
// into the exponent they cause. (A sum in the subnormal range is always exact: both operands are
// multiples of 2^-149, so ties there cannot exist; those sums are covered by the random tests.)
TEST(RtlFp32Add, TiesAtEveryRoundingPosition) {
  OperandGen gen(test::random_test_seed("fp32_add"));
  RtlAdd rtl;
  Checker chk("lb_fp32_add");
  uint64_t ties = 0;
  for (int round = 0; round < 600; ++round) {
    for (uint32_t d = 0; d <= 26; ++d) {
      const uint32_t a_exp = d + gen.below(255 - d);
      const uint32_t b_exp = a_exp - d;
      uint32_t a_frac = gen.u32();
      uint32_t b_frac = gen.u32() & 0x7FFFFFu;
      if (d >= 1 && d <= 23) {
        // The d bits of b that fall below a's LSB form exactly one half ulp (100..0), or one unit
        // above or below it (100..01, 011..1), which only the sticky bit tells apart from a tie.
        uint32_t tail = 1u << (d - 1);
        if (d >= 2 && round % 3 == 1) tail |= 1u;
        if (d >= 2 && round % 3 == 2) tail -= 1u;
        b_frac = (b_frac & ~((1u << d) - 1u)) | tail;
      }
      if (gen.below(4) == 0) a_frac = 0x7FFFFFu;  // all ones: rounding up carries into the exponent
      const uint32_t a = make(gen.below(2), a_exp, a_frac);
      const uint32_t b = make(gen.below(2), b_exp, b_frac);
      const double exact = static_cast<double>(from_bits(a)) + static_cast<double>(from_bits(b));
      if (is_binary32_tie(exact)) ++ties;  // exact in double: the operands differ by <= 2^26
      check_add(rtl, chk, a, b);
      check_add(rtl, chk, b, a);
    }
  }
  // Carry of a tie into the exponent, and at the top into infinity.
  for (uint32_t e = 25; e <= 254; ++e) {
    const uint32_t a = make(0, e, 0x7FFFFFu);
    const uint32_t half_ulp = make(0, e - 24, 0);
    if (is_binary32_tie(static_cast<double>(from_bits(a)) + from_bits(half_ulp))) ++ties;
    check_add(rtl, chk, a, half_ulp);
    check_add(rtl, chk, a | 0x80000000u, half_ulp | 0x80000000u);
  }
  chk.finish();
  std::printf("exact ties exercised: %llu\n", static_cast<unsigned long long>(ties));
  EXPECT_GT(ties, 2000u);  // the generator really hits the ties-to-even rule
}

// x - y with x and y within a few ulps or a few binades of each other: massive cancellation,
// renormalization by many positions, results in the subnormal range.
TEST(RtlFp32Add, CatastrophicCancellation) {
  OperandGen gen(test::random_test_seed("fp32_add"));
  RtlAdd rtl;
  Checker chk("lb_fp32_add");
  for (int i = 0; i < 200000; ++i) {
    const uint32_t a = gen.below(3) == 0 ? gen.subnormal_heavy() : gen.finite();
    uint32_t b = 0;
    switch (gen.below(3)) {
      case 0:  // a few ulps away
        b = (a & 0x7FFFFFFFu) + gen.below(9) - 4u;
        break;
      case 1:  // same or neighbouring binade, close fraction
        b = gen.near(a, 1) & 0x7FFFFFFFu;
        break;
      default:  // shares a long prefix with a
        b = (a ^ (gen.u32() >> (8 + gen.below(24)))) & 0x7FFFFFFFu;
        break;
    }
    if ((b & 0x7F800000u) == 0x7F800000u) b &= 0x7F7FFFFFu;  // stay finite
    b |= (~a) & 0x80000000u;                                 // opposite signs: a subtraction
    check_add(rtl, chk, a, b);
  }
  chk.finish();
}

// >= 10^6 random vectors from a mix of distributions (seeded; LOWBIT_SEED replays).
TEST(RtlFp32Add, RandomMix) {
  OperandGen gen(test::random_test_seed("fp32_add"));
  RtlAdd rtl;
  Checker chk("lb_fp32_add");
  constexpr int kVectors = 1200000;
  for (int i = 0; i < kVectors; ++i) {
    uint32_t a = 0;
    uint32_t b = 0;
    switch (i % 8) {
      case 0:
      case 1:
        a = gen.random_bits();
        b = gen.random_bits();
        break;
      case 2:
        a = gen.finite();
        b = gen.finite();
        break;
      case 3:
      case 4:
        a = gen.finite();
        b = gen.near(a, 3);
        break;
      case 5:
        a = gen.subnormal_heavy();
        b = gen.subnormal_heavy();
        break;
      case 6:
        a = gen.subnormal_heavy();
        b = gen.near(a, 30);
        break;
      default:
        a = gen.edge();
        b = gen.below(2) ? gen.finite() : gen.edge();
        break;
    }
    check_add(rtl, chk, a, b);
  }
  chk.finish();
  EXPECT_EQ(chk.count(), static_cast<uint64_t>(kVectors));
}

}  // namespace
}  // namespace lowbit::fp32tb
