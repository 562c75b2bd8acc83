// Cross-check: the lb_fp32_mul RTL (Verilated) against C++ float multiplication, bit for bit.
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "Vlb_fp32_mul.h"
#include "fp32_tb.h"
#include "verilated.h"

namespace lowbit::fp32tb {
namespace {

/// The Verilated multiplier as a function.
class RtlMul {
 public:
  RtlMul() = default;
  ~RtlMul() { m_dut.final(); }
  uint32_t operator()(uint32_t a, uint32_t b) {
    m_dut.a_i = a;
    m_dut.b_i = b;
    m_dut.eval();
    return m_dut.y_o;
  }

 private:
  Vlb_fp32_mul m_dut;
};

uint32_t ref_mul(uint32_t a, uint32_t b) { return bits(from_bits(a) * from_bits(b)); }

void check_mul(RtlMul& rtl, Checker& chk, uint32_t a, uint32_t b) {
  chk.check(rtl(a, b), ref_mul(a, b), "0x" + Checker::hex32(a) + " * 0x" + Checker::hex32(b));
}

/// A finite operand pair whose product's unbiased exponent is about `target` (-160 .. 130).
std::pair<uint32_t, uint32_t> pair_with_product_exp(OperandGen& gen, int target) {
  // ea + eb - 254 ~ target with both biased exponents in 1..254.
  const int sum = target + 254;
  const int lo = std::max(1, sum - 254);
  const int hi = std::min(254, sum - 1);
  const int ea = lo + static_cast<int>(gen.below(static_cast<uint32_t>(hi - lo + 1)));
  return {make(gen.below(2), static_cast<uint32_t>(ea), gen.u32()),
          make(gen.below(2), static_cast<uint32_t>(sum - ea), gen.u32())};
}

TEST(RtlFp32Mul, EdgeCasePairs) {
  RtlMul rtl;
  Checker chk("lb_fp32_mul");
  for (uint32_t x : kEdgeMagnitudes) {
    for (uint32_t y : kEdgeMagnitudes) {
      for (uint32_t signs = 0; signs < 4; ++signs) {
        check_mul(rtl, chk, x | ((signs & 1u) << 31), y | ((signs >> 1) << 31));
      }
    }
  }
  chk.finish();
}

TEST(RtlFp32Mul, SpecialRules) {
  RtlMul rtl;
  EXPECT_EQ(rtl(0x00000000u, 0x7F800000u), kCanonicalNan);  // 0 * inf
  EXPECT_EQ(rtl(0xFF800000u, 0x80000000u), kCanonicalNan);
  EXPECT_EQ(rtl(0x7FA00001u, 0x3F800000u), kCanonicalNan);  // signalling NaN in, canonical out
  EXPECT_EQ(rtl(0xFF800000u, 0x00000001u), 0xFF800000u);    // inf * min subnormal
  EXPECT_EQ(rtl(0x80000000u, 0x3F800000u), 0x80000000u);    // -0 * 1
  EXPECT_EQ(rtl(0x80000001u, 0x80000001u), 0x00000000u);    // 2^-298 rounds to +0
  EXPECT_EQ(rtl(0x7F7FFFFFu, 0x40000000u), 0x7F800000u);    // overflow to inf
  EXPECT_EQ(rtl(0x00000001u, 0x3F000000u), 0x00000000u);    // 2^-150: tie to even 0
  EXPECT_EQ(rtl(0x00000003u, 0x3F000000u), 0x00000002u);    // 1.5 * 2^-149: tie to even 2
  EXPECT_EQ(rtl(0x00000001u, 0x3F000001u), 0x00000001u);    // just above the tie
  EXPECT_EQ(rtl(0x007FFFFFu, 0x3F800001u), 0x00800000u);    // subnormal rounds up to min normal
  EXPECT_EQ(rtl(0x00800000u, 0x3F7FFFFFu), 0x00800000u);    // (1 - 2^-24) * 2^-126: tie up
}

// Exact halfway products: one factor has few significant bits, so about 1 in 2^t of the products
// drops exactly 100..0; kept when the double product (exact: 48 bits) is a binary32 tie. Product
// exponents sweep the whole range, so ties fall at every subnormal rounding position too, and
// all-ones significands make the round-up carry into the exponent.
TEST(RtlFp32Mul, TiesAtEveryRoundingPosition) {
  OperandGen gen(test::random_test_seed("fp32_mul"));
  RtlMul rtl;
  Checker chk("lb_fp32_mul");
  uint64_t ties = 0;
  uint64_t subnormal_ties = 0;
  std::set<int> subnormal_tie_binades;  // each binade below 2^-126 has its own rounding position
  for (int i = 0; i < 300000; ++i) {
    // A third of the products land in the subnormal range, where the rounding position moves.
    const int target = (i % 3 == 0) ? -152 + static_cast<int>(gen.below(27))
                                    : -152 + static_cast<int>(gen.below(282));
    auto [a, b] = pair_with_product_exp(gen, target);
    const uint32_t t = 1 + gen.below(6);  // b = 1.k with k of t bits
    const uint32_t k = gen.below(1u << t) | 1u;
    b = (b & 0xFF800000u) | (k << (23 - t));
    if (gen.below(8) == 0) a |= 0x7FFFFFu - (gen.below(16) << 1);            // near all ones
    if (i % 3 == 0 && gen.below(2) == 0) a &= 0xFFFFFFFFu << gen.below(23);  // short significand
    const double exact = static_cast<double>(from_bits(a)) * static_cast<double>(from_bits(b));
    if (is_binary32_tie(exact)) {
      ++ties;
      if (std::fabs(exact) < 0x1p-126) {
        ++subnormal_ties;
        subnormal_tie_binades.insert(std::ilogb(exact));
      }
    }
    check_mul(rtl, chk, a, b);
  }
  // The lowest binade holds a single tie, 2^-150 (half the smallest subnormal): 2^-j * 2^(j-150).
  for (int j = 1; j <= 23; ++j) {
    const uint32_t a = bits(std::ldexp(1.0f, -j));
    const uint32_t b = bits(std::ldexp(1.0f, j - 150));
    if (is_binary32_tie(static_cast<double>(from_bits(a)) * from_bits(b))) {
      ++ties;
      ++subnormal_ties;
      subnormal_tie_binades.insert(-150);
    }
    check_mul(rtl, chk, a, b);
    check_mul(rtl, chk, b | 0x80000000u, a);
  }
  // Just above the smallest tie, with the deciding bits at the very bottom: (2^23 + x) *
  // (2^24 - 2x + 1) = 2^47 + r with 0 < r < 2^22 for x in [1449, 2047], scaled to 2^-150 * (1 + r *
  // 2^-47) by normal exponents. Only bits that the denormalizing right shift pushes out tell this
  // from the tie 2^-150 (which rounds to 0): the result must be the smallest subnormal.
  for (int i = 0; i < 2000; ++i) {
    const uint32_t x = 1449 + gen.below(599);
    const uint32_t ea = 1 + gen.below(102);
    const uint32_t a = make(gen.below(2), ea, x);
    const uint32_t b = make(gen.below(2), 103 - ea, 0x7FFFFFu & ((1u << 24) - (2 * x - 1)));
    check_mul(rtl, chk, a, b);
    ASSERT_EQ(rtl(a, b) & 0x7FFFFFFFu, 1u) << Checker::hex32(a) << " * " << Checker::hex32(b);
  }
  chk.finish();
  std::printf("exact ties exercised: %llu (%llu in the subnormal range)\n",
              static_cast<unsigned long long>(ties),
              static_cast<unsigned long long>(subnormal_ties));
  EXPECT_GT(ties, 10000u);
  EXPECT_GT(subnormal_ties, 1000u);
  for (int e = -150; e <= -127; ++e) {
    EXPECT_EQ(subnormal_tie_binades.count(e), 1u) << "no tie exercised in binade 2^" << e;
  }
}

// >= 10^6 random vectors from a mix of distributions (seeded; LOWBIT_SEED replays).
TEST(RtlFp32Mul, RandomMix) {
  OperandGen gen(test::random_test_seed("fp32_mul"));
  RtlMul rtl;
  Checker chk("lb_fp32_mul");
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
      case 2:  // products in the normal range
        std::tie(a, b) = pair_with_product_exp(gen, -120 + static_cast<int>(gen.below(240)));
        break;
      case 3:  // products around the underflow boundary and the subnormal range
        std::tie(a, b) = pair_with_product_exp(gen, -155 + static_cast<int>(gen.below(35)));
        break;
      case 4:  // products around the overflow boundary
        std::tie(a, b) = pair_with_product_exp(gen, 124 + static_cast<int>(gen.below(6)));
        break;
      case 5:  // a subnormal factor times a large one: normalizes back into the normal range
        a = gen.subnormal_heavy();
        b = make(gen.below(2), 150 + gen.below(105), gen.u32());
        break;
      case 6:
        a = gen.subnormal_heavy();
        b = gen.below(2) ? gen.subnormal_heavy() : gen.finite();
        break;
      default:
        a = gen.edge();
        b = gen.below(2) ? gen.finite() : gen.edge();
        break;
    }
    check_mul(rtl, chk, a, b);
  }
  chk.finish();
  EXPECT_EQ(chk.count(), static_cast<uint64_t>(kVectors));
}

}  // namespace
}  // namespace lowbit::fp32tb
