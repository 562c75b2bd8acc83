// MixPE per-column zero-point correction: the integer part of the group dequant.
//
//   S = (sum << m) - z * asum        exact integer: sum = sum(a*u), asum = sum(a) of the row
// with (m, z) from lb_weight_pkg: m = 1 for binary (w = 2u - 1), else 0 (weight_doubles); z its
// weight_offset (1 for binary and ternary, 2^(b-1) for signed, the group zero point for unsigned),
// decoded by the caller. Stages = 1 puts a register between the product z * asum and the subtract.
// The FP32 part, out = out + float(S) * float(scale) (model/kernels/dequant.h), is lb_pe_array_dq.
module mixpe_dequant #(
  parameter int unsigned AccW   = 32,
  parameter int unsigned Stages = 0   // 0 .. 1
) (
  input  logic            clk_i,
  input  logic            v_i,      // the operands are valid (a drained row: gates the register)
  input  logic [7:0]      zeff_i,   // z
  input  logic            dbl_i,    // m = 1
  input  logic [AccW-1:0] sum_i,    // group sum of a * u
  input  logic [AccW-1:0] asum_i,   // group sum of a (the PE's row)
  output logic [AccW-1:0] s_o,      // sum(a * w) of the group, Stages cycles later
  output logic            v_o       // s_o is valid
);

  // sum(a * w) = m * sum(a * u) - z * sum(a) for w = m * u - z (lb_weight_pkg's affine map).
  logic [AccW-1:0] zcorr, zcorr_q, sum_q;
  logic            dbl_q;
  assign zcorr = asum_i * {{(AccW - 8) {1'b0}}, zeff_i};
  lb_vpipe #(
    .Width (2 * AccW + 1),
    .Enable(Stages != 0)
  ) u_p (
    .clk_i,
    .v_i,
    .v_o,
    .d_i({zcorr, sum_i, dbl_i}),
    .q_o({zcorr_q, sum_q, dbl_q})
  );
  assign s_o = (dbl_q ? (sum_q << 1) : sum_q) - zcorr_q;

endmodule
