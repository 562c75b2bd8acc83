// Cross-check of the pipelined FP32 units (lb_fp32_add_pipe, lb_fp32_mul_pipe,
// lb_int_to_fp32_pipe) at every depth: a new operand pair enters on every clock edge and each
// result, Stages edges later, is compared bit for bit with C++ float on the operands that entered
// then. Streaming (not holding the inputs) is what catches a cut that mixes neighbouring operands;
// bubbles (edges whose operands are not valid) check that the valid-gated cuts keep every valid
// element intact and report its validity on v_o.
#include <cstdint>
#include <deque>
#include <string>
#include <utility>

#include "Vlb_fp32_add_pipe_s1.h"
#include "Vlb_fp32_add_pipe_s2.h"
#include "Vlb_fp32_add_pipe_s3.h"
#include "Vlb_fp32_add_pipe_s4.h"
#include "Vlb_fp32_add_pipe_s5.h"
#include "Vlb_fp32_add_pipe_s6.h"
#include "Vlb_fp32_mul_pipe_s1.h"
#include "Vlb_fp32_mul_pipe_s2.h"
#include "Vlb_fp32_mul_pipe_s3.h"
#include "Vlb_fp32_mul_pipe_s4.h"
#include "Vlb_fp32_mul_pipe_s5.h"
#include "Vlb_fp32_mul_pipe_s6.h"
#include "Vlb_fp32_mul_pipe_s7.h"
#include "Vlb_int_to_fp32_pipe_s1.h"
#include "Vlb_int_to_fp32_pipe_s2.h"
#include "Vlb_int_to_fp32_pipe_s3.h"
#include "Vlb_int_to_fp32_pipe_s4.h"
#include "fp32_tb.h"
#include "verilated.h"

