// IEEE binary32 adder, pipelined: round to nearest even, subnormals in and out, canonical NaN,
// IEEE zeros. Stages (0..6) pipeline registers; lb_fp32_add is the combinational instance.
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
// Cut points, in datapath order: c0 after the magnitude compare and swap, c1 after the alignment
// shift, c2 after the significand add, then the rounder's three (after the leading-zero count,
// after the normalization shift, inside the rounding increment). Stages picks a subset (StageCuts, chosen from the measured delays of the
// pieces in docs/pipelining.md); the result appears Stages cycles after the operands.
module lb_fp32_add_pipe #(
  parameter int unsigned Stages = 0  // 0 .. 6
) (
  input  logic        clk_i,
  input  logic        v_i,  // a_i / b_i are valid (the cuts load only then: clock-gated)
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] y_o,
  output logic        v_o   // y_o is valid (v_i, Stages cycles later)
);

  localparam int unsigned ExpWidth = 12;
  localparam logic [31:0] CanonicalNan = 32'h7FC0_0000;
  // Bit k enables cut k: c0, c1, c2 of this module, then the rounder's cuts 0, 1, 2.
  function automatic int unsigned stage_cuts(int unsigned stages);
    case (stages)
      0:       stage_cuts = 32'b000000;
      1:       stage_cuts = 32'b000100;
      2:       stage_cuts = 32'b001010;
      3:       stage_cuts = 32'b001101;
      4:       stage_cuts = 32'b011011;
      5:       stage_cuts = 32'b011111;
      default: stage_cuts = 32'b111111;
    endcase
  endfunction
  localparam int unsigned Cuts = stage_cuts(Stages);

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
  assign {big_sign, big_exp, big_frac} = swap ? b_i : a_i;
  assign {small_exp, small_frac}       = swap ? a_i[30:0] : b_i[30:0];

  // Subnormals: hidden bit 0 and effective exponent 1 (not 0).
  logic [7:0]  big_exp_eff, exp_diff;  // exp_diff >= 0: big is not smaller
  logic [23:0] big_sig, small_sig;
  assign big_exp_eff   = (big_exp == 8'd0) ? 8'd1 : big_exp;
  assign big_sig       = {big_exp != 8'd0, big_frac};
  assign small_sig     = {small_exp != 8'd0, small_frac};
  // Both differences are formed beside the magnitude compare and selected by it (subtracting
  // after the swap put the compare, the swap and the subtractor in series).
  logic [7:0] a_exp_eff, b_exp_eff;
  assign a_exp_eff = (a_exp == 8'd0) ? 8'd1 : a_exp;
  assign b_exp_eff = (b_exp == 8'd0) ? 8'd1 : b_exp;
  assign exp_diff  = swap ? (b_exp_eff - a_exp_eff) : (a_exp_eff - b_exp_eff);

  // ---- Special operands: NaN propagates as the canonical NaN, inf - inf is invalid, an infinite
  // operand is always the bigger one. Decided here, applied after rounding (spec_* ride along).
  logic        eff_sub, zero_sign, spec;
  logic [31:0] spec_val;
  assign eff_sub   = a_sign ^ b_sign;
  assign zero_sign = a_sign & b_sign;  // the sign of an exact zero sum (see above)
  assign spec      = a_nan | b_nan | a_inf | b_inf;
  assign spec_val  = (a_nan | b_nan | (a_inf & b_inf & eff_sub)) ? CanonicalNan
                                                                   : {big_sign, 8'hFF, 23'd0};

  // ---- Cut c0 ------------------------------------------------------------------------------
  localparam int unsigned SideW = 33;  // {spec, spec_val}
  logic v1, v2, v3;  // valid after each cut
  logic [SideW-1:0] side1, side2;
  logic [23:0]      big_sig1, small_sig1;
  logic [7:0]       big_exp1, exp_diff1;
  logic             big_sign1, eff_sub1, zero_sign1;
  lb_vpipe #(
    .Width (SideW + 24 + 24 + 8 + 8 + 3),
    .Enable(Cuts[0])
  ) u_c0 (
    .clk_i,
    .v_i(v_i),
    .v_o(v1),
    .d_i({spec, spec_val, big_sig, small_sig, big_exp_eff, exp_diff, big_sign, eff_sub,
          zero_sign}),
    .q_o({side1, big_sig1, small_sig1, big_exp1, exp_diff1, big_sign1, eff_sub1, zero_sign1})
  );

  // ---- Align the smaller operand ----------------------------------------------------------
  logic [26:0] small_shifted;
  logic        small_sticky;
  logic [26:0] small_aligned;  // {significand, guard, round, sticky}
  lb_rshift_sticky #(
    .Width     (27),
    .ShiftWidth(8)
  ) u_align (
    .in_i    ({small_sig1, 3'b000}),
    .shamt_i (exp_diff1),
    .out_o   (small_shifted),
    .sticky_o(small_sticky)
  );
  assign small_aligned = {small_shifted[26:1], small_shifted[0] | small_sticky};

  // ---- Cut c1 ------------------------------------------------------------------------------
  logic [23:0] big_sig2;
  logic [26:0] small_aligned2;
  logic [7:0]  big_exp2;
  logic        big_sign2, eff_sub2, zero_sign2;
  lb_vpipe #(
    .Width (SideW + 24 + 27 + 8 + 3),
    .Enable(Cuts[1])
  ) u_c1 (
    .clk_i,
    .v_i(v1),
    .v_o(v2),
    .d_i({side1, big_sig1, small_aligned, big_exp1, big_sign1, eff_sub1, zero_sign1}),
    .q_o({side2, big_sig2, small_aligned2, big_exp2, big_sign2, eff_sub2, zero_sign2})
  );

  // ---- Add or subtract magnitudes ----------------------------------------------------------
  logic [27:0]                sum;
  logic                       sum_sign;
  logic signed [ExpWidth-1:0] sum_exp;
  assign sum = eff_sub2 ? ({1'b0, big_sig2, 3'b000} - {1'b0, small_aligned2})
                        : ({1'b0, big_sig2, 3'b000} + {1'b0, small_aligned2});
  // The sum is zero exactly when a subtraction cancels (equal magnitudes) or both are zero; the
  // comparison runs beside the adder instead of after it (a zero test of the sum was the critical
  // path of this stage).
  logic sum_zero;
  assign sum_zero = eff_sub2 ? ({big_sig2, 3'b000} == small_aligned2) : (big_sig2 == 24'd0);
  assign sum_sign = sum_zero ? zero_sign2 : big_sign2;
  assign sum_exp  = {4'd0, big_exp2} + 12'sd1;

  // ---- Cut c2 ------------------------------------------------------------------------------
  logic [27:0]                sum3;
  logic                       sum_sign3;
  logic signed [ExpWidth-1:0] sum_exp3;
  logic [SideW-1:0]           side3, side_out;
  lb_vpipe #(
    .Width (SideW + 28 + 1 + ExpWidth),
    .Enable(Cuts[2])
  ) u_c2 (
    .clk_i,
    .v_i(v2),
    .v_o(v3),
    .d_i({side2, sum, sum_sign, sum_exp}),
    .q_o({side3, sum3, sum_sign3, sum_exp3})
  );

  logic [31:0] rounded;
  lb_fp32_round #(
    .SigWidth(28),
    .ExpWidth(ExpWidth),
    .SideW   (SideW),
    .Cuts    (Cuts >> 3)
  ) u_round (
    .clk_i,
    .v_i     (v3),
    .sign_i  (sum_sign3),
    .exp_i   (sum_exp3),
    .sig_i   (sum3),
    .sticky_i(1'b0),
    .side_i  (side3),
    .y_o     (rounded),
    .side_o  (side_out),
    .v_o     (v_o)
  );

  assign y_o = side_out[32] ? side_out[31:0] : rounded;

endmodule
