// MAC weight dequantizer (one per column, in front of the array): code -> integer or FP16 operand.
//
// INT8 tiles: w = lb_weight_pkg::weight_value(kind, b, code, z), 9-bit two's complement.
// FP16 tiles: w16 = fp16(float(w) * float(scale)), one RNE rounding: the binary32 product of an
// 11-bit significand and a 9-bit integer is exact, so rounding it to FP16 rounds the true product.
module mac_wdeq (
  input  lb_weight_pkg::weight_kind_t kind_i,  // WkBinary, WkTernary, WkSigned, WkUnsigned
  input  logic [3:0]                  bits_i,  // 1 .. 8
  input  logic [7:0]                  code_i,
  input  logic [7:0]                  zero_i,
  input  logic [15:0]                 scale_i,
  output logic [8:0]                  w_o,     // integer weight
  output logic [15:0]                 w16_o    // FP16 weight (scale applied)
);

  assign w_o = lb_weight_pkg::weight_value(kind_i, bits_i, code_i, zero_i);

  logic [31:0] w_f, scale_f, prod;
  lb_int_to_fp32 #(
    .Width(9)
  ) u_w (
    .a_i(w_o),
    .y_o(w_f)
  );
  lb_fp16_to_fp32 u_scale (
    .a_i(scale_i),
    .y_o(scale_f)
  );
  lb_fp32_mul u_mul (
    .a_i(w_f),
    .b_i(scale_f),
    .y_o(prod)
  );
  mac_fp32_to_fp16 u_round (
    .a_i(prod),
    .y_o(w16_o)
  );

endmodule
