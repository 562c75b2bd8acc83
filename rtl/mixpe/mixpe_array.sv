// MixPE array: R x C output-stationary shift&add PEs, one dequant unit per column (arXiv 2411.16158).
//
// Each x beat is one K step: activation a[r] enters row r, weight code u[c] column c, and PE (r, c)
// accumulates a[r] * u[c] for the current weight group. Broadcast (Systolic = 0): the operands reach
// every PE of their row / column in the same cycle. Systolic (Systolic = 1, as Gemmini and
// SCALE-Sim's output-stationary model): one input register, row r skewed by r registers and column c
// by c, then activations move one PE to the right and weights one PE down per cycle (a register per
// hop, with the step / group-end flags travelling beside the activation), so PE (r, c) does a step
// 1 + r + c cycles after its x beat and every operand net drives one PE. Row converters turn the
// activations into fixed point once per row and keep the row's sum(a), which the column dequant
// units use for the zero-point correction. After a group, the drain dequantizes one row per cycle
// into the running FP32 results (DqStages pipelines it); the tile's last group fills the output
// buffer with the results times the row's activation scale, read one row per o beat. Ports and
// timing are shared with mac_array (lb_pe_array_ctrl has the latencies).
module mixpe_array #(
  parameter int unsigned Rows = 8,    // 1 .. 64
  parameter int unsigned Cols = 8,    // 1 .. 64
  parameter int unsigned Fp16 = 1,    // 1: FP16 activations supported (64-bit accumulators)
  parameter int unsigned Systolic = 0,  // 1: operands pass PE to PE through registers
  parameter int unsigned PeStages = 0,  // 0 .. 1: register between a PE's product and its add
  parameter int unsigned DqStages = 0   // 0 .. 6: pipeline of the drain (lb_pe_array_dq)
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

  localparam int unsigned AccW = (Fp16 != 0) ? 64 : 32;
  // Fixed-point activation width: INT8, or an 11-bit FP16 significand shifted by up to 30 (e = 31,
  // outside the contract, shifts like the golden; finite values need 41) plus the sign. The PEs'
  // products are ActW + 8 bits wide, only the accumulators and row sums AccW.
  localparam int unsigned ActW = (Fp16 != 0) ? 11 + 30 + 1 : 8;
  localparam int unsigned RowAcc = Cols * AccW;  // bits of one row of PE sums
  localparam int unsigned RowF = Cols * 32;      // bits of one row of FP32 results
  // Latencies (docs/mixpe.md): registers from the ports to PE (0, 0); a group's last step to its
  // shadows complete; the drain's read of a row to its write, and where it reads the running
  // results (AddAt) and applies the activation scale (MulAt); lb_pe_array_dq has the stage plan.
  localparam int unsigned InLat   = Systolic;
  localparam int unsigned FillLat = InLat + ((Systolic != 0) ? Cols - 1 : 0) + PeStages;
  localparam int unsigned DqP     = (DqStages > 0) ? 1 : 0;
  localparam int unsigned DqSi    = (DqStages > 4) ? 4 : DqStages;
  localparam int unsigned DqSm    = (DqStages > 6) ? 6 : DqStages;
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

  // The accumulate stage needs neither the group parameters nor the drain's tile format.
  logic unused_ctrl;
  assign unused_ctrl = sh_fp16 ^ (^scale) ^ (^zero) ^ (^kind);

  // ---- Row converters, row inputs (skewed when systolic) and row sums ----------------------------
  // A row bundle is {step, group end, fixed-point activation}; a column's is the masked code.
  localparam int unsigned RowB = ActW + 2;
  logic [7:0] code_mask;
  assign code_mask = lb_weight_pkg::code_mask(bits);

  logic [Rows*RowB-1:0] row_b;  // what enters column 0 of each row
  logic [Cols*8-1:0]    col_b;  // what enters row 0 of each column
  logic [Rows*AccW-1:0] asum_q, sh_asum_q;
  for (genvar r = 0; r < Rows; r++) begin : gen_rows
    logic [ActW-1:0] fx;
    lb_act_conv #(
      .ActW(ActW),
      .Fp16(Fp16)
    ) u_conv (
      .fp16_i(fp16),
      .act_i (x_act_i[r*16+:16]),
      .fx_o  (fx)
    );
    lb_delay_rst #(
      .Width(2),
      .Depth((Systolic != 0) ? InLat + r : 0)
    ) u_skew_f (
      .clk_i,
      .rst_ni,
      .d_i({step, grp_last}),
      .q_o(row_b[r*RowB+ActW+:2])
    );
    lb_delay #(
      .Width(ActW),
      .Depth((Systolic != 0) ? InLat + r : 0)
    ) u_skew (
      .clk_i,
      .d_i(fx),
      .q_o(row_b[r*RowB+:ActW])
    );

    // sum(a) of the group, at the row's entry (a group's last step moves it to the shadow).
    logic            r_step, r_last;
    logic [ActW-1:0] r_fx;
    logic [AccW-1:0] r_next;
    assign {r_step, r_last, r_fx} = row_b[r*RowB+:RowB];
    assign r_next = asum_q[r*AccW+:AccW] + {{(AccW - ActW) {r_fx[ActW-1]}}, r_fx};
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        asum_q[r*AccW+:AccW]    <= '0;
        sh_asum_q[r*AccW+:AccW] <= '0;
      end else if (r_step) begin
        if (r_last) begin
          sh_asum_q[r*AccW+:AccW] <= r_next;
          asum_q[r*AccW+:AccW]    <= '0;
        end else begin
          asum_q[r*AccW+:AccW] <= r_next;
        end
      end
    end
  end
  // FP4 codes (wfp != 0, docs/fp-weights.md) enter the PEs as u = 2v + 16: the E2M1 exponent is
  // one more shift of the mantissa bits (lb_weight_pkg::fp4_plane_code), and the drain removes the
  // offset 16 like a signed int5's.
  for (genvar c = 0; c < Cols; c++) begin : gen_cols
    logic [7:0] u;
    assign u = (wfp != 2'd0) ? lb_weight_pkg::fp4_plane_code(x_w_i[c*8+:4])
                             : x_w_i[c*8+:8] & code_mask;
    lb_delay #(
      .Width(8),
      .Depth((Systolic != 0) ? InLat + c : 0)
    ) u_skew (
      .clk_i,
      .d_i(u),
      .q_o(col_b[c*8+:8])
    );
  end

  // ---- PE array: operands from the row / column entry (broadcast) or from the neighbour --------
  logic [Rows*Cols*AccW-1:0] pe_sum;
  logic [Rows*Cols*RowB-1:0] pe_a;  // row bundle at each PE
  logic [Rows*Cols*8-1:0]    pe_u;  // code at each PE
  if (Systolic != 0) begin : gen_hops
    // Every PE's operands registered for its right / lower neighbour (the last column's and last
    // row's registers feed nothing and are removed by synthesis).
    logic [Rows*Cols*RowB-1:0] a_q;
    logic [Rows*Cols*2-1:0]    f_q;  // the step flags need a reset, the data does not
    logic [Rows*Cols*ActW-1:0] x_q;
    logic [Rows*Cols*8-1:0]    u_q;
    always_ff @(posedge clk_i) u_q <= pe_u;
    for (genvar i = 0; i < Rows * Cols; i++) begin : gen_aq
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) f_q[i*2+:2] <= 2'b00;
        else f_q[i*2+:2] <= pe_a[i*RowB+ActW+:2];
      end
      always_ff @(posedge clk_i) x_q[i*ActW+:ActW] <= pe_a[i*RowB+:ActW];
      assign a_q[i*RowB+:RowB] = {f_q[i*2+:2], x_q[i*ActW+:ActW]};
    end
    logic unused_edge;
    always_comb begin
      unused_edge = 1'b0;
      for (int unsigned r = 0; r < Rows; r++) unused_edge ^= ^a_q[(r*Cols+Cols-1)*RowB+:RowB];
      for (int unsigned c = 0; c < Cols; c++) unused_edge ^= ^u_q[((Rows-1)*Cols+c)*8+:8];
    end
    for (genvar r = 0; r < Rows; r++) begin : gen_r
      for (genvar c = 0; c < Cols; c++) begin : gen_c
        localparam int unsigned I = r * Cols + c;
        if (c == 0) begin : gen_a0
          assign pe_a[I*RowB+:RowB] = row_b[r*RowB+:RowB];
        end else begin : gen_a
          assign pe_a[I*RowB+:RowB] = a_q[(I-1)*RowB+:RowB];
        end
        if (r == 0) begin : gen_u0
          assign pe_u[I*8+:8] = col_b[c*8+:8];
        end else begin : gen_u
          assign pe_u[I*8+:8] = u_q[(I-Cols)*8+:8];
        end
      end
    end
  end else begin : gen_bcast
    for (genvar r = 0; r < Rows; r++) begin : gen_r
      for (genvar c = 0; c < Cols; c++) begin : gen_c
        assign pe_a[(r*Cols+c)*RowB+:RowB] = row_b[r*RowB+:RowB];
        assign pe_u[(r*Cols+c)*8+:8]       = col_b[c*8+:8];
      end
    end
  end
  for (genvar r = 0; r < Rows; r++) begin : gen_pe_r
    for (genvar c = 0; c < Cols; c++) begin : gen_pe_c
      localparam int unsigned I = r * Cols + c;
      mixpe_pe #(
        .ActW    (ActW),
        .AccW    (AccW),
        .PeStages(PeStages)
      ) u_pe (
        .clk_i,
        .rst_ni,
        .step_i(pe_a[I*RowB+ActW+1]),
        .last_i(pe_a[I*RowB+ActW]),
        .act_i (pe_a[I*RowB+:ActW]),
        .code_i(pe_u[I*8+:8]),
        .sum_o (pe_sum[I*AccW+:AccW])
      );
    end
  end

  // ---- Drain: one row per cycle through the column dequant units ---------------------------------
  // Stage A: the row's sums and the group's decoded zero points (the next group may replace the
  // group's parameters while this one is in flight); stages Z and B: the zero-point product and
  // the subtract (mixpe_dequant); then lb_pe_array_dq per column.
  logic [Cols*8-1:0] zeff;
  for (genvar c = 0; c < Cols; c++) begin : gen_zeff
    assign zeff[c*8+:8] = (sh_wfp != 2'd0) ? 8'd16 :
                          lb_weight_pkg::weight_offset(sh_kind, sh_bits, sh_zero[c*8+:8]);
  end
  localparam int unsigned GrpW = 3 + Cols * 24;
  logic [RowAcc-1:0]  a_sum;
  logic [AccW-1:0]    a_asum;
  logic               a_dbl;
  logic [1:0]         a_wfp, z_wfp, b_wfp;
  logic [Cols*8-1:0]  a_zeff;
  logic [Cols*16-1:0] a_scale, z_scale, b_scale;
  // Every data register of the drain loads only in the cycles its row is valid (lb_vpipe,
  // lb_vdelay, from drain), so the synthesis flow clock-gates it: the drain is clocked for the
  // R drained rows of a group, not in every cycle.
  logic            v_a, v_z, v_b, v_mul, unused_v_pz, unused_v_rd, unused_v_wr;
  logic [Cols-1:0] v_dq, unused_v_zc;
  lb_vpipe #(
    .Width (RowAcc + AccW + GrpW),
    .Enable(DqP != 0)
  ) u_pa (
    .clk_i,
    .v_i(drain),
    .v_o(v_a),
    .d_i({pe_sum[drain_row*RowAcc+:RowAcc], sh_asum_q[drain_row*AccW+:AccW],
          lb_weight_pkg::weight_doubles(sh_kind) & (sh_wfp == 2'd0), sh_wfp, zeff, sh_scale}),
    .q_o({a_sum, a_asum, a_dbl, a_wfp, a_zeff, a_scale})
  );

  logic [Cols*AccW-1:0] a_s, b_s;
  for (genvar c = 0; c < Cols; c++) begin : gen_zc
    mixpe_dequant #(
      .AccW  (AccW),
      .Stages(DqP)
    ) u_zc (
      .clk_i,
      .v_i   (v_a),
      .v_o   (unused_v_zc[c]),
      .zeff_i(a_zeff[c*8+:8]),
      .dbl_i (a_dbl),
      .sum_i (a_sum[c*AccW+:AccW]),
      .asum_i(a_asum),
      .s_o   (a_s[c*AccW+:AccW])
    );
  end
  lb_vdelay #(
    .Width(Cols * 16 + 2),
    .Depth(DqP)
  ) u_pz (
    .clk_i,
    .v_i(v_a),
    .v_o(v_z),
    .d_i({a_wfp, a_scale}),
    .q_o({z_wfp, z_scale})
  );
  lb_vpipe #(
    .Width (Cols * (AccW + 16) + 2),
    .Enable(DqP != 0)
  ) u_pb (
    .clk_i,
    .v_i(v_z),
    .v_o(v_b),
    .d_i({a_s, z_wfp, z_scale}),
    .q_o({b_s, b_wfp, b_scale})
  );

  // Drain control at the stages that use it.
  logic [7:0]  rd_row, wr_row;
  logic        m_last, wr, wr_last;
  logic [31:0] m_ascale;
  lb_vdelay #(
    .Width(8),
    .Depth(AddAt)
  ) u_d_rd (
    .clk_i,
    .v_i(drain),
    .v_o(unused_v_rd),
    .d_i(drain_row),
    .q_o(rd_row)
  );
  // The output scale's operand, selected a cycle early and registered per column (fanout).
  lb_vdelay #(
    .Width(33),
    .Depth(MulAt - DqP)
  ) u_d_mul (
    .clk_i,
    .v_i(drain),
    .v_o(v_mul),
    .d_i({drain_last, drain_scale}),
    .q_o({m_last, m_ascale})
  );
  logic [31:0] oscale;
  assign oscale = m_last ? m_ascale : 32'h3F80_0000;
  lb_vdelay #(
    .Width(9),
    .Depth(DqLat)
  ) u_d_wr (
    .clk_i,
    .v_i(drain),
    .v_o(unused_v_wr),
    .d_i({drain_last, drain_row}),
    .q_o({wr_last, wr_row})
  );
  lb_delay_rst #(
    .Width(1),
    .Depth(DqLat)
  ) u_d_wv (
    .clk_i,
    .rst_ni,
    .d_i(drain),
    .q_o(wr)
  );

  logic [RowF-1:0] drain_out, drain_sum_f, drain_res;
  for (genvar c = 0; c < Cols; c++) begin : gen_dq
    lb_pe_array_dq #(
      .Width (AccW),
      .Stages(DqStages)
    ) u_dq (
      .clk_i,
      .v_i        (v_b),
      .v_o        (v_dq[c]),
      .sum_i      (b_s[c*AccW+:AccW]),
      .scale_i    (b_scale[c*16+:16]),
      .wfp_i      (b_wfp),
      .bypass_i   (1'b0),
      .fp_i       (32'd0),
      .out_i      (drain_out[c*32+:32]),
      .res_o      (drain_sum_f[c*32+:32])
    );
    // The tile's last group leaves O = result * act_scale in the output buffer (else * 1.0: the
    // running results are never non-canonical NaN, so the bits stay).
    logic [31:0] oscale_c;
    logic        unused_v_osel, unused_v_out;
    lb_vpipe #(
      .Width (32),
      .Enable(DqP != 0)
    ) u_osel (
      .clk_i,
      .v_i(v_mul),
      .v_o(unused_v_osel),
      .d_i(oscale),
      .q_o(oscale_c)
    );
    lb_fp32_mul_pipe #(
      .Stages(DqSm)
    ) u_oscale (
      .clk_i,
      .v_i(v_dq[c]),
      .v_o(unused_v_out),
      .a_i(drain_sum_f[c*32+:32]),
      .b_i(oscale_c),
      .y_o(drain_res[c*32+:32])
    );
  end

  // ---- Running results and output buffer; output: one buffered row per beat ---------------------
  lb_pe_array_out #(
    .Rows(Rows),
    .Cols(Cols)
  ) u_out (
    .clk_i,
    .rst_ni,
    .rd_row_i (rd_row),
    .rd_out_o (drain_out),
    .wr_i     (wr),
    .wr_last_i(wr_last),
    .wr_row_i (wr_row),
    .wr_res_i (drain_res),
    .out_row_i(out_row),
    .out_row_o(o_data_o)
  );

endmodule
