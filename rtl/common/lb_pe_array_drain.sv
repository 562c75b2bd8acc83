// The drain of a PE array whose group sums need no integer correction (mac_array, bitmod_array):
// one drained row per cycle through stages A, Z and B (registers only: the same latency as
// mixpe_array, whose stage Z subtracts the zero-point product), the column dequant units
// (lb_pe_array_dq), the output scaling (lb_fp32_mul_pipe) and the running results / output buffer
// (lb_pe_array_out). DqStages = 0 is the unpipelined drain (every stage in the drain's cycle).
//
// The latencies are mixpe_array's (docs/pipelining.md): the running results are read AddAt cycles
// after the drain's row select, the activation scale applied at MulAt, the row written at DqLat.
// The owner's lb_pe_array_ctrl gets DqLat and DqLat - AddAt from the same formulas.
//
// characterize.py sees through this module: its submodules are the owner's components (dequant,
// output_scale, buffers) and its own registers join the owner's top-level cells (buffers).
module lb_pe_array_drain #(
  parameter int unsigned Rows     = 8,   // 1 .. 64
  parameter int unsigned Cols     = 8,   // 1 .. 64
  parameter int unsigned Width    = 32,  // bits of one PE sum (32 .. 64)
  parameter int unsigned DqStages = 0    // 0 .. 6
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // The drained row (lb_pe_array_ctrl's drain_o cycle): its sums, the group's scales, and bypass
  // (sums are FP32 bits to add, not integers to dequantize: mac's FP16 tiles).
  input  logic                  drain_i,
  input  logic                  drain_last_i,  // the tile's last group: results to the output buffer
  input  logic [7:0]            drain_row_i,
  input  logic [31:0]           drain_scale_i,  // the row's activation scale
  input  logic [Cols*Width-1:0] sum_i,
  input  logic                  bypass_i,
  input  logic [Cols*16-1:0]    scale_i,
  input  logic [1:0]            wfp_i,          // the scale fields' codec (lb_wscale)
  input  logic [7:0]            out_row_i,
  output logic [Cols*32-1:0]    out_row_o
);

  localparam int unsigned RowAcc = Cols * Width;
  localparam int unsigned RowF   = Cols * 32;
  localparam int unsigned DqP    = (DqStages > 0) ? 1 : 0;
  localparam int unsigned DqSi   = (DqStages > 4) ? 4 : DqStages;
  localparam int unsigned DqSm   = (DqStages > 6) ? 6 : DqStages;
  localparam int unsigned AddAt  = 5 * DqP + DqSi + DqSm;
  localparam int unsigned MulAt  = AddAt + DqSm + DqP;
  localparam int unsigned DqLat  = MulAt + DqSm;
  localparam int unsigned StageW = RowAcc + 3 + Cols * 16;

  // Stages A, Z and B. Every data register of the drain loads only in the cycles its row is valid
  // (lb_vpipe, lb_vdelay, from drain_i), so the synthesis flow clock-gates it: the drain is
  // clocked for the R drained rows of a group, not in every cycle.
  logic [StageW-1:0] a_q, z_q, b_q;
  logic              v_a, v_z, v_b, v_mul, unused_v_rd, unused_v_wr;
  logic [Cols-1:0]   v_dq;
  logic [RowAcc-1:0] b_sum;
  logic              b_bypass;
  logic [1:0]        b_wfp;
  logic [Cols*16-1:0] b_scale;
  lb_vpipe #(
    .Width (StageW),
    .Enable(DqP != 0)
  ) u_pa (
    .clk_i,
    .v_i(drain_i),
    .d_i({sum_i, bypass_i, wfp_i, scale_i}),
    .v_o(v_a),
    .q_o(a_q)
  );
  lb_vpipe #(
    .Width (StageW),
    .Enable(DqP != 0)
  ) u_pz (
    .clk_i,
    .v_i(v_a),
    .d_i(a_q),
    .v_o(v_z),
    .q_o(z_q)
  );
  lb_vpipe #(
    .Width (StageW),
    .Enable(DqP != 0)
  ) u_pb (
    .clk_i,
    .v_i(v_z),
    .d_i(z_q),
    .v_o(v_b),
    .q_o(b_q)
  );
  assign {b_sum, b_bypass, b_wfp, b_scale} = b_q;

  // Drain control at the stages that use it.
  logic [7:0]  rd_row, wr_row;
  logic        m_last, wr, wr_last;
  logic [31:0] m_ascale;
  lb_vdelay #(
    .Width(8),
    .Depth(AddAt)
  ) u_d_rd (
    .clk_i,
    .v_i(drain_i),
    .d_i(drain_row_i),
    .v_o(unused_v_rd),
    .q_o(rd_row)
  );
  // The output scale's operand, selected a cycle early and registered per column (fanout).
  lb_vdelay #(
    .Width(33),
    .Depth(MulAt - DqP)
  ) u_d_mul (
    .clk_i,
    .v_i(drain_i),
    .d_i({drain_last_i, drain_scale_i}),
    .v_o(v_mul),
    .q_o({m_last, m_ascale})
  );
  logic [31:0] oscale;
  assign oscale = m_last ? m_ascale : 32'h3F80_0000;
  lb_vdelay #(
    .Width(9),
    .Depth(DqLat)
  ) u_d_wr (
    .clk_i,
    .v_i(drain_i),
    .d_i({drain_last_i, drain_row_i}),
    .v_o(unused_v_wr),
    .q_o({wr_last, wr_row})
  );
  lb_delay_rst #(
    .Width(1),
    .Depth(DqLat)
  ) u_d_wv (
    .clk_i,
    .rst_ni,
    .d_i(drain_i),
    .q_o(wr)
  );

  logic [RowF-1:0] drain_out, drain_sum_f, drain_res;
  for (genvar c = 0; c < Cols; c++) begin : gen_dq
    lb_pe_array_dq #(
      .Width (Width),
      .Stages(DqStages)
    ) u_dq (
      .clk_i,
      .v_i     (v_b),
      .sum_i   (b_sum[c*Width+:Width]),
      .scale_i (b_scale[c*16+:16]),
      .wfp_i   (b_wfp),
      .bypass_i(b_bypass),
      .fp_i    (b_sum[c*Width+:32]),
      .out_i   (drain_out[c*32+:32]),
      .res_o   (drain_sum_f[c*32+:32]),
      .v_o     (v_dq[c])
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
      .d_i(oscale),
      .v_o(unused_v_osel),
      .q_o(oscale_c)
    );
    lb_fp32_mul_pipe #(
      .Stages(DqSm)
    ) u_oscale (
      .clk_i,
      .v_i(v_dq[c]),
      .a_i(drain_sum_f[c*32+:32]),
      .b_i(oscale_c),
      .y_o(drain_res[c*32+:32]),
      .v_o(unused_v_out)
    );
  end

  // Running results and output buffer; output: one buffered row per beat.
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
    .out_row_i,
    .out_row_o
  );

endmodule
