// The FP32 group scale of a dequant by weight codec (docs/fp-weights.md; lutcore's lut_dequant and
// the mixpe / mac arrays' lb_pe_array_dq and mac_wdeq):
//   wfp_i = 0 (integer codes): the FP16 scale converted to FP32;
//   wfp_i = 1 (fp4_e2m1, the array summed doubled values): FP16 scale / 2, an exponent decrement
//             (every FP16 value is a normal FP32 value; zero, inf and NaN pass unchanged);
//   wfp_i = 2, 3 (mxfp4): 2^(x - 128) for the E8M0 code x in field_i[7:0], built from x alone
//             (x = 0, 1: the FP32 subnormals 2^-128, 2^-127; x = 255, the NaN block: 0x7FC00000).
// The block scale is an exponent, never a multiplier input of its own: the one FP32 multiply of
// the dequant (float(S) * scale) is shared with the integer formats.
module lb_wscale (
  input  logic [1:0]  wfp_i,
  input  logic [15:0] field_i,
  output logic [31:0] y_o
);

  logic [31:0] f32;
  lb_fp16_to_fp32 u_cvt (
    .a_i(field_i),
    .y_o(f32)
  );

  logic [7:0] x;
  assign x = field_i[7:0];

  always_comb begin
    if (wfp_i == 2'd0) begin
      y_o = f32;
    end else if (wfp_i == 2'd1) begin
      y_o = (f32[30:23] == 8'd0 || f32[30:23] == 8'hFF) ? f32 : f32 - 32'h0080_0000;
    end else if (x == 8'hFF) begin
      y_o = 32'h7FC0_0000;
    end else if (x == 8'd0) begin
      y_o = 32'h0020_0000;
    end else if (x == 8'd1) begin
      y_o = 32'h0040_0000;
    end else begin
      y_o = {1'b0, x - 8'd1, 23'd0};
    end
  end

endmodule
