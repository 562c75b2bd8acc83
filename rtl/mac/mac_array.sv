// Dequantize-then-MAC baseline array: R x C output-stationary MAC PEs behind per-column weight
// dequantizers (what a conventional tensor core does), with mixpe_array's ports, control and timing.
//
// Each x beat is one K step: the weight code of column c is first dequantized (mac_wdeq: to a 9-bit
// integer for INT8 tiles, to FP16 with the group scale for FP16 tiles; the activations wait beside
// it) and then multiplied on a real multiplier in every PE of the column. Broadcast (Systolic = 0)
// or systolic (Systolic = 1: row r skewed by r registers and column c by c after one input
// register, then one register per PE hop, activations right and weights down; docs/mac.md). After a
// group the drain applies the per-group FP32 dequant (INT8) or adds the FP32 partial sum (FP16),
// one row per cycle, exactly like mixpe_array (lb_pe_array_dq, DqStages); the tile's last group
// leaves the results times the row's activation scale in the output buffer.
module mac_array #(
  parameter int unsigned Rows = 8,  // 1 .. 64
  parameter int unsigned Cols = 8,  // 1 .. 64
  parameter int unsigned Fp16 = 1,  // 1: FP16 x FP16 -> FP32 datapath present
  parameter int unsigned Systolic = 0,  // 1: operands pass PE to PE through registers
  parameter int unsigned PeStages = 0,  // 0 .. 1: register between a PE's product and its add
  parameter int unsigned DqStages = 0   // 0 .. 6: pipeline of the weight dequant and the drain
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 t_valid_i,
  output logic                 t_ready_o,
  input  logic                 t_fp16_i,
  input  logic [1:0]           t_kind_i,
  input  logic [3:0]           t_bits_i,
  input  logic [1:0]           t_wfp_i,  // weight codec: 0 integer codes, 1 fp4_e2m1, 2/3 mxfp4
  input  logic [15:0]          t_k_i,
  input  logic [15:0]          t_group_i,
  input  logic [Rows*32-1:0]   t_act_scale_i,
  input  logic                 g_valid_i,
  output logic                 g_ready_o,
  input  logic [Cols*16-1:0]   g_scale_i,
  input  logic [Cols*8-1:0]    g_zero_i,
  input  logic                 x_valid_i,
  output logic                 x_ready_o,
  input  logic [Rows*16-1:0]   x_act_i,
  input  logic [Cols*8-1:0]    x_w_i,
  output logic                 o_valid_o,
  input  logic                 o_ready_i,
  output logic                 o_last_o,
  output logic [Cols*32-1:0]   o_data_o
);

  localparam int unsigned RowAcc = Cols * 32;  // bits of one row of PE sums
  // Latencies (docs/mac.md): the weight dequantizer (the activations wait as long), registers from
  // there to PE (0, 0), a group's last step to its shadows complete; the drain as mixpe_array.
  localparam int unsigned DqP     = (DqStages > 0) ? 1 : 0;
  localparam int unsigned DqSi    = (DqStages > 4) ? 4 : DqStages;
  localparam int unsigned DqSm    = (DqStages > 6) ? 6 : DqStages;
  localparam int unsigned WdqLat  = DqSm + 2 * DqP;
  localparam int unsigned InLat   = Systolic;
  localparam int unsigned FillLat = WdqLat + InLat + ((Systolic != 0) ? Cols - 1 : 0) + PeStages;
  localparam int unsigned AddAt   = 5 * DqP + DqSi + DqSm;
  localparam int unsigned MulAt   = AddAt + DqSm + DqP;
  localparam int unsigned DqLat   = MulAt + DqSm;

  logic               step, grp_last, fp16, drain, drain_last, sh_fp16;
  logic [1:0]         kind, sh_kind;
  logic [3:0]         bits, sh_bits;
  logic [1:0]         wfp, sh_wfp;
  logic [Cols*16-1:0] scale, sh_scale;
  logic [Cols*8-1:0]  zero, sh_zero;
  logic [7:0]         drain_row, out_row;
  logic [31:0]        drain_scale;

  lb_pe_array_ctrl #(
    .Rows   (Rows),
    .Cols   (Cols),
    .FillLat(FillLat),
    .DqLat  (DqLat),
    .DqGap  (DqLat - AddAt)
  ) u_ctrl (
    .clk_i,
    .rst_ni,
    .t_valid_i,
    .t_ready_o,
    .t_fp16_i,
    .t_kind_i,
    .t_bits_i,
    .t_wfp_i,
    .t_k_i,
    .t_group_i,
    .t_act_scale_i,
    .g_valid_i,
    .g_ready_o,
    .g_scale_i,
    .g_zero_i,
    .x_valid_i,
    .x_ready_o,
    .o_valid_o,
    .o_ready_i,
    .o_last_o,
    .step_o      (step),
    .grp_last_o  (grp_last),
    .fp16_o      (fp16),
    .kind_o      (kind),
    .bits_o      (bits),
    .wfp_o       (wfp),
    .scale_o     (scale),
    .zero_o      (zero),
    .drain_o     (drain),
    .drain_last_o(drain_last),
    .drain_row_o (drain_row),
    .sh_fp16_o   (sh_fp16),
    .sh_kind_o   (sh_kind),
    .sh_bits_o   (sh_bits),
    .sh_wfp_o    (sh_wfp),
    .sh_scale_o  (sh_scale),
    .sh_zero_o   (sh_zero),
    .drain_scale_o(drain_scale),
    .out_row_o   (out_row)
  );

  logic unused_ctrl;
  assign unused_ctrl = (^sh_kind) ^ (^sh_bits) ^ (^sh_zero);

  // ---- Weight dequantizers, one per column; activations and step flags wait beside them --------
  // An INT8-only array (Fp16 = 0) carries only what its PEs use: the INT8 activation and the
  // integer weight (8 + 3 and 9 bits per hop instead of 16 + 3 and 9 + 16), and its weight
  // dequantizers have no FP16 path.
  localparam int unsigned ActW = (Fp16 != 0) ? 16 : 8;
  localparam int unsigned RowB = ActW + 3;                // {step, group end, fp16, activation}
  localparam int unsigned ColB = (Fp16 != 0) ? 9 + 16 : 9;  // {integer weight, FP16 weight}
  logic [Rows*RowB-1:0] row_b;        // what enters column 0 of each row
  logic [Cols*ColB-1:0] col_b;        // what enters row 0 of each column
  for (genvar c = 0; c < Cols; c++) begin : gen_wdeq
    logic [8:0]  w_int;
    logic [15:0] w16;
    mac_wdeq #(
      .Fp16  (Fp16),
      .Stages(DqStages)
    ) u_wdeq (
      .clk_i,
      .kind_i (kind),
      .bits_i (bits),
      .wfp_i  (wfp),
      .code_i (x_w_i[c*8+:8]),
      .zero_i (zero[c*8+:8]),
      .scale_i(scale[c*16+:16]),
      .w_o    (w_int),
      .w16_o  (w16)
    );
    lb_delay #(
      .Width(ColB),
      .Depth((Systolic != 0) ? InLat + c : 0)
    ) u_skew (
      .clk_i,
      .d_i(ColB'({w_int, w16} >> (25 - ColB))),
      .q_o(col_b[c*ColB+:ColB])
    );
  end
  if (Fp16 == 0) begin : gen_int8_act
    logic unused_act_hi;
    always_comb begin
      unused_act_hi = 1'b0;
      for (int unsigned r = 0; r < Rows; r++) unused_act_hi ^= ^x_act_i[r*16+8+:8];
    end
  end
  for (genvar r = 0; r < Rows; r++) begin : gen_rows
    lb_delay_rst #(
      .Width(3),
      .Depth(WdqLat + ((Systolic != 0) ? InLat + r : 0))
    ) u_skew_f (
      .clk_i,
      .rst_ni,
      .d_i({step, grp_last, fp16}),
      .q_o(row_b[r*RowB+ActW+:3])
    );
    lb_delay #(
      .Width(ActW),
      .Depth(WdqLat + ((Systolic != 0) ? InLat + r : 0))
    ) u_skew (
      .clk_i,
      .d_i(x_act_i[r*16+:ActW]),
      .q_o(row_b[r*RowB+:ActW])
    );
  end

  // ---- PE array: operands from the row / column entry (broadcast) or from the neighbour --------
  logic [Rows*Cols*RowB-1:0] pe_a;
  logic [Rows*Cols*ColB-1:0] pe_w;
  if (Systolic != 0) begin : gen_hops
    // Every PE's operands registered for its right / lower neighbour (the last column's and last
    // row's registers feed nothing and are removed by synthesis).
    logic [Rows*Cols*RowB-1:0] a_q;
    logic [Rows*Cols*3-1:0]    f_q;  // the step flags need a reset, the data does not
    logic [Rows*Cols*ActW-1:0] x_q;
    logic [Rows*Cols*ColB-1:0] w_q;
    always_ff @(posedge clk_i) w_q <= pe_w;
    for (genvar i = 0; i < Rows * Cols; i++) begin : gen_aq
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) f_q[i*3+:3] <= 3'b000;
        else f_q[i*3+:3] <= pe_a[i*RowB+ActW+:3];
      end
      always_ff @(posedge clk_i) x_q[i*ActW+:ActW] <= pe_a[i*RowB+:ActW];
      assign a_q[i*RowB+:RowB] = {f_q[i*3+:3], x_q[i*ActW+:ActW]};
    end
    logic unused_edge;
    always_comb begin
      unused_edge = 1'b0;
      for (int unsigned r = 0; r < Rows; r++) unused_edge ^= ^a_q[(r*Cols+Cols-1)*RowB+:RowB];
      for (int unsigned c = 0; c < Cols; c++) unused_edge ^= ^w_q[((Rows-1)*Cols+c)*ColB+:ColB];
    end
    for (genvar r = 0; r < Rows; r++) begin : gen_r
      for (genvar c = 0; c < Cols; c++) begin : gen_c
        localparam int unsigned I = r * Cols + c;
        if (c == 0) begin : gen_a0
          assign pe_a[I*RowB+:RowB] = row_b[r*RowB+:RowB];
        end else begin : gen_a
          assign pe_a[I*RowB+:RowB] = a_q[(I-1)*RowB+:RowB];
        end
        if (r == 0) begin : gen_w0
          assign pe_w[I*ColB+:ColB] = col_b[c*ColB+:ColB];
        end else begin : gen_w
          assign pe_w[I*ColB+:ColB] = w_q[(I-Cols)*ColB+:ColB];
        end
      end
    end
  end else begin : gen_bcast
    for (genvar r = 0; r < Rows; r++) begin : gen_r
      for (genvar c = 0; c < Cols; c++) begin : gen_c
        assign pe_a[(r*Cols+c)*RowB+:RowB] = row_b[r*RowB+:RowB];
        assign pe_w[(r*Cols+c)*ColB+:ColB] = col_b[c*ColB+:ColB];
      end
    end
  end

  logic [Rows*Cols*32-1:0] pe_sum;
  for (genvar r = 0; r < Rows; r++) begin : gen_pe_r
    for (genvar c = 0; c < Cols; c++) begin : gen_pe_c
      localparam int unsigned I = r * Cols + c;
      logic [15:0] w16_pe;
      if (Fp16 != 0) begin : gen_w16
        assign w16_pe = pe_w[I*ColB+:16];
      end else begin : gen_no_w16
        assign w16_pe = '0;
      end
      mac_pe #(
        .Fp16    (Fp16),
        .PeStages(PeStages)
      ) u_pe (
        .clk_i,
        .rst_ni,
        .step_i(pe_a[I*RowB+ActW+2]),
        .last_i(pe_a[I*RowB+ActW+1]),
        .fp16_i(pe_a[I*RowB+ActW]),
        .act_i (16'(pe_a[I*RowB+:ActW])),
        .w_i   (pe_w[I*ColB+ColB-9+:9]),
        .w16_i (w16_pe),
        .sum_o (pe_sum[I*32+:32])
      );
    end
  end

  // ---- Drain: one row per cycle through the column dequant units (lb_pe_array_drain) -----------
  // FP16 tiles bypass the dequant: their sums are FP32 bits added to the running results.
  lb_pe_array_drain #(
    .Rows    (Rows),
    .Cols    (Cols),
    .Width   (32),
    .DqStages(DqStages)
  ) u_drain (
    .clk_i,
    .rst_ni,
    .drain_i      (drain),
    .drain_last_i (drain_last),
    .drain_row_i  (drain_row),
    .drain_scale_i(drain_scale),
    .sum_i        (pe_sum[drain_row*RowAcc+:RowAcc]),
    .bypass_i     (sh_fp16 & (Fp16 != 0)),
    .scale_i      (sh_scale),
    .wfp_i        (sh_wfp),
    .out_row_i    (out_row),
    .out_row_o    (o_data_o)
  );

endmodule
