// Normalize, round (to nearest, ties to even) and pack an exact-ish significand into IEEE binary32.
//
// The shared back end of lb_fp32_add, lb_fp32_mul and lb_int_to_fp32. The caller hands over
//   value = (-1)^sign_i * (sig_i / 2^(SigWidth-1)) * 2^(exp_i - 127)   plus a sticky bit,
// i.e. exp_i is the biased exponent the result would have if sig_i's MSB were set, and sticky_i is
// the OR of any nonzero bits the caller already dropped below sig_i's LSB. sig_i need not be
// normalized: the leading zero count moves the leading one to the top. sig_i == 0 means an exact
// zero (sticky_i is then ignored) and gives a zero of sign sign_i.
//
// Three cases, chosen by where the leading one would land relative to the normal range:
//   1. exp_i - lz >= 1: normal. Shift left by lz; biased exponent exp_i - lz.
//   2. exp_i >= 1 but exp_i - lz < 1: subnormal. Shift left only by exp_i - 1, so the top bit
//      (the hidden-bit position, worth 2^-126) holds a zero; exponent field 0.
//   3. exp_i < 1: subnormal or zero. Shift right by 1 - exp_i, collecting the lost bits as sticky.
// Rounding adds 1 at the LSB of the packed {exponent, fraction} when guard & (sticky | lsb). The
// carry out of the fraction increments the exponent, which handles the three boundary cases with
// no extra logic: subnormal -> min normal (0x007FFFFF + 1 = 0x00800000), 1.11..1 * 2^e -> 2^(e+1),
// and max finite -> infinity (0x7F7FFFFF + 1 = 0x7F800000). Results of biased exponent >= 255
// before rounding overflow to infinity (round to nearest never saturates to max finite).
//
// Pipelining: three optional cuts (lb_vpipe), Cuts[0] after the leading-zero count and the
// exponent cases, Cuts[1] after the normalization shifts, Cuts[2] inside the rounding increment
// (after its low 16 bits); the latency is the number of cuts set, and side_i (the caller's
// special-case flags) travels through the same registers to side_o. The cuts load only in the
// cycles v_i marks valid (clock-gated in synthesis); v_o is v_i after the same latency.
module lb_fp32_round #(
  parameter int unsigned SigWidth = 28,    // >= 24: at least a full binary32 significand
  parameter int unsigned ExpWidth = 12,    // signed exp_i width; must hold exp_i and exp_i - SigWidth
  parameter int unsigned SideW    = 1,     // bits carried alongside (latency-matched)
  parameter int unsigned Cuts     = 0      // pipeline registers: bits 0, 1, 2 (see above)
) (
  input  logic                       clk_i,   // used only when Cuts != 0
  input  logic                       v_i,     // the inputs are valid (lb_vpipe: gates the cuts)
  input  logic                       sign_i,
  input  logic signed [ExpWidth-1:0] exp_i,
  input  logic [SigWidth-1:0]        sig_i,
  input  logic                       sticky_i,
  input  logic [SideW-1:0]           side_i,
  output logic [31:0]                y_o,
  output logic [SideW-1:0]           side_o,
  output logic                       v_o      // y_o / side_o are valid (v_i, latency later)
);

  // Two zero bits below sig_i guarantee a guard bit and one sticky position even when
  // SigWidth == 24, so the field positions below are the same for every SigWidth.
  localparam int unsigned Width      = SigWidth + 2;
  localparam int unsigned CntWidth   = $clog2(Width + 1);
  localparam int unsigned ShiftWidth = CntWidth;
  localparam int unsigned IntWidth   = ExpWidth + 2;  // internal signed exponent arithmetic

  localparam logic [ShiftWidth-1:0] MaxShift = Width[ShiftWidth-1:0];
  localparam logic signed [IntWidth-1:0] MaxShiftS = {{(IntWidth - ShiftWidth){1'b0}}, MaxShift};
  localparam logic signed [IntWidth-1:0] ExpOne = {{(IntWidth - 1){1'b0}}, 1'b1};
  localparam logic signed [IntWidth-1:0] ExpInf = {{(IntWidth - 8){1'b0}}, 8'd255};

  logic [Width-1:0] sig;
  assign sig = {sig_i, 2'b00};

  // ---- Leading zero count and the exponent after full normalization ----------------------
  logic [CntWidth-1:0] lz;
  logic                sig_zero;
  lb_lzc #(
    .Width(Width)
  ) u_lzc (
    .in_i  (sig),
    .cnt_o (lz),
    .zero_o(sig_zero)
  );

  logic signed [IntWidth-1:0] exp_in;    // exp_i sign-extended
  logic signed [IntWidth-1:0] lz_s;
  logic signed [IntWidth-1:0] exp_norm;  // exponent if the leading one moves to the top
  logic signed [IntWidth-1:0] exp_m1;    // exp_i - 1: left shift that lands on exponent 1
  logic signed [IntWidth-1:0] exp_rsh;   // 1 - exp_i: right shift that lands on exponent 1
  assign exp_in   = {{2{exp_i[ExpWidth-1]}}, exp_i};
  assign lz_s     = {{(IntWidth - CntWidth){1'b0}}, lz};
  assign exp_norm = exp_in - lz_s;
  assign exp_m1   = exp_in - ExpOne;
  assign exp_rsh  = ExpOne - exp_in;

  logic is_normal;    // case 1
  logic is_rshift;    // case 3
  // exp_i - lz >= 1 is tested as exp_i - 1 >= lz: exp_m1 is ready when the count is, so the
  // shift amount does not wait for the exp_norm subtraction.
  assign is_normal = (exp_m1 >= lz_s);
  assign is_rshift = (exp_in < ExpOne);

  // ---- Normalization shifts ----------------------------------------------------------------
  logic [ShiftWidth-1:0] lshamt;
  logic [ShiftWidth-1:0] rshamt;
  always_comb begin
    // Case 2 shifts by exp_i - 1, which is then known to lie in [0, lz).
    lshamt = is_normal ? lz : exp_m1[ShiftWidth-1:0];
    // Case 3: everything beyond Width positions only feeds the sticky bit.
    rshamt = (exp_rsh > MaxShiftS) ? MaxShift : exp_rsh[ShiftWidth-1:0];
  end

  // ---- Cut 0 -------------------------------------------------------------------------------
  localparam int unsigned P0W = 1 + Width + 2 * ShiftWidth + 4 + 8 + SideW;
  logic                  v1, v2;  // valid after cuts 0 and 1
  logic [Width-1:0]      sig1;
  logic [ShiftWidth-1:0] lshamt1, rshamt1;
  logic                  sign1, rshift1, zero1, sticky_in1, overflow, overflow1;
  logic [7:0]            exp_field, exp_field1;
  logic [SideW-1:0]      side1;
  assign exp_field = is_normal ? exp_norm[7:0] : 8'd0;
  assign overflow  = is_normal & (exp_norm >= ExpInf);
  lb_vpipe #(
    .Width (P0W),
    .Enable(Cuts[0])
  ) u_cut0 (
    .clk_i,
    .v_i(v_i),
    .v_o(v1),
    .d_i({sign_i, sig, lshamt, rshamt, is_rshift, sig_zero, sticky_i, exp_field,
          side_i, overflow}),
    .q_o({sign1, sig1, lshamt1, rshamt1, rshift1, zero1, sticky_in1, exp_field1,
          side1, overflow1})
  );
  logic [Width-1:0] sig_left;
  logic [Width-1:0] sig_right;
  logic             right_sticky;
  assign sig_left = sig1 << lshamt1;
  lb_rshift_sticky #(
    .Width     (Width),
    .ShiftWidth(ShiftWidth)
  ) u_denorm (
    .in_i    (sig1),
    .shamt_i (rshamt1),
    .out_o   (sig_right),
    .sticky_o(right_sticky)
  );

  // sig_n: bit Width-1 is the hidden bit (1 only in case 1), then 23 fraction bits, the guard
  // bit, and the rest, which only matters through its OR.
  logic [Width-1:0] sig_n;
  logic [22:0]      frac;
  logic             guard;
  logic             sticky;
  assign sig_n  = rshift1 ? sig_right : sig_left;
  assign frac   = sig_n[Width-2 -: 23];
  assign guard  = sig_n[Width-25];
  assign sticky = |sig_n[Width-26:0] | (rshift1 & right_sticky) | sticky_in1;

  // ---- Cut 1 -------------------------------------------------------------------------------
  logic [22:0] frac2;
  logic        sign2, guard2, sticky2, zero2, overflow2;
  logic [7:0]  exp_field2;
  lb_vpipe #(
    .Width (23 + 5 + 8 + SideW),
    .Enable(Cuts[1])
  ) u_cut1 (
    .clk_i,
    .v_i(v1),
    .v_o(v2),
    .d_i({sign1, frac, guard, sticky, zero1, overflow1, exp_field1, side1}),
    .q_o({sign2, frac2, guard2, sticky2, zero2, overflow2, exp_field2, side2})
  );

  // ---- Round to nearest, ties to even, and pack -------------------------------------------
  // The increment of {exponent, fraction} is split at bit 16 so that Cuts[2] can register the
  // carry between the halves (a 31-bit increment is one stage's worth of delay on its own).
  logic [SideW-1:0] side2;
  logic             round_up;
  logic [16:0]      low;
  assign round_up = guard2 & (sticky2 | frac2[0]);
  assign low      = {1'b0, frac2[15:0]} + {16'd0, round_up};

  // ---- Cut 2 -------------------------------------------------------------------------------
  logic        sign3, zero3, overflow3;
  logic [14:0] high3;  // {exponent, fraction[22:16]}
  logic [16:0] low3;
  lb_vpipe #(
    .Width (3 + 15 + 17 + SideW),
    .Enable(Cuts[2])
  ) u_cut2 (
    .clk_i,
    .v_i(v2),
    .v_o(v_o),
    .d_i({sign2, zero2, overflow2, exp_field2, frac2[22:16], low, side2}),
    .q_o({sign3, zero3, overflow3, high3, low3, side_o})
  );

  logic [30:0] packed_rounded;
  assign packed_rounded = {high3 + {14'd0, low3[16]}, low3[15:0]};

  always_comb begin
    y_o = {sign3, packed_rounded};
    if (zero3) begin
      y_o = {sign3, 31'd0};
    end else if (overflow3) begin
      y_o = {sign3, 8'hFF, 23'd0};
    end
  end

  // Only the low byte of the exponent is packed; the high bits are covered by is_normal and
  // overflow. The low ShiftWidth bits of exp_m1/exp_rsh feed the shifters.
  logic unused_exp_bits;
  assign unused_exp_bits = ^{exp_m1[IntWidth-1:ShiftWidth]};

endmodule
