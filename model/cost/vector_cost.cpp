// Energy and area of the vector unit from the node's FP32 primitives (vector_cost.h).
#include "model/cost/vector_cost.h"

#include <fmt/format.h>

#include "model/cost/sram_model.h"

namespace lowbit {
namespace {

// The special functions as FP32 multiply-add sequences (an assumption of the kit, stated in
// docs/decoder.md): exp as exp_f32 computes it (Cody-Waite reduction and a degree-6 Horner
// polynomial, vector_ops.h); a reciprocal as two Newton-Raphson steps y (2 - x y) from a table
// seed (2 multiplies and 1 add each).
constexpr double kExpMul = kExpF32Muls, kExpAdd = kExpF32Adds;
constexpr double kRecipMul = 4, kRecipAdd = 2;

// Per lane operation, VectorOp order. Per-row scalars (RMSNorm's reciprocal square root,
// softmax's reciprocal of the sum, requantization's scale, the scores' 1/sqrt(d)) are one per
// row of at least head_dim lane operations and are not counted.
constexpr std::array<VectorLaneOpMix, kVectorOps> kMix{{
    // Two passes per row: x*x + acc; then x * r * gain (x and gain read, y written).
    {1.5, 0.5, 6, 2, "pass 1: x*x + sum; pass 2: x * r * gain"},
    // x_i cos - x_j sin (x_i, x_j, cos, sin read).
    {2, 1, 16, 4, "x_i * cos - x_j * sin"},
    // A MAC; the query stays in the lane registers, the K bytes are counted as KV traffic.
    {1, 1, 0, 0, "q * k + acc"},
    // Three passes per element: max; exp(x - max) and the sum; x * (1 / sum).
    {(kExpMul + 1) / 3, (3 + kExpAdd) / 3, 4, 8.0 / 3, "max; exp(x - max) + sum; x * 1/sum"},
    // A MAC; the probabilities stay in the lane registers, the V bytes are KV traffic.
    {1, 1, 0, 0, "p * v + acc"},
    // The gate class: its activation's entry of kGateMix.
    {0, 0, 0, 0, ""},
    // x + y.
    {0, 1, 8, 4, "x + y"},
    // absmax (a compare), x * (1 / scale), round; the row read twice, a code written.
    {1, 2, 8, 1, "max |x|; x * 1/scale; round"},
}};

// The gate class per activation, GateAct order (g and u read, the product written).
constexpr std::array<VectorLaneOpMix, kGateActs> kGateMix{{
    // SiLU: g * 1/(1 + exp(-g)) * u.
    {kExpMul + kRecipMul + 2, kExpAdd + 1 + kRecipAdd, 8, 4, "g * 1/(1 + exp(-g)) * u"},
    // Squared ReLU: a compare and two multiplies.
    {2, 1, 8, 4, "max(g, 0)^2 * u"},
}};

}  // namespace

const VectorLaneOpMix& vector_lane_op_mix(VectorOp op, GateAct gate) {
  if (op == VectorOp::kSiluGate) return kGateMix[static_cast<size_t>(gate)];
  return kMix[static_cast<size_t>(op)];
}

double VectorUnitCost::lane_op_pj(VectorOp op, GateAct gate) const {
  const VectorLaneOpMix& m = vector_lane_op_mix(op, gate);
  return m.fp32_mul * fp32_mul_pj + m.fp32_add * fp32_add_pj +
         (m.read_bytes + m.write_bytes) * buffer_pj_per_byte;
}

std::optional<VectorUnitCost> vector_unit_cost(const Characterization& ch, const VectorParams& p,
                                               const BufferParams& out_buffer) {
  const CharPrimitive* add = ch.primitive("fadd32");
  const CharPrimitive* mul = ch.primitive("fmul32");
  const CharUnit* add_unit = ch.find("lb_fp32_add");
  const CharUnit* mul_unit = ch.find("lb_fp32_mul");
  if (!add || !mul || !add_unit || !mul_unit) return std::nullopt;
  VectorUnitCost c;
  c.node = ch.node;
  c.lanes = p.lanes;
  c.fp32_add_pj = add->pj();
  c.fp32_mul_pj = mul->pj();
  SramGeometry g;
  g.capacity_bytes = out_buffer.bytes();
  g.width_bits = out_buffer.width_bytes * 8;
  g.banks = out_buffer.banks;
  c.buffer_pj_per_byte = sram_cost(g).read_energy_pj / out_buffer.width_bytes;
  c.leakage_w = p.lanes * (add_unit->leakage_w + mul_unit->leakage_w);
  c.area_um2 = p.lanes * (add->area_um2 + mul->area_um2);
  c.source = fmt::format(
      "{}: validation.primitives fadd32 {:.3f} pJ and fmul32 {:.3f} pJ per operation (datapath + "
      "registers + clock, switching activity on random operands), area {:.0f} + {:.0f} um^2; "
      "leakage of units lb_fp32_add + lb_fp32_mul; out buffer {} KiB, {} B wide, {} banks: "
      "{:.3f} pJ per byte (SRAM model, Horowitz ISSCC 2014 anchors)",
      ch.path, c.fp32_add_pj, c.fp32_mul_pj, add->area_um2, mul->area_um2, out_buffer.kib,
      out_buffer.width_bytes, out_buffer.banks, c.buffer_pj_per_byte);
  return c;
}

VectorEnergy vector_energy(const VectorUnitCost& c, const BlockWork& w, GateAct gate) {
  VectorEnergy e;
  for (int i = 0; i < kVectorOps; ++i) {
    const auto k = static_cast<size_t>(i);
    e.op_pj[k] = static_cast<double>(w.elements[k]) * c.lane_op_pj(static_cast<VectorOp>(i), gate);
    e.total_pj += e.op_pj[k];
  }
  // Every KV byte read is written into the buffer by the load DMA and read by the lanes; every
  // byte of the new token's K and V is written by kvstore and read by the store DMA.
  e.kv_buffer_pj =
      2.0 * static_cast<double>(w.kv_read_bytes + w.kv_write_bytes) * c.buffer_pj_per_byte;
  e.total_pj += e.kv_buffer_pj;
  return e;
}

}  // namespace lowbit
