// Per-group dequantization, DqLanes lanes wide and pipelined: out += float(S) * scale (FP32, RNE)
// and, on the output's last group, O = out * act_scale, in the order of model/kernels/dequant.h.
//
// The M x N accumulators of one group are walked in chunks of DqLanes lanes of one row (DqLanes
// divides N): chunk (row_i, col_i) covers lanes j = col_i * DqLanes + d. S is the group's exact
// integer sum of a * w. With symmetrized weights the array accumulates acc' = sum a * q'
// (q' = 2u - (2^b - 1)); w = u - z (z = lb_weight_pkg::weight_offset) gives
// S = (acc' + c * sum(a)) / 2 with c = 2^b - 1 - 2z (acc' + c * sum(a) is always even, so the
// shift is exact): ternary z = 1, signed z = 2^(b-1), unsigned z from the port; binary weights
// (lb_weight_pkg::weight_doubles: w = 2u - 1) are q' themselves, S = acc'.
//
// Pipeline of one chunk (Stages = S; every depth is a parameter of the same description, S = 0 is
// the whole chain in the fire cycle):
//   select (acc', sum(a), zero, scale of the chunk) | i0 | c * sum(a) as 5- and 4-bit products,
//   scale to FP32 | i1 | two sums | i2 | acc' + c * sum(a), >> 1 | i3 | int -> FP32 (min(S, 4)
//   stages) | b0 | * scale (min(S, 7)) | b1 | + out (min(S, 6)) | b2 | * act_scale (min(S, 7))
// where | i0 |, | i1 |, | i2 |, | i3 | are registers when S >= 1, 4, 2, 3 (i2 before i1: the
// product is split only at the deepest settings), and the boundary registers | b0 |,
// | b1 |, | b2 | between the FP32 units when S >= 4 (each unit's last stage would otherwise run into
// the next unit's first in one cycle). c = 2^b - 1 - 2z is a 10-bit
// signed number for every b <= 7 and 8-bit z, so c * sum(a) is a 10 x AccW product. The output accumulators are read at
// the adder's input and written at its output (groups other than the block's last); a block's first
// group adds to +0 instead of reading them. A chunk of the block's last group does not write back:
// its O lanes leave on land_* (Lfin = LatRead + LatAdd + LatFin cycles after its fire), and the tile
// stores them in the output register. The tile keeps the same chunk of two consecutive groups at
// least LatAdd + 1 cycles apart (the read of the later one then sees the write of the earlier one).
module lut_dequant #(
  parameter int unsigned M       = 2,
  parameter int unsigned N       = 64,
  parameter int unsigned AccW    = 64,
  parameter int unsigned DqLanes = 16,
  parameter int unsigned Stages  = 0
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  fire_i,       // dequantize chunk (row_i, col_i) this cycle
  input  logic                  first_i,      // ... of the block's first group (adds to +0)
  input  logic                  last_i,       // ... of the block's last group (lands O)
  input  logic                  final_i,      // ... and it is the group's final chunk
  input  logic [7:0]            row_i,
  input  logic [7:0]            col_i,
  input  lb_weight_pkg::weight_kind_t kind_i, // WkBinary, WkTernary, WkSigned, WkUnsigned
  input  logic [2:0]            bits_i,       // weight bits b (1..4; 5: FP4 planes)
  input  logic [1:0]            wfp_i,        // weight format of the scale field (lb_wscale)
  input  logic [M*N*AccW-1:0]   acc_i,        // acc' per lane
  input  logic [M*AccW-1:0]     suma_i,       // sum(a) of the group per row
  input  logic [N*8-1:0]        zero_i,       // zero point per column (unsigned kind)
  input  logic [N*16-1:0]       scale_i,      // FP16 group scale per column
  input  logic [M*32-1:0]       act_scale_i,  // FP32 activation scale per row
  output logic                  land_o,       // a last-group chunk's O lanes are on land_data_o
  output logic                  land_final_o, // ... and it is the block's final chunk
  output logic [7:0]            land_row_o,
  output logic [7:0]            land_col_o,
  output logic [DqLanes*32-1:0] land_data_o
);

  // Latencies (the SystemC model's LutcoreParams::dequant_* compute the same numbers).
  localparam int unsigned LatI0  = (Stages >= 1) ? 1 : 0;
  localparam int unsigned LatI1  = (Stages >= 4) ? 1 : 0;
  localparam int unsigned LatI2  = (Stages >= 2) ? 1 : 0;
  localparam int unsigned LatI3  = (Stages >= 3) ? 1 : 0;
  localparam int unsigned LatCvt = (Stages < 4) ? Stages : 4;
  localparam int unsigned LatMul = (Stages < 7) ? Stages : 7;
  localparam int unsigned LatAdd = (Stages < 6) ? Stages : 6;
  localparam int unsigned LatFin = LatMul;
  localparam int unsigned LatBnd = (Stages >= 4) ? 1 : 0;  // each of b0, b1, b2
  localparam int unsigned LatRead = LatI0 + LatI1 + LatI2 + LatI3 + LatCvt + LatMul + 2 * LatBnd;
  localparam int unsigned LatWb   = LatRead + LatAdd;                   // fire -> write-back
  localparam int unsigned LatAll  = LatWb + LatBnd + LatFin;            // fire -> land
  // Chunk control: {first, last, final, row, col, act_scale}.
  localparam int unsigned CtlW = 3 + 8 + 8 + 32;

  // ---- Valid bits of the chunks in flight (with reset) -----------------------------------------
  // v[i] is the fire of i cycles ago (v[0] = fire_i).
  logic [LatAll:0] v;
  assign v[0] = fire_i;
  if (LatAll > 0) begin : gen_v
    logic [LatAll-1:0] v_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) v_q <= '0;
      else         v_q <= v[LatAll-1:0];
    end
    assign v[LatAll:1] = v_q;
  end
  logic v_wb, v_land;
  assign v_wb   = v[LatWb];
  assign v_land = v[LatAll];

  // ---- Chunk selection (fire cycle) ------------------------------------------------------------
  logic [AccW-1:0] suma;
  logic [31:0]     act_scale;
  assign suma      = suma_i[row_i*AccW +: AccW];
  assign act_scale = act_scale_i[row_i*32 +: 32];

  logic [CtlW-1:0] ctl0, ctl_add, ctl_wb, ctl_land;
  assign ctl0 = {first_i, last_i, final_i, row_i, col_i, act_scale};
  // Every data register below loads only in the cycles its chunk is there (lb_vpipe, lb_vdelay
  // and the FP32 units' valid inputs, from fire_i), so the synthesis flow clock-gates the lanes:
  // they are clocked for the fired chunks, not in every cycle.
  logic unused_v_ca, unused_v_cw, unused_v_cl, unused_v_asb;
  lb_vdelay #(.Width(CtlW), .Depth(LatRead)) u_ctl_add (
    .clk_i, .v_i(v[0]), .d_i(ctl0), .v_o(unused_v_ca), .q_o(ctl_add)
  );
  lb_vdelay #(.Width(CtlW), .Depth(LatAdd)) u_ctl_wb (
    .clk_i, .v_i(v[LatRead]), .d_i(ctl_add), .v_o(unused_v_cw), .q_o(ctl_wb)
  );
  lb_vdelay #(.Width(CtlW), .Depth(LatBnd + LatFin)) u_ctl_land (
    .clk_i, .v_i(v[LatWb]), .d_i(ctl_wb), .v_o(unused_v_cl), .q_o(ctl_land)
  );

  logic        add_first, wb_last, land_last, land_final;
  logic [7:0]  add_row, add_col, wb_row, wb_col, land_row, land_col;
  logic [31:0] wb_act_scale, fin_act_scale, unused_act_scale_a, unused_act_scale_l;
  logic        unused_ctl;
  assign {add_first, unused_ctl_a0, unused_ctl_a1, add_row, add_col, unused_act_scale_a} = ctl_add;
  assign {unused_ctl_w0, wb_last, unused_ctl_w1, wb_row, wb_col, wb_act_scale} = ctl_wb;
  assign {unused_ctl_l0, land_last, land_final, land_row, land_col, unused_act_scale_l} = ctl_land;
  logic unused_ctl_a0, unused_ctl_a1, unused_ctl_w0, unused_ctl_w1, unused_ctl_l0;
  assign unused_ctl = unused_ctl_a0 ^ unused_ctl_a1 ^ unused_ctl_w0 ^ unused_ctl_w1 ^
                      unused_ctl_l0 ^ (^unused_act_scale_a) ^ (^unused_act_scale_l);

  lb_vpipe #(.Width(32), .Enable(LatBnd != 0)) u_act_scale_b2 (
    .clk_i, .v_i(v[LatWb]), .d_i(wb_act_scale), .v_o(unused_v_asb), .q_o(fin_act_scale)
  );

  logic [M*N*32-1:0]     out_q;
  logic [DqLanes*32-1:0] wb_sum, land_res;

  for (genvar d = 0; d < DqLanes; d++) begin : gen_lane
    logic [31:0]     col;
    logic [AccW-1:0] acc;
    logic [7:0]      z;
    logic [9:0]      c;
    assign col = {24'd0, col_i} * DqLanes + d;
    assign acc = acc_i[(({24'd0, row_i} * N + col) * AccW) +: AccW];
    assign z   = zero_i[col*8 +: 8];

    // c = 2^b - 1 - 2 * offset with lb_weight_pkg's offset of the kind (ternary 1, signed
    // 2^(b-1): c = -1, unsigned z); a doubling kind (binary) has w = q' and no c (S = acc').
    logic [9:0] off;
    assign off = {2'd0, lb_weight_pkg::weight_offset(kind_i, {1'b0, bits_i}, z)};
    assign c   = lb_weight_pkg::weight_doubles(kind_i) ? '0 :
                 ((10'd1 << bits_i) - 10'd1) - (off << 1);

    // ---- i0 ----
    logic [AccW-1:0] acc1, suma1, acc2, acc3, sum2, carry2, s, s4;
    logic [9:0]      c1;
    logic            binary1, binary2, binary3;
    logic [15:0]     scale16_1;
    logic [1:0]      wfp1;
    logic [31:0]     scale, scale_2, scale_3, scale_4, scale_mul;
    logic            vi0, vi1, vi2, vi3, vc, vb0, vm, vb1, va, vb2, unused_v_sd, unused_v_fin;
    lb_vpipe #(
      .Width (2 * AccW + 10 + 1 + 16 + 2),
      .Enable(LatI0 != 0)
    ) u_i0 (
      .clk_i,
      .v_i(v[0]),
      .v_o(vi0),
      .d_i({acc, c, suma, lb_weight_pkg::weight_doubles(kind_i), scale_i[col*16 +: 16], wfp_i}),
      .q_o({acc1, c1, suma1, binary1, scale16_1, wfp1})
    );

    // ---- i1: acc' + c * sum(a) as eleven addends reduced to two by carry-save adders, modulo
    // 2^AccW like the accumulators. c is two's complement: c * sum(a) = sum_i<9 c[i] (sum(a) << i)
    // - c[9] (sum(a) << 9), and the negative term is ~(sum(a) << 9) + 1, its +1 placed in bit 0
    // of the c[1] addend (always 0 there). Five 3:2 levels, no carry chain: the one carry-propagate
    // add is the next stage's. The FP16 scale is converted beside them.
    logic [AccW-1:0] t[10];
    for (genvar i = 0; i < 9; i++) begin : gen_term
      logic [AccW-1:0] shifted;
      assign shifted = suma1 << i;
      if (i == 1) begin : gen_neg_one
        assign t[i] = (c1[i] ? shifted : '0) | {{(AccW - 1) {1'b0}}, c1[9]};
      end else begin : gen_plain
        assign t[i] = c1[i] ? shifted : '0;
      end
    end
    assign t[9] = c1[9] ? ~(suma1 << 9) : '0;
    logic [AccW-1:0] l1s[3], l1c[3], l2s[2], l2c[2], l3s[2], l3c[2], l4s, l4c, sum1, carry1;
    for (genvar i = 0; i < 3; i++) begin : gen_l1
      lb_csa #(.Width(AccW)) u_csa (
        .a_i(t[3*i]), .b_i(t[3*i+1]), .c_i(t[3*i+2]), .sum_o(l1s[i]), .carry_o(l1c[i])
      );
    end
    lb_csa #(.Width(AccW)) u_l2a (.a_i(l1s[0]), .b_i(l1c[0]), .c_i(l1s[1]), .sum_o(l2s[0]), .carry_o(l2c[0]));
    lb_csa #(.Width(AccW)) u_l2b (.a_i(l1c[1]), .b_i(l1s[2]), .c_i(l1c[2]), .sum_o(l2s[1]), .carry_o(l2c[1]));
    lb_csa #(.Width(AccW)) u_l3a (.a_i(l2s[0]), .b_i(l2c[0]), .c_i(l2s[1]), .sum_o(l3s[0]), .carry_o(l3c[0]));
    lb_csa #(.Width(AccW)) u_l3b (.a_i(l2c[1]), .b_i(t[9]), .c_i(acc1), .sum_o(l3s[1]), .carry_o(l3c[1]));
    lb_csa #(.Width(AccW)) u_l4 (.a_i(l3s[0]), .b_i(l3c[0]), .c_i(l3s[1]), .sum_o(l4s), .carry_o(l4c));
    lb_csa #(.Width(AccW)) u_l5 (.a_i(l4s), .b_i(l4c), .c_i(l3c[1]), .sum_o(sum1), .carry_o(carry1));
    lb_wscale u_scale (
      .wfp_i  (wfp1),
      .field_i(scale16_1),
      .y_o    (scale)
    );
    lb_vpipe #(
      .Width (3 * AccW + 1 + 32),
      .Enable(LatI1 != 0)
    ) u_i1 (
      .clk_i,
      .v_i(vi0),
      .v_o(vi1),
      .d_i({acc1, sum1, carry1, binary1, scale}),
      .q_o({acc2, sum2, carry2, binary2, scale_2})
    );

    // ---- i2: the carry-propagate add: twice_s = acc' + c * sum(a) ----
    logic [AccW-1:0] twice_s, twice_s3;
    assign twice_s = sum2 + carry2;
    lb_vpipe #(
      .Width (2 * AccW + 1 + 32),
      .Enable(LatI2 != 0)
    ) u_i2 (
      .clk_i,
      .v_i(vi1),
      .v_o(vi2),
      .d_i({twice_s, acc2, binary2, scale_2}),
      .q_o({twice_s3, acc3, binary3, scale_3})
    );

    // The table holds doubled values: S = (acc' + c * sum(a)) / 2; binary weights: S = acc'.
    assign s = binary3 ? acc3 : {twice_s3[AccW-1], twice_s3[AccW-1:1]};

    // ---- i3 ----
    lb_vpipe #(
      .Width (AccW + 32),
      .Enable(LatI3 != 0)
    ) u_i3 (
      .clk_i,
      .v_i(vi2),
      .v_o(vi3),
      .d_i({s, scale_3}),
      .q_o({s4, scale_4})
    );

    logic [31:0] s32, s32_b, prod, prod_b, sum32, sum32_b, res, out_old, addend;
    lb_int_to_fp32_pipe #(
      .Width (AccW),
      .Stages(LatCvt)
    ) u_cvt (
      .clk_i,
      .v_i(vi3),
      .a_i(s4),
      .y_o(s32),
      .v_o(vc)
    );
    lb_vdelay #(.Width(32), .Depth(LatCvt + LatBnd)) u_scale_dly (
      .clk_i, .v_i(vi3), .d_i(scale_4), .v_o(unused_v_sd), .q_o(scale_mul)
    );
    lb_vpipe #(.Width(32), .Enable(LatBnd != 0)) u_b0 (
      .clk_i, .v_i(vc), .d_i(s32), .v_o(vb0), .q_o(s32_b)
    );
    lb_fp32_mul_pipe #(
      .Stages(LatMul)
    ) u_mul (
      .clk_i,
      .v_i(vb0),
      .a_i(s32_b),
      .b_i(scale_mul),
      .y_o(prod),
      .v_o(vm)
    );
    lb_vpipe #(.Width(32), .Enable(LatBnd != 0)) u_b1 (
      .clk_i, .v_i(vm), .d_i(prod), .v_o(vb1), .q_o(prod_b)
    );

    // The adder reads this lane's accumulator of the chunk now at its input.
    assign out_old = out_q[(({24'd0, add_row} * N + {24'd0, add_col} * DqLanes + d) * 32) +: 32];
    assign addend  = add_first ? 32'd0 : out_old;
    lb_fp32_add_pipe #(
      .Stages(LatAdd)
    ) u_add (
      .clk_i,
      .v_i(vb1),
      .a_i(addend),
      .b_i(prod_b),
      .y_o(sum32),
      .v_o(va)
    );
    lb_vpipe #(.Width(32), .Enable(LatBnd != 0)) u_b2 (
      .clk_i, .v_i(va), .d_i(sum32), .v_o(vb2), .q_o(sum32_b)
    );
    lb_fp32_mul_pipe #(
      .Stages(LatFin)
    ) u_fin (
      .clk_i,
      .v_i(vb2),
      .a_i(sum32_b),
      .b_i(fin_act_scale),
      .y_o(res),
      .v_o(unused_v_fin)
    );
    assign wb_sum[d*32 +: 32]   = sum32;
    assign land_res[d*32 +: 32] = res;
  end

  // ---- Write-back: lane l = i * N + j belongs to chunk (i, j / DqLanes) at position j % DqLanes.
  logic [M*N*32-1:0] out_d;
  always_comb begin
    out_d = out_q;
    for (int unsigned l = 0; l < M * N; l++) begin
      if (v_wb && !wb_last && {24'd0, wb_row} == l / N && {24'd0, wb_col} == (l % N) / DqLanes) begin
        out_d[l*32 +: 32] = wb_sum[((l % N) % DqLanes)*32 +: 32];
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) out_q <= '0;
    else         out_q <= out_d;
  end

  assign land_o       = v_land && land_last;
  assign land_final_o = land_final;
  assign land_row_o   = land_row;
  assign land_col_o   = land_col;
  assign land_data_o  = land_res;

endmodule
