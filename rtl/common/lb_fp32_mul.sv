// IEEE binary32 multiplier: round to nearest even, subnormals in and out, canonical NaN.
//
// The 24x24-bit significand product is exact (48 bits); the shared rounder normalizes it (a
// subnormal operand leaves leading zeros), denormalizes when the result is tiny, and rounds once.
// With significands read as 1.23 fixed point the product is 2.46 fixed point, so its MSB (bit 47)
// is worth 2^(ea + eb - 254 + 1): the rounder's exp_i = ea + eb - 126, where ea, eb are the
// effective biased exponents (1 for subnormals). exp_i ranges over [-124, 382].
module lb_fp32_mul (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] y_o
);

  localparam int unsigned ExpWidth = 12;
  localparam logic [31:0] CanonicalNan = 32'h7FC0_0000;

  // ---- Unpack ------------------------------------------------------------------------------
  logic        a_sign, b_sign;
  logic [7:0]  a_exp, b_exp;
  logic [22:0] a_frac, b_frac;
  assign {a_sign, a_exp, a_frac} = a_i;
  assign {b_sign, b_exp, b_frac} = b_i;

  logic a_exp_zero, b_exp_zero, a_exp_ones, b_exp_ones;
  assign a_exp_zero = (a_exp == 8'd0);
  assign b_exp_zero = (b_exp == 8'd0);
  assign a_exp_ones = (a_exp == 8'hFF);
  assign b_exp_ones = (b_exp == 8'hFF);

  logic a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
  assign a_nan  = a_exp_ones & (a_frac != 23'd0);
  assign b_nan  = b_exp_ones & (b_frac != 23'd0);
  assign a_inf  = a_exp_ones & (a_frac == 23'd0);
  assign b_inf  = b_exp_ones & (b_frac == 23'd0);
  assign a_zero = a_exp_zero & (a_frac == 23'd0);
  assign b_zero = b_exp_zero & (b_frac == 23'd0);

  // Subnormals: hidden bit 0 and effective exponent 1 (not 0).
  logic [23:0] a_sig, b_sig;
  assign a_sig = {~a_exp_zero, a_frac};
  assign b_sig = {~b_exp_zero, b_frac};

  logic signed [ExpWidth-1:0] a_exp_eff, b_exp_eff;
  assign a_exp_eff = {4'd0, a_exp_zero ? 8'd1 : a_exp};
  assign b_exp_eff = {4'd0, b_exp_zero ? 8'd1 : b_exp};

  // ---- Exact product and rounding ---------------------------------------------------------
  logic                       sign;
  logic [47:0]                prod;
  logic signed [ExpWidth-1:0] prod_exp;
  logic [31:0]                rounded;
  assign sign     = a_sign ^ b_sign;
  assign prod     = a_sig * b_sig;
  assign prod_exp = a_exp_eff + b_exp_eff - 12'sd126;

  lb_fp32_round #(
    .SigWidth(48),
    .ExpWidth(ExpWidth)
  ) u_round (
    .sign_i  (sign),
    .exp_i   (prod_exp),
    .sig_i   (prod),
    .sticky_i(1'b0),
    .y_o     (rounded)
  );

  // ---- Special operands: NaN propagates as the canonical NaN, 0 * inf is invalid ------------
  always_comb begin
    y_o = rounded;  // zero operands give a zero product of the right sign through the rounder
    if (a_nan | b_nan | (a_inf & b_zero) | (a_zero & b_inf)) begin
      y_o = CanonicalNan;
    end else if (a_inf | b_inf) begin
      y_o = {sign, 8'hFF, 23'd0};
    end
  end

endmodule
