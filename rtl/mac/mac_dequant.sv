// MAC per-column dequant unit: the FP32 step of model/kernels/dequant.h, or a plain FP32 add.
//
// INT8 tiles: out = out + float(S) * float(scale) (S = the exact INT32 group sum), as mixpe.
// FP16 tiles: the scale is already inside the FP16 weights, so out = out + partial (FP32 RNE).
module mac_dequant (
  input  logic        fp16_i,
  input  logic [15:0] scale_i,
  input  logic [31:0] sum_i,   // INT32 group sum, or the group's FP32 partial sum
  input  logic [31:0] out_i,
  output logic [31:0] out_o
);

  logic [31:0] prod, addend;
  lb_dequant_mul #(
    .Width(32)
  ) u_mul (
    .sum_i  (sum_i),
    .scale_i(scale_i),
    .prod_o (prod)
  );
  assign addend = fp16_i ? sum_i : prod;
  lb_fp32_add u_add (
    .a_i(out_i),
    .b_i(addend),
    .y_o(out_o)
  );

endmodule