namespace lowbit::fp32tb {
namespace {

constexpr int kVectors = 300000;

/// Streams operands through a pipelined model, one set per clock edge, with bubbles: an edge's
/// operands are valid (v_i) with probability 3/4, and the invalid ones are random operands too.
/// drive(dut, gen, t) sets the inputs of edge t and returns the C++ result; Stages edges later v_o
/// must say whether they were valid, and y_o must be the result when they were (the valid-gated
/// cuts hold their data through the bubbles, lb_vpipe).
template <class Model, class Drive>
void stream(const std::string& unit, int stages, Drive drive) {
  OperandGen gen(test::random_test_seed(unit));
  Model dut;
  Checker chk(unit);
  std::deque<std::pair<bool, uint32_t>> expected;
  dut.clk_i = 0;
  dut.v_i = 0;
  dut.eval();
  int valid = 0;
  int last = -1;  // the edge of the last valid operands: the run ends when they come out
  uint64_t bad_valid = 0;
  for (int t = 0; last < 0 || t < last + stages; ++t) {
    const bool v = valid < kVectors && gen.below(4) != 0;
    if (v && ++valid == kVectors) last = t;
    dut.v_i = v ? 1 : 0;
    expected.emplace_back(v, drive(dut, gen, t));
    dut.clk_i = 1;
    dut.eval();  // edge t: the operands of edge t - stages + 1 are now at the output
    dut.clk_i = 0;
    dut.eval();
    if (t >= stages - 1) {
      const auto [was_valid, want] = expected.front();
      expected.pop_front();
      if ((dut.v_o != 0) != was_valid) ++bad_valid;
      if (was_valid) chk.check(dut.y_o, want, "vector at edge " + std::to_string(t - (stages - 1)));
    }
  }
  dut.final();
  chk.finish();
  EXPECT_EQ(bad_valid, 0u) << unit << ": v_o differs from v_i delayed by " << stages;
  EXPECT_EQ(chk.count(), static_cast<uint64_t>(kVectors));
}

/// (a, b) pairs from a mix of distributions through a two-operand model; ref(a, b) is C++.
template <class Model, class Ref>
void stream_binary(const std::string& unit, int stages, Ref ref) {
  stream<Model>(unit, stages, [&](Model& dut, OperandGen& gen, int t) {
    uint32_t a = 0;
    uint32_t b = 0;
    switch (t % 4) {
      case 0:
        a = gen.random_bits();
        b = gen.random_bits();
        break;
      case 1:
        a = gen.finite();
        b = gen.near(a, 3);
        break;
      case 2:
        a = gen.subnormal_heavy();
        b = gen.below(2) ? gen.subnormal_heavy() : gen.finite();
        break;
      default:
        a = gen.edge();
        b = gen.below(2) ? gen.finite() : gen.edge();
        break;
    }
    dut.a_i = a;
    dut.b_i = b;
    return ref(a, b);
  });
}

uint32_t ref_add(uint32_t a, uint32_t b) { return bits(from_bits(a) + from_bits(b)); }
uint32_t ref_mul(uint32_t a, uint32_t b) { return bits(from_bits(a) * from_bits(b)); }

TEST(RtlFp32Pipe, AddEveryDepth) {
  stream_binary<Vlb_fp32_add_pipe_s1>("lb_fp32_add_pipe<1>", 1, ref_add);
  stream_binary<Vlb_fp32_add_pipe_s2>("lb_fp32_add_pipe<2>", 2, ref_add);
  stream_binary<Vlb_fp32_add_pipe_s3>("lb_fp32_add_pipe<3>", 3, ref_add);
  stream_binary<Vlb_fp32_add_pipe_s4>("lb_fp32_add_pipe<4>", 4, ref_add);
  stream_binary<Vlb_fp32_add_pipe_s5>("lb_fp32_add_pipe<5>", 5, ref_add);
  stream_binary<Vlb_fp32_add_pipe_s6>("lb_fp32_add_pipe<6>", 6, ref_add);
}

TEST(RtlFp32Pipe, MulEveryDepth) {
  stream_binary<Vlb_fp32_mul_pipe_s1>("lb_fp32_mul_pipe<1>", 1, ref_mul);
  stream_binary<Vlb_fp32_mul_pipe_s2>("lb_fp32_mul_pipe<2>", 2, ref_mul);
  stream_binary<Vlb_fp32_mul_pipe_s3>("lb_fp32_mul_pipe<3>", 3, ref_mul);
  stream_binary<Vlb_fp32_mul_pipe_s4>("lb_fp32_mul_pipe<4>", 4, ref_mul);
  stream_binary<Vlb_fp32_mul_pipe_s5>("lb_fp32_mul_pipe<5>", 5, ref_mul);
  stream_binary<Vlb_fp32_mul_pipe_s6>("lb_fp32_mul_pipe<6>", 6, ref_mul);
  stream_binary<Vlb_fp32_mul_pipe_s7>("lb_fp32_mul_pipe<7>", 7, ref_mul);
}

/// int64 -> binary32 at Width 64: the magnitude, round and tie cases come from random integers
/// of every length.
template <class Model>
void stream_int_to_fp32(const std::string& unit, int stages) {
  stream<Model>(unit, stages, [](Model& dut, OperandGen& gen, int t) {
    const int len = 1 + static_cast<int>(gen.below(64));
    int64_t v = static_cast<int64_t>(gen.u64() >> (64 - len));
    if (gen.below(2) != 0) v = -v;
    if (t % 97 == 0) v = static_cast<int64_t>(uint64_t{1} << 63);  // INT64_MIN
    dut.a_i = static_cast<uint64_t>(v);
    return bits(static_cast<float>(v));
  });
}

TEST(RtlFp32Pipe, IntToFp32EveryDepth) {
  stream_int_to_fp32<Vlb_int_to_fp32_pipe_s1>("lb_int_to_fp32_pipe<64,1>", 1);
  stream_int_to_fp32<Vlb_int_to_fp32_pipe_s2>("lb_int_to_fp32_pipe<64,2>", 2);
  stream_int_to_fp32<Vlb_int_to_fp32_pipe_s3>("lb_int_to_fp32_pipe<64,3>", 3);
  stream_int_to_fp32<Vlb_int_to_fp32_pipe_s4>("lb_int_to_fp32_pipe<64,4>", 4);
}

}  // namespace
}  // namespace lowbit::fp32tb
