// Energy and area of the vector / special-function unit (docs/decoder.md, "Vector unit energy
// and area"): every lane operation priced as the FP32 multiplies and adds it performs, with the
// node's characterized FP32 primitives, plus its on-chip buffer bytes and the lanes' leakage.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "model/arch/top_params.h"
#include "model/arch/vector_params.h"
#include "model/cost/characterization.h"
#include "model/kernels/decoder_block.h"

namespace lowbit {

/// What one lane operation of an operator class does (BlockWork::elements counts lane
/// operations): FP32 multiplies and adds (exp and reciprocal as the multiply-add sequences of
/// vector_cost.cpp), and FP32 bytes read from and written to the `out` buffer.
struct VectorLaneOpMix {
  double fp32_mul = 0;
  double fp32_add = 0;
  double read_bytes = 0;
  double write_bytes = 0;
  const char* what = "";
};

/// The mix of operator class `op` (VectorOp order); the gate class's depends on its activation.
const VectorLaneOpMix& vector_lane_op_mix(VectorOp op, GateAct gate = GateAct::kSilu);

/// The unit's prices at one node and config.
struct VectorUnitCost {
  std::string node;
  double fp32_mul_pj = 0;         ///< datapath + registers + clock of one FP32 multiply
  double fp32_add_pj = 0;         ///< of one FP32 add
  double buffer_pj_per_byte = 0;  ///< the `out` buffer (SRAM model), read or write
  double leakage_w = 0;           ///< lanes x (FP32 adder + multiplier)
  double area_um2 = 0;            ///< lanes x (FP32 adder + multiplier, registered)
  int lanes = 0;
  std::string source;  ///< the characterization entries and models used

  /// One lane operation of class `op` (the gate class with activation `gate`): its mix's
  /// multiplies and adds at the primitives' prices plus its buffer bytes.
  double lane_op_pj(VectorOp op, GateAct gate = GateAct::kSilu) const;
};

/// nullopt (not characterized at this node) unless `ch` has the FP32 add and multiply primitives
/// ("validation.primitives" fadd32 and fmul32) and their units (lb_fp32_add, lb_fp32_mul: the
/// leakage).
std::optional<VectorUnitCost> vector_unit_cost(const Characterization& ch, const VectorParams& p,
                                               const BufferParams& out_buffer);

/// Dynamic energy of one block's (or the head's) vector work.
struct VectorEnergy {
  std::array<double, kVectorOps> op_pj{};  ///< lane operations of each operator class
  double kv_buffer_pj = 0;  ///< KV bytes written into the buffer by the DMA and read by the lanes
  double total_pj = 0;
};

/// `gate`: the feed-forward activation the gate class applies.
VectorEnergy vector_energy(const VectorUnitCost& c, const BlockWork& w,
                           GateAct gate = GateAct::kSilu);

}  // namespace lowbit
