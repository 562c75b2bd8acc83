// bitmod per-column dequant unit: the FP32 step of model/kernels/dequant.h on a finished group sum.
//
//   out = out + float(S) * float(scale)   S the exact integer group sum of the PE row being drained
// (lb_dequant_mul: int -> fp32 and the multiply, RNE; then lb_fp32_add, RNE; no FMA). One unit per
// column, shared by the column's R PEs over R drain cycles. BitMoD weights have no zero point: the
// group's datatype only changes the values the PEs added, not this step.
module bitmod_dequant #(
  parameter int unsigned AccW = 32
) (
  input  logic [15:0]     scale_i,  // group scale, FP16
  input  logic [AccW-1:0] sum_i,    // group sum
  input  logic [31:0]     out_i,    // running FP32 result
  output logic [31:0]     out_o
);

  logic [31:0] prod;
  lb_dequant_mul #(
    .Width(AccW)
  ) u_mul (
    .sum_i  (sum_i),
    .scale_i(scale_i),
    .prod_o (prod)
  );
  lb_fp32_add u_add (
    .a_i(out_i),
    .b_i(prod),
    .y_o(out_o)
  );

endmodule
