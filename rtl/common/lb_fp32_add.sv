// IEEE binary32 adder: round to nearest even, subnormals in and out, canonical NaN, IEEE zeros.
//
// Classic single-path design. The operand of larger magnitude is "big"; the other is aligned to it
// by a right shift of the exponent difference, keeping three extra bits below its LSB: guard, round
// and a sticky bit that ORs everything shifted further. Three bits suffice for correct rounding:
// when the difference is 0 or 1 nothing is lost (the result is exact before rounding, however much
// cancellation follows), and when it is 2 or more an effective subtraction loses at most one leading
// bit, so guard and round still sit above the sticky position after renormalization.
//
//   sum = {carry, 24-bit significand, guard, round, sticky}   (28 bits)
// The significand's hidden bit sits at bit 26 and is worth 2^(e_big - 127), so the sum's MSB
// (bit 27) is worth 2^(e_big + 1 - 127): the shared rounder gets exp_i = e_big + 1.
//
// Zero results: an exact zero from x + (-x) is +0 (round to nearest); the only other way to get a
// zero sum is 0 + 0 of equal signs, which keeps that sign. Both are sign_a & sign_b.
module lb_fp32_add (
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

  logic a_nan, b_nan, a_inf, b_inf;
  assign a_nan = (a_exp == 8'hFF) & (a_frac != 23'd0);
  assign b_nan = (b_exp == 8'hFF) & (b_frac != 23'd0);
  assign a_inf = (a_exp == 8'hFF) & (a_frac == 23'd0);
  assign b_inf = (b_exp == 8'hFF) & (b_frac == 23'd0);

  // ---- Order by magnitude (the 31 low bits compare like unsigned integers) ------------------
  logic        swap;
  logic        big_sign;
  logic [7:0]  big_exp, small_exp;
  logic [22:0] big_frac, small_frac;
  assign swap = (b_i[30:0] > a_i[30:0]);
  assign {big_sign, big_exp, big_frac}       = swap ? b_i : a_i;
  assign {small_exp, small_frac}            = swap ? a_i[30:0] : b_i[30:0];

  // Subnormals: hidden bit 0 and effective exponent 1 (not 0).
  logic [7:0]  big_exp_eff, small_exp_eff;
  logic [23:0] big_sig, small_sig;
  assign big_exp_eff   = (big_exp == 8'd0) ? 8'd1 : big_exp;
  assign small_exp_eff = (small_exp == 8'd0) ? 8'd1 : small_exp;
  assign big_sig       = {big_exp != 8'd0, big_frac};
  assign small_sig     = {small_exp != 8'd0, small_frac};

  // ---- Align the smaller operand ----------------------------------------------------------
  logic [7:0]  exp_diff;  // >= 0 because big has the larger (or equal) magnitude
  logic [26:0] small_shifted;
  logic        small_sticky;
  logic [26:0] small_aligned;  // {significand, guard, round, sticky}
  assign exp_diff = big_exp_eff - small_exp_eff;

  lb_rshift_sticky #(
    .Width     (27),
    .ShiftWidth(8)
  ) u_align (
    .in_i    ({small_sig, 3'b000}),
    .shamt_i (exp_diff),
    .out_o   (small_shifted),
    .sticky_o(small_sticky)
  );
  assign small_aligned = {small_shifted[26:1], small_shifted[0] | small_sticky};

  // ---- Add or subtract magnitudes ----------------------------------------------------------
  logic        eff_sub;
  logic [27:0] sum;
  assign eff_sub = a_sign ^ b_sign;
  assign sum = eff_sub ? ({1'b0, big_sig, 3'b000} - {1'b0, small_aligned})
                       : ({1'b0, big_sig, 3'b000} + {1'b0, small_aligned});

  logic                       sum_sign;
  logic signed [ExpWidth-1:0] sum_exp;
  logic [31:0]                rounded;
  assign sum_sign = (sum == 28'd0) ? (a_sign & b_sign) : big_sign;
  assign sum_exp  = {4'd0, big_exp_eff} + 12'sd1;

  lb_fp32_round #(
    .SigWidth(28),
    .ExpWidth(ExpWidth)
  ) u_round (
    .sign_i  (sum_sign),
    .exp_i   (sum_exp),
    .sig_i   (sum),
    .sticky_i(1'b0),
    .y_o     (rounded)
  );

  // ---- Special operands: NaN propagates as the canonical NaN, inf - inf is invalid ----------
  always_comb begin
    y_o = rounded;
    if (a_nan | b_nan | (a_inf & b_inf & eff_sub)) begin
      y_o = CanonicalNan;
    end else if (a_inf | b_inf) begin
      y_o = {big_sign, 8'hFF, 23'd0};  // an infinite operand is always the bigger one
    end
  end

endmodule
