// The vector unit's energy and area (model/cost/vector_cost.h): every lane operation is priced as
// its FP32 multiplies and adds plus its buffer bytes, the KV bytes pass the buffer twice, leakage
// and area are lanes x (adder + multiplier), and without the primitives it is not characterized.
#include <gtest/gtest.h>

#include <string>

#include "model/cost/characterization.h"
#include "model/cost/sram_model.h"
#include "model/cost/vector_cost.h"

namespace lowbit {
namespace {

Characterization with_primitives() {
  Characterization ch;
  ch.path = "test.json";
  ch.node = "testnode";
  ch.primitives["fadd32"] = {"FP32 add", 1.0, 0.25, 0.5, 100.0};
  ch.primitives["fmul32"] = {"FP32 multiply", 4.0, 0.5, 0.5, 300.0};
  CharUnit add, mul;
  add.name = "lb_fp32_add";
  add.leakage_w = 1e-6;
  mul.name = "lb_fp32_mul";
  mul.leakage_w = 3e-6;
  ch.units = {add, mul};
  return ch;
}

BufferParams out_buffer() { return BufferParams{64, 64, 2}; }

TEST(CostVector, LaneOperationsArePricedByTheirFp32MixAndBufferBytes) {
  VectorParams p;
  p.lanes = 4;
  const auto c = vector_unit_cost(with_primitives(), p, out_buffer());
  ASSERT_TRUE(c.has_value());
  EXPECT_DOUBLE_EQ(c->fp32_add_pj, 1.75);  // datapath + registers + clock
  EXPECT_DOUBLE_EQ(c->fp32_mul_pj, 5.0);
  const SramCost s = sram_cost({.capacity_bytes = 64 * 1024, .width_bits = 512, .banks = 2});
  EXPECT_DOUBLE_EQ(c->buffer_pj_per_byte, s.read_energy_pj / 64);
  for (int i = 0; i < kVectorOps; ++i) {
    const VectorLaneOpMix& m = vector_lane_op_mix(static_cast<VectorOp>(i));
    EXPECT_DOUBLE_EQ(c->lane_op_pj(static_cast<VectorOp>(i)),
                     m.fp32_mul * 5.0 + m.fp32_add * 1.75 +
                         (m.read_bytes + m.write_bytes) * c->buffer_pj_per_byte)
        << vector_op_name(static_cast<VectorOp>(i));
  }
  // A dot product's lane operation is one multiply and one add; the K / V bytes are KV traffic.
  EXPECT_DOUBLE_EQ(c->lane_op_pj(VectorOp::kScores), 6.75);
  EXPECT_DOUBLE_EQ(c->lane_op_pj(VectorOp::kContext), 6.75);
  // A residual add: one add, two operands read and one written.
  EXPECT_DOUBLE_EQ(c->lane_op_pj(VectorOp::kResidual), 1.75 + 12 * c->buffer_pj_per_byte);
  // SiLU x gate costs an exp and a reciprocal more than a product.
  EXPECT_GT(c->lane_op_pj(VectorOp::kSiluGate), 10 * c->lane_op_pj(VectorOp::kScores));
  EXPECT_DOUBLE_EQ(c->leakage_w, 4 * 4e-6);
  EXPECT_DOUBLE_EQ(c->area_um2, 4 * 400.0);
}

TEST(CostVector, TheGateClassIsPricedByItsActivation) {
  const auto c = vector_unit_cost(with_primitives(), VectorParams{}, out_buffer());
  ASSERT_TRUE(c.has_value());
  const double bytes = 12 * c->buffer_pj_per_byte;  // g and u read, the product written
  // Squared ReLU: a compare and two multiplies.
  EXPECT_DOUBLE_EQ(c->lane_op_pj(VectorOp::kSiluGate, GateAct::kRelu2), 2 * 5.0 + 1.75 + bytes);
  // SiLU: exp_f32's own operation count, a two-step Newton-Raphson reciprocal, 1 + e and the
  // two products.
  const VectorLaneOpMix& silu = vector_lane_op_mix(VectorOp::kSiluGate, GateAct::kSilu);
  EXPECT_DOUBLE_EQ(silu.fp32_mul, kExpF32Muls + 4 + 2);
  EXPECT_DOUBLE_EQ(silu.fp32_add, kExpF32Adds + 2 + 1);
  EXPECT_DOUBLE_EQ(c->lane_op_pj(VectorOp::kSiluGate),
                   silu.fp32_mul * 5.0 + silu.fp32_add * 1.75 + bytes);
  // Softmax: one exp per element over three passes.
  const VectorLaneOpMix& sm = vector_lane_op_mix(VectorOp::kSoftmax);
  EXPECT_DOUBLE_EQ(3 * sm.fp32_mul, kExpF32Muls + 1);
  EXPECT_DOUBLE_EQ(3 * sm.fp32_add, kExpF32Adds + 3);
  // Every other class ignores the activation.
  for (int i = 0; i < kVectorOps; ++i) {
    const auto op = static_cast<VectorOp>(i);
    if (op == VectorOp::kSiluGate) continue;
    EXPECT_DOUBLE_EQ(c->lane_op_pj(op, GateAct::kRelu2), c->lane_op_pj(op)) << vector_op_name(op);
  }
}

TEST(CostVector, BlockEnergyIsLaneOperationsPlusKvBytesThroughTheBufferTwice) {
  VectorParams p;
  const auto c = vector_unit_cost(with_primitives(), p, out_buffer());
  ASSERT_TRUE(c.has_value());
  BlockWork w;
  w.elements[static_cast<int>(VectorOp::kScores)] = 1000;
  w.elements[static_cast<int>(VectorOp::kSoftmax)] = 30;
  w.kv_read_bytes = 2000;
  w.kv_write_bytes = 64;
  const VectorEnergy e = vector_energy(*c, w);
  EXPECT_DOUBLE_EQ(e.op_pj[static_cast<int>(VectorOp::kScores)], 1000 * 6.75);
  EXPECT_DOUBLE_EQ(e.op_pj[static_cast<int>(VectorOp::kSoftmax)],
                   30 * c->lane_op_pj(VectorOp::kSoftmax));
  EXPECT_DOUBLE_EQ(e.op_pj[static_cast<int>(VectorOp::kRmsNorm)], 0.0);
  EXPECT_DOUBLE_EQ(e.kv_buffer_pj, 2.0 * 2064 * c->buffer_pj_per_byte);
  EXPECT_DOUBLE_EQ(e.total_pj, e.op_pj[static_cast<int>(VectorOp::kScores)] +
                                   e.op_pj[static_cast<int>(VectorOp::kSoftmax)] + e.kv_buffer_pj);
  // More context, more energy: twice the work, twice the energy.
  BlockWork w2 = w;
  for (auto& x : w2.elements) x *= 2;
  w2.kv_read_bytes *= 2;
  w2.kv_write_bytes *= 2;
  EXPECT_DOUBLE_EQ(vector_energy(*c, w2).total_pj, 2 * e.total_pj);
}

TEST(CostVector, NotCharacterizedWithoutThePrimitivesOrTheirUnits) {
  const VectorParams p;
  EXPECT_FALSE(vector_unit_cost(Characterization{}, p, out_buffer()).has_value());
  Characterization no_mul = with_primitives();
  no_mul.primitives.erase("fmul32");
  EXPECT_FALSE(vector_unit_cost(no_mul, p, out_buffer()).has_value());
  Characterization no_units = with_primitives();
  no_units.units.clear();
  EXPECT_FALSE(vector_unit_cost(no_units, p, out_buffer()).has_value());
}

TEST(CostVector, TheNangate45FileHasThePrimitivesAndAMalformedOneIsRejected) {
  const Characterization ch = load_characterization(std::string(LOWBIT_SOURCE_DIR_FALLBACK) +
                                                    "/rtl/synth/characterization/nangate45.json");
  const CharPrimitive* add = ch.primitive("fadd32");
  const CharPrimitive* mul = ch.primitive("fmul32");
  ASSERT_NE(add, nullptr);
  ASSERT_NE(mul, nullptr);
  EXPECT_GT(add->datapath_pj, 0.0);
  EXPECT_GT(mul->pj(), add->pj());
  ASSERT_TRUE(vector_unit_cost(ch, VectorParams{}, out_buffer()).has_value());

  nlohmann::json doc = {
      {"schema", kCharacterizationSchema},
      {"schema_version", kCharacterizationSchemaVersion},
      {"node", "x"},
      {"units", nlohmann::json::object()},
      {"validation",
       {{"primitives",
         {{"fadd32",
           {{"datapath_pj", "3"}, {"registers_pj", 0}, {"clock_pj", 0}, {"area_um2", 1}}}}}}}};
  try {
    parse_characterization(doc, "bad.json");
    FAIL() << "a string datapath_pj was accepted";
  } catch (const CostInputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json: validation.primitives.fadd32.datapath_pj"),
              std::string::npos)
        << e.what();
  }
  doc["validation"]["primitives"]["fadd32"]["datapath_pj"] = -1;
  EXPECT_THROW(parse_characterization(doc, "bad.json"), CostInputError);
}

}  // namespace
}  // namespace lowbit
