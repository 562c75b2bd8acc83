// Cross-check: lb_int_to_fp32 (Verilated at Width 64, 32, 16 and 9) against static_cast<float>.
#include <cstdint>
#include <limits>
#include <string>

#include "Vlb_int_to_fp32.h"
#include "Vlb_int_to_fp32_w16.h"
#include "Vlb_int_to_fp32_w32.h"
#include "Vlb_int_to_fp32_w9.h"
#include "fp32_tb.h"
#include "verilated.h"

namespace lowbit::fp32tb {
namespace {

/// One Verilated converter instance (the model class differs per Width) as a function of int64.
template <class Model, int kWidth>
class RtlIntToFp32 {
 public:
  RtlIntToFp32() = default;
  ~RtlIntToFp32() { m_dut.final(); }
  uint32_t operator()(int64_t v) {
    if constexpr (kWidth == 64) {
      m_dut.a_i = static_cast<uint64_t>(v);
    } else {
      m_dut.a_i = static_cast<uint32_t>(static_cast<uint64_t>(v) & ((1ull << kWidth) - 1));
    }
    m_dut.eval();
    return m_dut.y_o;
  }

 private:
  Model m_dut;
};

std::string op(int64_t v) { return std::to_string(v); }

/// Directed: zero, extremes, and every integer length 25..64 with tie / just-below / just-above
/// patterns below the 24 kept bits, for both LSB parities, both signs, and all-ones heads whose
/// round-up carries into the next power of two.
TEST(RtlIntToFp32, DirectedTiesAndExtremes) {
  OperandGen gen(test::random_test_seed("fp32_int_to_fp32"));
  RtlIntToFp32<Vlb_int_to_fp32, 64> rtl;
  Checker chk("lb_int_to_fp32<64>");
  auto check = [&](int64_t v) { chk.check(rtl(v), bits(static_cast<float>(v)), op(v)); };
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{2}, int64_t{16777215},
                    int64_t{16777216}, int64_t{16777217}, int64_t{16777218}, int64_t{16777219},
                    std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::min() + 1}) {
    check(v);
  }
  for (int len = 25; len <= 63; ++len) {  // bit length of the magnitude
    const int drop = len - 24;            // bits below the rounding position
    for (int rep = 0; rep < 64; ++rep) {
      uint64_t head = (1ull << 23) | (gen.u64() & 0x7FFFFFull);
      if (rep % 8 == 0) head = 0xFFFFFFull;  // carry out of the significand
      const uint64_t half = 1ull << (drop - 1);
      for (uint64_t tail : {half, half - 1, half + 1, uint64_t{0}, (half << 1) - 1}) {
        const auto mag = static_cast<int64_t>((head << drop) | tail);
        check(mag);
        check(-mag);
      }
    }
  }
  chk.finish();
  EXPECT_EQ(rtl(std::numeric_limits<int64_t>::min()), 0xDF000000u);  // -2^63 exactly
}

// >= 10^6 random 64-bit integers: uniform bits, uniform bit length, and tie-patterned tails.
TEST(RtlIntToFp32, RandomWidth64) {
  OperandGen gen(test::random_test_seed("fp32_int_to_fp32"));
  RtlIntToFp32<Vlb_int_to_fp32, 64> rtl;
  Checker chk("lb_int_to_fp32<64>");
  constexpr int kVectors = 1200000;
  for (int i = 0; i < kVectors; ++i) {
    uint64_t u = gen.u64();
    switch (i % 3) {
      case 0:
        break;
      case 1:
        u >>= gen.below(64);
        if (gen.below(2) != 0) u = ~u + 1;  // negative of a short magnitude
        break;
      default: {
        const uint32_t drop = 1 + gen.below(40);
        u = ((u >> drop) << drop) | (1ull << (drop - 1));  // a tie (when the length allows)
        u >>= gen.below(24);
        break;
      }
    }
    const auto v = static_cast<int64_t>(u);
    chk.check(rtl(v), bits(static_cast<float>(v)), op(v));
  }
  chk.finish();
}

// Width 32 (mixpe/mac group sums): random, with the same mix.
TEST(RtlIntToFp32, RandomWidth32) {
  OperandGen gen(test::random_test_seed("fp32_int_to_fp32"));
  RtlIntToFp32<Vlb_int_to_fp32_w32, 32> rtl;
  Checker chk("lb_int_to_fp32<32>");
  for (int i = 0; i < 1000000; ++i) {
    uint32_t u = gen.u32();
    if (i % 2 != 0) u >>= gen.below(32);
    const auto v = static_cast<int32_t>(u);
    chk.check(rtl(v), bits(static_cast<float>(v)), op(v));
  }
  for (int64_t v : {int64_t{INT32_MIN}, int64_t{INT32_MAX}, int64_t{0}, int64_t{-1}}) {
    chk.check(rtl(v), bits(static_cast<float>(v)), op(v));
  }
  chk.finish();
}

// Narrow widths take the rounder's padded branch: exhaustive.
TEST(RtlIntToFp32, ExhaustiveWidth16And9) {
  RtlIntToFp32<Vlb_int_to_fp32_w16, 16> rtl16;
  RtlIntToFp32<Vlb_int_to_fp32_w9, 9> rtl9;
  Checker chk16("lb_int_to_fp32<16>");
  Checker chk9("lb_int_to_fp32<9>");
  for (int64_t v = -32768; v <= 32767; ++v) {
    chk16.check(rtl16(v), bits(static_cast<float>(v)), op(v));
  }
  for (int64_t v = -256; v <= 255; ++v) {
    chk9.check(rtl9(v), bits(static_cast<float>(v)), op(v));
  }
  chk16.finish();
  chk9.finish();
  EXPECT_EQ(chk16.count(), 65536u);
  EXPECT_EQ(chk9.count(), 512u);
}

}  // namespace
}  // namespace lowbit::fp32tb
