// MAC weight dequantizer (one per column, in front of the array): code -> integer or FP16 operand.
//
// INT8 tiles: w = weight_value(kind, b, u, z) as 9-bit two's complement (u - z spans -255 .. 255).
// FP16 tiles: w16 = fp16(float(w) * float(scale)), one RNE rounding: the binary32 product of an
// 11-bit significand and a 9-bit integer is exact, so rounding it to FP16 rounds the true product.
module mac_wdeq (
  input  logic [1:0]  kind_i,   // WeightKind: 0 binary, 1 ternary, 2 signed, 3 unsigned
  input  logic [3:0]  bits_i,   // 1 .. 8
  input  logic [7:0]  code_i,
  input  logic [7:0]  zero_i,
  input  logic [15:0] scale_i,
  output logic [8:0]  w_o,      // integer weight
  output logic [15:0] w16_o     // FP16 weight (scale applied)
);

  logic [7:0] mask, u, zeff;
  logic       dbl;
  assign mask = (bits_i >= 4'd8) ? 8'hFF : ((8'd1 << bits_i) - 8'd1);
  assign u    = code_i & mask;

  always_comb begin
    zeff = zero_i;
    dbl  = 1'b0;
    unique case (kind_i)
      2'd0: begin
        zeff = 8'd1;
        dbl  = 1'b1;
      end
      2'd1: zeff = 8'd1;
      2'd2: zeff = 8'd1 << (bits_i - 4'd1);
      default: zeff = zero_i;
    endcase
  end

  assign w_o = (dbl ? {u, 1'b0} : {1'b0, u}) - {1'b0, zeff};

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
