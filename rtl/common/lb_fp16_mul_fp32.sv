// Exact FP16 x FP16 product delivered as IEEE binary32 (the MAC baseline's multiplier).
//
// Why no rounding is needed: each FP16 significand has at most 11 bits, so the product has at most
// 22 significant bits (binary32 holds 24). Range: the smallest nonzero magnitude is
// 2^-24 * 2^-24 = 2^-48 (biased exponent 79, a binary32 normal, far above 2^-126), the largest is
// 65504^2 < 2^32 (far below 2^128). So every finite product is a normal binary32 or zero, exactly.
//
// With 11-bit significands ma, mb (hidden bit included, 0 for subnormals) and effective exponents
// ea, eb (1 for subnormals), the product is P * 2^(ea + eb - 50) with P = ma * mb < 2^22. If P's
// leading one is at bit 21 - lz, the result is 1.f * 2^(ea + eb - 29 - lz): biased exponent
// ea + eb + 98 - lz, and the fraction is the 21 bits below that one, left-aligned in 23 bits.
module lb_fp16_mul_fp32 (
  input  logic [15:0] a_i,
  input  logic [15:0] b_i,
  output logic [31:0] y_o
);

  // ---- Unpack ------------------------------------------------------------------------------
  logic       a_sign, b_sign;
  logic [4:0] a_exp, b_exp;
  logic [9:0] a_frac, b_frac;
  assign {a_sign, a_exp, a_frac} = a_i;
  assign {b_sign, b_exp, b_frac} = b_i;

  logic a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
  assign a_nan  = (a_exp == 5'h1F) & (a_frac != 10'd0);
  assign b_nan  = (b_exp == 5'h1F) & (b_frac != 10'd0);
  assign a_inf  = (a_exp == 5'h1F) & (a_frac == 10'd0);
  assign b_inf  = (b_exp == 5'h1F) & (b_frac == 10'd0);
  assign a_zero = (a_exp == 5'd0) & (a_frac == 10'd0);
  assign b_zero = (b_exp == 5'd0) & (b_frac == 10'd0);

  logic [10:0] a_sig, b_sig;
  logic [4:0]  a_exp_eff, b_exp_eff;
  assign a_sig     = {a_exp != 5'd0, a_frac};
  assign b_sig     = {b_exp != 5'd0, b_frac};
  assign a_exp_eff = (a_exp == 5'd0) ? 5'd1 : a_exp;
  assign b_exp_eff = (b_exp == 5'd0) ? 5'd1 : b_exp;

  // ---- Exact product and normalization -----------------------------------------------------
  logic        sign;
  logic [21:0] prod;
  assign sign = a_sign ^ b_sign;
  assign prod = a_sig * b_sig;

  logic [4:0]  lz;  // <= 20 for a nonzero product (each significand is >= 1)
  logic        prod_zero;
  lb_lzc #(
    .Width(22)
  ) u_lzc (
    .in_i  (prod),
    .cnt_o (lz),
    .zero_o(prod_zero)
  );

  logic [21:0] prod_norm;  // leading one moved to bit 21
  logic [7:0]  exp_field;  // 79 .. 160, always a normal
  assign prod_norm = prod << lz;
  assign exp_field = {3'd0, a_exp_eff} + {3'd0, b_exp_eff} + 8'd98 - {3'd0, lz};

  // ---- Special operands: NaN propagates as the canonical NaN, 0 * inf is invalid ------------
  always_comb begin
    if (a_nan | b_nan | (a_inf & b_zero) | (a_zero & b_inf)) begin
      y_o = 32'h7FC0_0000;
    end else if (a_inf | b_inf) begin
      y_o = {sign, 8'hFF, 23'd0};
    end else if (prod_zero) begin  // only when an operand is zero
      y_o = {sign, 31'd0};
    end else begin
      y_o = {sign, exp_field, prod_norm[20:0], 2'b00};
    end
  end

  logic unused_hidden;
  assign unused_hidden = prod_norm[21];

endmodule
