// Tile, group, drain and output control of the mixpe and mac arrays (shared so both time alike).
//
// Three stages, each handing a full buffer to the next (docs/mixpe.md has the cycle formula):
//   accumulate: one K step per x beat into the PE group accumulators; a group's last step moves the
//               sums into the shadow registers and pops that group's parameters (g FIFO, 2 deep);
//   drain:      one row per cycle through the per-column dequant units (R cycles per group); the
//               tile's last group writes the output buffer instead of the running FP32 sums;
//   output:     one row per o beat (the row's activation scale is applied by the drain).
// Pipelined datapaths: a group's shadows are complete FillLat cycles after its last step (operand
// registers between PEs, PE and input stages), so the drain starts FillLat cycles later; a drained
// row's result lands DqLat cycles after it is read and the running results are read DqGap cycles
// before that, so consecutive drains start >= DqGap + 1 cycles apart (a row is written back
// before the next group reads it); the output buffer is reserved from the tile's last drain until
// its last beat and valid from DqLat cycles after that drain's last row. FillLat = DqLat = DqGap
// = 0: the unpipelined array.
// Every ready/valid output is a function of registers only (no combinational input->output path).
module lb_pe_array_ctrl #(
  parameter int unsigned Rows    = 8,  // 1 .. 64
  parameter int unsigned Cols    = 8,  // 1 .. 64
  parameter int unsigned FillLat = 0,  // 0 .. 255: last step -> shadows complete (extra cycles)
  parameter int unsigned DqLat   = 0,  // 0 .. 255: drain read -> result written
  parameter int unsigned DqGap   = 0   // 0 .. DqLat: running results read -> written
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // Tile descriptor channel.
  input  logic                 t_valid_i,
  output logic                 t_ready_o,
  input  logic                 t_fp16_i,
  input  logic [1:0]           t_kind_i,
  input  logic [3:0]           t_bits_i,
  input  logic [1:0]           t_wfp_i,      // weight codec: 0 integer, 1 fp4_e2m1, 2/3 mxfp4
  input  logic [15:0]          t_k_i,
  input  logic [15:0]          t_group_i,
  input  logic [Rows*32-1:0]   t_act_scale_i,
  // Group parameter channel (one beat per group, in order).
  input  logic                 g_valid_i,
  output logic                 g_ready_o,
  input  logic [Cols*16-1:0]   g_scale_i,
  input  logic [Cols*8-1:0]    g_zero_i,
  // Step channel handshake (data goes straight to the datapath).
  input  logic                 x_valid_i,
  output logic                 x_ready_o,
  // Output channel handshake.
  output logic                 o_valid_o,
  input  logic                 o_ready_i,
  output logic                 o_last_o,
  // Accumulate stage controls for the datapath.
  output logic                 step_o,       // an x beat is consumed this cycle
  output logic                 grp_last_o,   // the current step is the last of its group
  output logic                 fp16_o,       // current tile's activation format
  output logic [1:0]           kind_o,
  output logic [3:0]           bits_o,
  output logic [1:0]           wfp_o,
  output logic [Cols*16-1:0]   scale_o,      // head of the group FIFO (the current group)
  output logic [Cols*8-1:0]    zero_o,
  // Drain stage controls.
  output logic                 drain_o,      // one row is dequantized this cycle
  output logic                 drain_last_o, // the row goes to the output buffer (tile's last group)
  output logic [7:0]           drain_row_o,
  output logic                 sh_fp16_o,
  output logic [1:0]           sh_kind_o,
  output logic [3:0]           sh_bits_o,
  output logic [1:0]           sh_wfp_o,
  output logic [Cols*16-1:0]   sh_scale_o,
  output logic [Cols*8-1:0]    sh_zero_o,
  // Output stage.
  output logic [31:0]          drain_scale_o, // activation scale of the drained row
  output logic [7:0]           out_row_o
);

  localparam int unsigned GW = Cols * 24;  // one group FIFO entry: {zeros, scales}
  localparam int unsigned LastRowI = Rows - 1;
  localparam logic [7:0] LastRow = LastRowI[7:0];

  // ---- Registers -------------------------------------------------------------------------------
  logic             act_d, act_q;
  logic             fp16_d, fp16_q;
  logic [1:0]       kind_d, kind_q;
  logic [3:0]       bits_d, bits_q;
  logic [1:0]       wfp_d, wfp_q;
  logic [15:0]      klen_d, klen_q, glen_d, glen_q, k_d, k_q, kg_d, kg_q;
  logic [Rows*32-1:0] ascale_d, ascale_q;
  logic [1:0]       gf_cnt_d, gf_cnt_q;
  logic             gf_wr_d, gf_wr_q, gf_rd_d, gf_rd_q;
  logic [GW-1:0]    gf0_d, gf0_q, gf1_d, gf1_q;
  logic             sh_busy_d, sh_busy_q, sh_last_d, sh_last_q, sh_fp16_d, sh_fp16_q;
  logic [1:0]       sh_kind_d, sh_kind_q;
  logic [3:0]       sh_bits_d, sh_bits_q;
  logic [1:0]       sh_wfp_d, sh_wfp_q;
  logic [GW-1:0]    sh_g_d, sh_g_q;
  logic [Rows*32-1:0] sh_ascale_d, sh_ascale_q;
  logic [7:0]       dr_d, dr_q;
  logic             ob_busy_d, ob_busy_q, ob_res_d, ob_res_q, ob_pend_d, ob_pend_q;
  logic [7:0]       or_d, or_q;
  logic [7:0]       sh_wait_d, sh_wait_q, dq_gap_d, dq_gap_q, ob_wait_d, ob_wait_q;
  localparam logic [7:0] FillL = FillLat[7:0];
  localparam logic [7:0] DqL = DqLat[7:0];
  localparam logic [7:0] DqG = DqGap[7:0];

  // ---- Handshakes ------------------------------------------------------------------------------
  logic [GW-1:0] gf_head;
  logic          tile_last, t_fire, g_fire, pop, drain_end, drain_start, o_fire;
  assign gf_head    = gf_rd_q ? gf1_q : gf0_q;
  assign tile_last  = (k_q == klen_q - 16'd1);
  assign grp_last_o = (kg_q == glen_q - 16'd1) | tile_last;
  assign t_ready_o  = ~act_q;
  assign g_ready_o  = (gf_cnt_q != 2'd2);
  assign x_ready_o  = act_q & (gf_cnt_q != 2'd0) & ~(grp_last_o & sh_busy_q);
  assign step_o     = x_valid_i & x_ready_o;
  assign t_fire     = t_valid_i & t_ready_o;
  assign g_fire     = g_valid_i & g_ready_o;
  assign pop        = step_o & grp_last_o;
  // A drain starts (row 0) when the shadows are complete, the previous drain's results have landed
  // and, for the tile's last group, the output buffer is free; its rows then follow back to back.
  assign drain_o    = sh_busy_q & (sh_wait_q == 8'd0) &
                      ((dr_q != 8'd0) | ((dq_gap_q == 8'd0) & (~sh_last_q | ~ob_res_q)));
  assign drain_start = drain_o & (dr_q == 8'd0);
  assign drain_end  = drain_o & (dr_q == LastRow);
  assign o_valid_o  = ob_busy_q;
  assign o_fire     = ob_busy_q & o_ready_i;
  assign o_last_o   = (or_q == LastRow);

  assign fp16_o       = fp16_q;
  assign kind_o       = kind_q;
  assign bits_o       = bits_q;
  assign wfp_o        = wfp_q;
  assign scale_o      = gf_head[Cols*16-1:0];
  assign zero_o       = gf_head[GW-1:Cols*16];
  assign drain_last_o = sh_last_q;
  assign drain_row_o  = dr_q;
  assign sh_fp16_o    = sh_fp16_q;
  assign sh_kind_o    = sh_kind_q;
  assign sh_bits_o    = sh_bits_q;
  assign sh_wfp_o     = sh_wfp_q;
  assign sh_scale_o   = sh_g_q[Cols*16-1:0];
  assign sh_zero_o    = sh_g_q[GW-1:Cols*16];
  assign out_row_o    = or_q;
  assign drain_scale_o = sh_ascale_q[dr_q * 32 +: 32];

  // ---- Next state ------------------------------------------------------------------------------
  always_comb begin
    act_d       = act_q;
    fp16_d      = fp16_q;
    kind_d      = kind_q;
    bits_d      = bits_q;
    wfp_d       = wfp_q;
    klen_d      = klen_q;
    glen_d      = glen_q;
    k_d         = k_q;
    kg_d        = kg_q;
    ascale_d    = ascale_q;
    gf_cnt_d    = gf_cnt_q;
    gf_wr_d     = gf_wr_q;
    gf_rd_d     = gf_rd_q;
    gf0_d       = gf0_q;
    gf1_d       = gf1_q;
    sh_busy_d   = sh_busy_q;
    sh_last_d   = sh_last_q;
    sh_fp16_d   = sh_fp16_q;
    sh_kind_d   = sh_kind_q;
    sh_bits_d   = sh_bits_q;
    sh_wfp_d    = sh_wfp_q;
    sh_g_d      = sh_g_q;
    sh_ascale_d = sh_ascale_q;
    dr_d        = dr_q;
    ob_busy_d   = ob_busy_q;
    ob_res_d    = ob_res_q;
    ob_pend_d   = ob_pend_q;
    ob_wait_d   = ob_wait_q;
    or_d        = or_q;
    sh_wait_d   = (sh_busy_q & (sh_wait_q != 8'd0)) ? sh_wait_q - 8'd1 : sh_wait_q;
    dq_gap_d    = (dq_gap_q != 8'd0) ? dq_gap_q - 8'd1 : dq_gap_q;
    if (ob_pend_q) begin
      if (ob_wait_q == 8'd1) begin
        ob_pend_d = 1'b0;
        ob_busy_d = 1'b1;
      end
      ob_wait_d = ob_wait_q - 8'd1;
    end

    if (t_fire) begin
      act_d    = 1'b1;
      fp16_d   = t_fp16_i;
      kind_d   = t_kind_i;
      bits_d   = t_bits_i;
      wfp_d    = t_wfp_i;
      klen_d   = t_k_i;
      glen_d   = t_group_i;
      k_d      = 16'd0;
      kg_d     = 16'd0;
      ascale_d = t_act_scale_i;
    end

    if (g_fire) begin
      if (gf_wr_q) gf1_d = {g_zero_i, g_scale_i};
      else gf0_d = {g_zero_i, g_scale_i};
      gf_wr_d = ~gf_wr_q;
    end
    gf_cnt_d = gf_cnt_q + {1'b0, g_fire} - {1'b0, pop};

    if (step_o) begin
      k_d  = k_q + 16'd1;
      kg_d = grp_last_o ? 16'd0 : kg_q + 16'd1;
      if (tile_last) act_d = 1'b0;
      if (grp_last_o) begin
        gf_rd_d   = ~gf_rd_q;
        sh_busy_d = 1'b1;
        sh_wait_d = FillL;
        sh_last_d = tile_last;
        sh_fp16_d = fp16_q;
        sh_kind_d = kind_q;
        sh_bits_d = bits_q;
        sh_wfp_d  = wfp_q;
        sh_g_d    = gf_head;
        if (tile_last) sh_ascale_d = ascale_q;
      end
    end

    if (drain_start) begin
      dq_gap_d = DqG;
      if (sh_last_q) ob_res_d = 1'b1;
    end
    if (drain_o) begin
      dr_d = drain_end ? 8'd0 : dr_q + 8'd1;
      if (drain_end) begin
        sh_busy_d = 1'b0;
        if (sh_last_q) begin
          or_d = 8'd0;
          if (DqLat == 0) begin
            ob_busy_d = 1'b1;
          end else begin
            ob_pend_d = 1'b1;
            ob_wait_d = DqL;
          end
        end
      end
    end

    if (o_fire) begin
      or_d = o_last_o ? 8'd0 : or_q + 8'd1;
      if (o_last_o) begin
        ob_busy_d = 1'b0;
        ob_res_d  = 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      act_q       <= 1'b0;
      fp16_q      <= 1'b0;
      kind_q      <= 2'd0;
      bits_q      <= 4'd0;
      wfp_q       <= 2'd0;
      klen_q      <= 16'd0;
      glen_q      <= 16'd0;
      k_q         <= 16'd0;
      kg_q        <= 16'd0;
      ascale_q    <= '0;
      gf_cnt_q    <= 2'd0;
      gf_wr_q     <= 1'b0;
      gf_rd_q     <= 1'b0;
      gf0_q       <= '0;
      gf1_q       <= '0;
      sh_busy_q   <= 1'b0;
      sh_last_q   <= 1'b0;
      sh_fp16_q   <= 1'b0;
      sh_kind_q   <= 2'd0;
      sh_bits_q   <= 4'd0;
      sh_wfp_q    <= 2'd0;
      sh_g_q      <= '0;
      sh_ascale_q <= '0;
      dr_q        <= 8'd0;
      ob_busy_q   <= 1'b0;
      ob_res_q    <= 1'b0;
      ob_pend_q   <= 1'b0;
      ob_wait_q   <= 8'd0;
      sh_wait_q   <= 8'd0;
      dq_gap_q    <= 8'd0;
      or_q        <= 8'd0;
    end else begin
      act_q       <= act_d;
      fp16_q      <= fp16_d;
      kind_q      <= kind_d;
      bits_q      <= bits_d;
      wfp_q       <= wfp_d;
      klen_q      <= klen_d;
      glen_q      <= glen_d;
      k_q         <= k_d;
      kg_q        <= kg_d;
      ascale_q    <= ascale_d;
      gf_cnt_q    <= gf_cnt_d;
      gf_wr_q     <= gf_wr_d;
      gf_rd_q     <= gf_rd_d;
      gf0_q       <= gf0_d;
      gf1_q       <= gf1_d;
      sh_busy_q   <= sh_busy_d;
      sh_last_q   <= sh_last_d;
      sh_fp16_q   <= sh_fp16_d;
      sh_kind_q   <= sh_kind_d;
      sh_bits_q   <= sh_bits_d;
      sh_wfp_q    <= sh_wfp_d;
      sh_g_q      <= sh_g_d;
      sh_ascale_q <= sh_ascale_d;
      dr_q        <= dr_d;
      ob_busy_q   <= ob_busy_d;
      ob_res_q    <= ob_res_d;
      ob_pend_q   <= ob_pend_d;
      ob_wait_q   <= ob_wait_d;
      sh_wait_q   <= sh_wait_d;
      dq_gap_q    <= dq_gap_d;
      or_q        <= or_d;
    end
  end

endmodule
