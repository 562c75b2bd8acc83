// The FP32 product of a group dequant step (model/kernels/dequant.h): float(S) * float(scale), S
// an exact Width-bit two's complement group sum, scale FP16. Two RNE binary32 roundings: the
// int -> fp32 conversion (as C++ static_cast<float>) and the multiply; the FP16 -> FP32 is exact.
// Shared by the mixpe and mac column dequant units.
module lb_dequant_mul #(
  parameter int unsigned Width = 32  // sum width (lb_int_to_fp32: 2 .. 1024)
) (
  input  logic [Width-1:0] sum_i,
  input  logic [15:0]      scale_i,
  output logic [31:0]      prod_o
);

  logic [31:0] s_f, scale_f;
  lb_int_to_fp32 #(
    .Width(Width)
  ) u_int_to_fp32 (
    .a_i(sum_i),
    .y_o(s_f)
  );
  lb_fp16_to_fp32 u_scale (
    .a_i(scale_i),
    .y_o(scale_f)
  );
  lb_fp32_mul u_mul (
    .a_i(s_f),
    .b_i(scale_f),
    .y_o(prod_o)
  );

endmodule
