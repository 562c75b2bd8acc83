// IEEE binary16 -> binary32 conversion. Exact: every FP16 value is a binary32 normal (or zero, inf).
//
// Normal FP16 (exponent field 1..30) rebias by 127 - 15 = 112. An FP16 subnormal m * 2^-24 with its
// leading one at bit p = 9 - lz of the 10-bit fraction is 1.f * 2^(p - 24): biased binary32
// exponent 103 + p = 112 - lz, fraction = the bits below that leading one, left-aligned.
// The smallest, 2^-24, is far inside binary32's normal range (2^-126). NaNs become the canonical
// quiet NaN 0x7FC00000 (payloads are not kept, like every lowbit FP unit).
module lb_fp16_to_fp32 (
  input  logic [15:0] a_i,
  output logic [31:0] y_o
);

  logic       sign;
  logic [4:0] exp;
  logic [9:0] frac;
  assign {sign, exp, frac} = a_i;

  logic [3:0] lz;  // leading zeros of the subnormal fraction (frac != 0 when used)
  logic       frac_zero;
  lb_lzc #(
    .Width(10)
  ) u_lzc (
    .in_i  (frac),
    .cnt_o (lz),
    .zero_o(frac_zero)
  );

  logic [9:0] sub_frac;  // the fraction shifted past its leading one
  assign sub_frac = frac << (lz + 4'd1);

  always_comb begin
    if (exp == 5'h1F) begin
      y_o = frac_zero ? {sign, 8'hFF, 23'd0} : 32'h7FC0_0000;
    end else if (exp != 5'd0) begin
      y_o = {sign, {3'd0, exp} + 8'd112, frac, 13'd0};
    end else if (frac_zero) begin
      y_o = {sign, 31'd0};
    end else begin
      y_o = {sign, 8'd112 - {4'd0, lz}, sub_frac, 13'd0};
    end
  end

endmodule
