// IEEE binary32 multiplier, pipelined: round to nearest even, subnormals in and out, canonical
// NaN. Stages (0..7) registers; lb_fp32_mul is the combinational instance.
//
// The 24x24-bit significand product is exact (48 bits); the shared rounder normalizes it (a
// subnormal operand leaves leading zeros), denormalizes when the result is tiny, and rounds once.
// With significands read as 1.23 fixed point the product is 2.46 fixed point, so its MSB (bit 47)
// is worth 2^(ea + eb - 254 + 1): the rounder's exp_i = ea + eb - 126, where ea, eb are the
// effective biased exponents (1 for subnormals). exp_i ranges over [-124, 382].
//
// Cut points: c0 .. c3 after each level of the partial-product tree (eight 24 x 3 products, then
// three levels of pairwise sums to the exact 48-bit product), then the rounder's three.
module lb_fp32_mul_pipe #(
  parameter int unsigned Stages = 0  // 0 .. 7
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
  // Bits 0 .. 3: c0 .. c3; bits 4, 5, 6: the rounder's cuts 0, 1, 2.
  function automatic int unsigned stage_cuts(int unsigned stages);
    case (stages)
      0:       stage_cuts = 32'b0000000;
      1:       stage_cuts = 32'b0000100;
      2:       stage_cuts = 32'b0010010;
      3:       stage_cuts = 32'b0010101;
      4:       stage_cuts = 32'b0110101;
      5:       stage_cuts = 32'b0111101;
      6:       stage_cuts = 32'b0111111;
      default: stage_cuts = 32'b1111111;
    endcase
  endfunction
  localparam int unsigned Cuts = stage_cuts(Stages);

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
  logic signed [ExpWidth-1:0] a_exp_eff, b_exp_eff, prod_exp;
  assign a_exp_eff = {4'd0, a_exp_zero ? 8'd1 : a_exp};
  assign b_exp_eff = {4'd0, b_exp_zero ? 8'd1 : b_exp};
  assign prod_exp  = a_exp_eff + b_exp_eff - 12'sd126;

  // ---- Special operands: NaN propagates as the canonical NaN, 0 * inf is invalid; decided here,
  // applied after rounding (zero operands give a zero product of the right sign through the
  // rounder).
  logic        sign, spec;
  logic [31:0] spec_val;
  assign sign     = a_sign ^ b_sign;
  assign spec     = a_nan | b_nan | a_inf | b_inf;
  assign spec_val = (a_nan | b_nan | (a_inf & b_zero) | (a_zero & b_inf)) ? CanonicalNan
                                                                          : {sign, 8'hFF, 23'd0};

  // ---- Exact product: eight 24 x 3 partial products summed by a binary tree -------------------
  // Level 0 is pp[i] = a * b[3i+2:3i] (27 bits, weight 2^(3i)); level l + 1 adds neighbours
  // pairwise (the upper one shifted by 3 * 2^l). Cuts c0 .. c3 follow levels 0 .. 3.
  localparam int unsigned SideW = 1 + 32 + 1 + ExpWidth;  // {spec, spec_val, sign, prod_exp}
  logic v1, v2, v3, v4;  // valid after each cut
  logic [8*27-1:0]  l0, l0q;
  logic [4*30-1:0]  l1, l1q;
  logic [2*36-1:0]  l2, l2q;
  logic [47:0]      l3, prod3;
  logic [SideW-1:0] side1, side2, side3, side4;
  for (genvar i = 0; i < 8; i++) begin : gen_l0
    assign l0[i*27 +: 27] = a_sig * b_sig[i*3 +: 3];
  end
  lb_vpipe #(
    .Width (8 * 27 + SideW),
    .Enable(Cuts[0])
  ) u_c0 (
    .clk_i,
    .v_i(v_i),
    .v_o(v1),
    .d_i({l0, spec, spec_val, sign, prod_exp}),
    .q_o({l0q, side1})
  );
  for (genvar i = 0; i < 4; i++) begin : gen_l1
    assign l1[i*30 +: 30] = {3'd0, l0q[(2*i)*27 +: 27]} + {l0q[(2*i+1)*27 +: 27], 3'd0};
  end
  lb_vpipe #(
    .Width (4 * 30 + SideW),
    .Enable(Cuts[1])
  ) u_c1 (
    .clk_i,
    .v_i(v1),
    .v_o(v2),
    .d_i({l1, side1}),
    .q_o({l1q, side2})
  );
  for (genvar i = 0; i < 2; i++) begin : gen_l2
    assign l2[i*36 +: 36] = {6'd0, l1q[(2*i)*30 +: 30]} + {l1q[(2*i+1)*30 +: 30], 6'd0};
  end
  lb_vpipe #(
    .Width (2 * 36 + SideW),
    .Enable(Cuts[2])
  ) u_c2 (
    .clk_i,
    .v_i(v2),
    .v_o(v3),
    .d_i({l2, side2}),
    .q_o({l2q, side3})
  );
  assign l3 = {12'd0, l2q[0 +: 36]} + {l2q[36 +: 36], 12'd0};
  lb_vpipe #(
    .Width (48 + SideW),
    .Enable(Cuts[3])
  ) u_c3 (
    .clk_i,
    .v_i(v3),
    .v_o(v4),
    .d_i({l3, side3}),
    .q_o({prod3, side4})
  );

  logic                       sign2;
  logic signed [ExpWidth-1:0] prod_exp2;
  logic [32:0]                spec2, spec_out;
  logic [31:0]                rounded;
  assign {spec2, sign2, prod_exp2} = side4;
  lb_fp32_round #(
    .SigWidth(48),
    .ExpWidth(ExpWidth),
    .SideW   (33),
    .Cuts    (Cuts >> 4)
  ) u_round (
    .clk_i,
    .v_i     (v4),
    .sign_i  (sign2),
    .exp_i   (prod_exp2),
    .sig_i   (prod3),
    .sticky_i(1'b0),
    .side_i  (spec2),
    .y_o     (rounded),
    .side_o  (spec_out),
    .v_o     (v_o)
  );

  assign y_o = spec_out[32] ? spec_out[31:0] : rounded;

endmodule
