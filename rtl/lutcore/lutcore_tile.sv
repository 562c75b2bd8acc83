// LUT Tensor Core tile: table precompute + table registers + M x N LUT array + per-group dequant,
// with valid/ready streams in and out and a static config port. See docs/lutcore.md.
//
// Pipeline: an accepted input beat (M x K activations, K x N weight codes) is precomputed into the
// table registers in its handshake cycle (stage A), then the array walks its b bit-planes, one per
// cycle (ArrStages = 1 registers each plane's lookup before the accumulator add). After the last
// plane of a group's last beat, the group's acc' moves to stage C (dequant; one cycle later with
// ArrStages = 1), which starts the M x N lanes in Q = M * N / DqLanes chunks, one per cycle, into
// the DqStages-deep dequant pipeline (lut_dequant); consecutive groups start at least
// min(DqStages, 6) + 1 cycles apart. The output's last group lands O = out * act_scale chunk by
// chunk in stage D (the output register), Ldq cycles after each chunk started; stage D is reserved
// by the block from its last group's first chunk until the block is taken. Without handshake
// stalls, a block of Gn groups of gt beats (b planes each) leaves
// gt*b + ArrStages + (Gn-1)*P + Q + Ldq + 1 cycles after its first beat was accepted, and the next
// block Gn*P cycles later (when Gn*P >= Q + Ldq + ArrStages), with
// P = max(gt*b, Q + ArrStages, min(DqStages, 6) + 1) (docs/lutcore.md).
//
// Table storage (Sym): 1 = symmetrization on, 2^(G-1) entries per table and a negating lookup;
// 0 = symmetrization off (the study variant), all 2^G entries per table read directly. Both give
// bit-identical results and the same cycles; only the table registers and the lookup differ.
module lutcore_tile #(
  parameter int unsigned M    = 2,
  parameter int unsigned N    = 64,
  parameter int unsigned K    = 4,
  parameter int unsigned G    = 4,
  parameter int unsigned Fp16 = 1,  // 1: FP16 activations supported (64-bit acc)
  parameter int unsigned DqLanes = 16,  // dequant lanes (divides N)
  parameter int unsigned Sym  = 1,  // 1: symmetric tables (2^(G-1) entries); 0: full (2^G)
  parameter int unsigned DqStages = 0,  // dequant pipeline depth (lut_dequant Stages)
  parameter int unsigned ArrStages = 0  // 1: lookup register in the array (lut_array Stages)
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // Config: stable while any beat is in flight.
  input  logic                cfg_act_fp16_i,     // activations are FP16 (else INT8)
  input  logic [1:0]          cfg_kind_i,         // lb_weight_pkg::weight_kind_t
  input  logic [2:0]          cfg_bits_i,         // weight bits b = planes per beat (1..4)
  input  logic [15:0]         cfg_group_tiles_i,  // beats per weight group (>= 1)
  input  logic [15:0]         cfg_groups_i,       // groups per output block (>= 1)
  // Weight format: 0 integer codes (cfg_kind_i, cfg_bits_i); 1 FP4 E2M1 codes, FP16 scales;
  // 2, 3 MXFP4: E2M1 codes, E8M0 block scale in in_scale_i's low byte per column. FP4 walks the
  // 5 planes of the doubled value 2v + 16 (lut_fp4_decode, docs/fp-weights.md).
  input  logic [1:0]          cfg_wfp_i,
  // Input beats: one K-slice of M activation rows and N weight columns.
  input  logic                in_valid_i,
  output logic                in_ready_o,
  input  logic [M*K*16-1:0]   in_act_i,           // row i lane k at (i*K + k)*16
  input  logic                in_reuse_table_i,   // keep the previous table (in_act_i ignored)
  input  logic [4*N*K-1:0]    in_w_i,             // bit p of code (j, k) at (p*N + j)*K + k
  input  logic [N*16-1:0]     in_scale_i,         // FP16 scales; read on a group's last beat
  input  logic [N*8-1:0]      in_zero_i,          // zero points; read on a group's last beat
  input  logic [M*32-1:0]     in_act_scale_i,     // FP32 row scales; read on the output's last beat
  // Output beats: one M x N block of FP32 results.
  output logic                out_valid_o,
  input  logic                out_ready_i,
  output logic [M*N*32-1:0]   out_data_o          // (i*N + j)*32
);

  localparam int unsigned T    = K / G;
  localparam int unsigned E    = (Sym != 0) ? (1 << (G - 1)) : (1 << G);  // entries per table
  localparam int unsigned TW   = (Fp16 != 0) ? 44 : 11;
  localparam int unsigned AccW = (Fp16 != 0) ? 64 : 32;
  localparam int unsigned TabW = M * T * E * TW;
  localparam int unsigned Chunks = N / DqLanes;
  localparam logic [31:0] Fp16ActScale = 32'h33800000;  // 2^-24

  // ---------------------------------------------------------------------------------------------
  // Stage A: table registers and the beat being walked plane by plane.
  logic              a_valid_d, a_valid_q;
  logic [2:0]        plane_d, plane_q;
  logic [TabW-1:0]   tables_d, tables_q, tables_new;
  // Weight planes; the plane being walked is always at the bottom. Five planes: FP4 beats are
  // decoded on load into the 5 planes of 2v + 16 (integer beats leave the fifth at zero).
  logic [5*N*K-1:0]  w_d, w_q;
  logic [N*16-1:0]   scale_d, scale_q;
  logic [N*8-1:0]    zero_d, zero_q;
  logic [M*32-1:0]   act_scale_d, act_scale_q;
  logic              a_group_end_d, a_group_end_q, a_last_d, a_last_q, a_first_d, a_first_q;
  logic [15:0]       beat_cnt_d, beat_cnt_q, group_cnt_d, group_cnt_q;
  logic [M*AccW-1:0] suma_d, suma_q, suma_new, rowsum;
  // Stage C: one group's acc' waiting for the dequant unit.
  logic                c_valid_d, c_valid_q, c_last_d, c_last_q, c_first_d, c_first_q;
  logic                c_wait_d, c_wait_q;  // ArrStages = 1: acc' arrives the cycle after
  logic [M*N*AccW-1:0] c_acc_d, c_acc_q;
  logic [M*AccW-1:0]   c_suma_d, c_suma_q;
  logic [N*16-1:0]     c_scale_d, c_scale_q;
  logic [N*8-1:0]      c_zero_d, c_zero_q;
  logic [M*32-1:0]     c_act_scale_d, c_act_scale_q, c_act_scale_eff;
  logic [7:0]          c_row_d, c_row_q, c_col_d, c_col_q;
  logic                c_final, c_done, c_start, c_space_ok, c_out_ok;
  logic [7:0]          c_since_d, c_since_q;  // cycles since the last group started (saturating)
  // Stage D: the output register, filled lane by lane by the last group's chunks.
  logic              d_valid_d, d_valid_q, d_busy_d, d_busy_q;
  logic [M*N*32-1:0] d_data_d, d_data_q;

  logic                accept, a_adv, a_done, a_last_plane, c_fire, c_free, d_free;
  // FP4 weights: planes per beat, the kind and width the dequant sees (5-bit offset binary).
  logic                fp4;
  logic [2:0]          planes;
  logic [1:0]          dq_kind;
  logic [5*N*K-1:0]    fp4_planes;
  logic                beat_group_end, beat_last;
  logic [M*N*AccW-1:0] acc_now;
  logic                  land, land_final;
  logic [7:0]            land_row, land_col;
  logic [DqLanes*32-1:0] land_data;
  // Two consecutive groups start their chunk walk at least SpaceMin cycles apart: the dequant's
  // adder (min(DqStages, 6) stages) has then written a chunk back before the next group reads it.
  localparam int unsigned LatAdd   = (DqStages < 6) ? DqStages : 6;
  localparam logic [7:0]  SpaceMin = 8'(LatAdd + 1);

  // Handshake and flow control (ready depends on downstream ready, never on in_valid_i).
  // The output register is reserved from the first chunk of a block's last group until the block
  // is taken; that chunk starts only when the previous block leaves by the end of this cycle.
  assign d_free       = !d_busy_q || (d_valid_q && out_ready_i);
  assign c_final      = (c_row_q == M[7:0] - 8'd1) && (c_col_q == Chunks[7:0] - 8'd1);
  assign c_start      = (c_row_q == 8'd0) && (c_col_q == 8'd0);
  assign c_space_ok   = (c_since_q >= SpaceMin);
  assign c_out_ok     = !c_last_q || d_free;
  assign c_fire       = c_valid_q && !c_wait_q && (!c_start || (c_space_ok && c_out_ok));
  assign c_done       = c_fire && c_final;
  assign c_free       = !c_valid_q || c_done;
  assign fp4          = (cfg_wfp_i != 2'd0);
  assign planes       = fp4 ? 3'd5 : cfg_bits_i;
  assign dq_kind      = fp4 ? lb_weight_pkg::WkSigned : cfg_kind_i;
  assign a_last_plane = (plane_q == planes - 3'd1);
  assign a_adv        = a_valid_q && (!(a_last_plane && a_group_end_q) || c_free);
  assign a_done       = a_adv && a_last_plane;
  assign in_ready_o   = !a_valid_q || a_done;
  assign accept       = in_valid_i && in_ready_o;

  assign beat_group_end = (beat_cnt_q == cfg_group_tiles_i - 16'd1);
  assign beat_last      = beat_group_end && (group_cnt_q == cfg_groups_i - 16'd1);

  // Precompute: M x T tables from the incoming activations.
  for (genvar i = 0; i < M; i++) begin : gen_row
    for (genvar t = 0; t < T; t++) begin : gen_table
      lut_precompute #(
        .G   (G),
        .TW  (TW),
        .Fp16(Fp16),
        .Sym (Sym)
      ) u_pre (
        .act_i    (in_act_i[(i*K + t*G)*16 +: G*16]),
        .fp16_i   (cfg_act_fp16_i),
        .entries_o(tables_new[(i*T + t)*E*TW +: E*TW])
      );
    end
  end

  // sum(a) of the beat per row: the all-ones entry of each table, the last one in both layouts
  // (see lut_precompute).
  always_comb begin
    rowsum = '0;
    for (int unsigned i = 0; i < M; i++) begin
      for (int unsigned t = 0; t < T; t++) begin
        logic [TW-1:0] e;
        e = tables_q[((i*T + t)*E + E - 1)*TW +: TW];
        rowsum[i*AccW +: AccW] = rowsum[i*AccW +: AccW] + {{(AccW - TW){e[TW-1]}}, e};
      end
      suma_new[i*AccW +: AccW] = suma_q[i*AccW +: AccW] + rowsum[i*AccW +: AccW];
    end
  end

  always_comb begin
    a_valid_d     = a_valid_q;
    plane_d       = plane_q;
    tables_d      = tables_q;
    w_d           = w_q;
    scale_d       = scale_q;
    zero_d        = zero_q;
    act_scale_d   = act_scale_q;
    a_group_end_d = a_group_end_q;
    a_last_d      = a_last_q;
    a_first_d     = a_first_q;
    beat_cnt_d    = beat_cnt_q;
    group_cnt_d   = group_cnt_q;
    suma_d        = suma_q;
    if (a_adv) begin
      plane_d = plane_q + 3'd1;
      // The next plane moves down.
      w_d = {{(N*K){1'b0}}, w_q[5*N*K-1:N*K]};
    end
    if (a_done) begin
      a_valid_d = 1'b0;
      plane_d   = 3'd0;
      suma_d    = a_group_end_q ? '0 : suma_new;
    end
    if (accept) begin
      a_valid_d     = 1'b1;
      plane_d       = 3'd0;
      w_d           = fp4 ? fp4_planes : {{(N*K){1'b0}}, in_w_i};
      scale_d       = in_scale_i;
      zero_d        = in_zero_i;
      act_scale_d   = in_act_scale_i;
      a_group_end_d = beat_group_end;
      a_last_d      = beat_last;
      a_first_d     = (group_cnt_q == 16'd0);
      if (!in_reuse_table_i) tables_d = tables_new;
      if (beat_group_end) begin
        beat_cnt_d  = 16'd0;
        group_cnt_d = beat_last ? 16'd0 : group_cnt_q + 16'd1;
      end else begin
        beat_cnt_d = beat_cnt_q + 16'd1;
      end
    end
  end

  lut_fp4_decode #(
    .N(N),
    .K(K)
  ) u_fp4 (
    .w_i(in_w_i),
    .u_o(fp4_planes)
  );

  lut_array #(
    .M   (M),
    .N   (N),
    .K   (K),
    .G   (G),
    .TW  (TW),
    .AccW(AccW),
    .Sym (Sym),
    .Stages(ArrStages)
  ) u_array (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (a_adv),
    .clear_i (a_done && a_group_end_q),
    .plane_i (plane_q),
    .tables_i(tables_q),
    .idx_i   (w_q[N*K-1:0]),
    .acc_o   (acc_now)
  );

  // Stage C.
  always_comb begin
    c_valid_d     = c_valid_q;
    c_last_d      = c_last_q;
    c_first_d     = c_first_q;
    c_wait_d      = 1'b0;
    c_acc_d       = c_wait_q ? acc_now : c_acc_q;
    c_suma_d      = c_suma_q;
    c_scale_d     = c_scale_q;
    c_zero_d      = c_zero_q;
    c_act_scale_d = c_act_scale_q;
    c_row_d       = c_row_q;
    c_col_d       = c_col_q;
    c_since_d     = (c_since_q >= SpaceMin) ? SpaceMin : c_since_q + 8'd1;
    if (c_fire && c_start) c_since_d = 8'd1;
    if (c_fire) begin
      if (c_col_q == Chunks[7:0] - 8'd1) begin
        c_col_d = 8'd0;
        c_row_d = c_final ? 8'd0 : c_row_q + 8'd1;
      end else begin
        c_col_d = c_col_q + 8'd1;
      end
    end
    if (c_done) c_valid_d = 1'b0;
    if (a_done && a_group_end_q) begin
      c_valid_d     = 1'b1;
      c_last_d      = a_last_q;
      c_first_d     = a_first_q;
      c_wait_d      = (ArrStages != 0);
      c_acc_d       = acc_now;
      c_suma_d      = suma_new;
      c_scale_d     = scale_q;
      c_zero_d      = zero_q;
      c_act_scale_d = act_scale_q;
    end
  end

  assign c_act_scale_eff = ((Fp16 != 0) && cfg_act_fp16_i) ? {M{Fp16ActScale}} : c_act_scale_q;

  lut_dequant #(
    .M      (M),
    .N      (N),
    .AccW   (AccW),
    .DqLanes(DqLanes),
    .Stages (DqStages)
  ) u_dequant (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .fire_i      (c_fire),
    .first_i     (c_first_q),
    .last_i      (c_last_q),
    .final_i     (c_final),
    .row_i       (c_row_q),
    .col_i       (c_col_q),
    .kind_i      (dq_kind),
    .bits_i      (planes),
    .wfp_i       (cfg_wfp_i),
    .acc_i       (c_acc_q),
    .suma_i      (c_suma_q),
    .zero_i      (c_zero_q),
    .scale_i     (c_scale_q),
    .act_scale_i (c_act_scale_eff),
    .land_o      (land),
    .land_final_o(land_final),
    .land_row_o  (land_row),
    .land_col_o  (land_col),
    .land_data_o (land_data)
  );

  // Stage D: lane l = i * N + j is written by the landing chunk (i, j / DqLanes).
  always_comb begin
    d_valid_d = d_valid_q;
    d_busy_d  = d_busy_q;
    d_data_d  = d_data_q;
    if (d_valid_q && out_ready_i) begin
      d_valid_d = 1'b0;
      d_busy_d  = 1'b0;
    end
    if (c_fire && c_start && c_last_q) d_busy_d = 1'b1;
    if (land) begin
      for (int unsigned l = 0; l < M * N; l++) begin
        if ({24'd0, land_row} == l / N && {24'd0, land_col} == (l % N) / DqLanes) begin
          d_data_d[l*32 +: 32] = land_data[((l % N) % DqLanes)*32 +: 32];
        end
      end
      if (land_final) d_valid_d = 1'b1;
    end
  end

  assign out_valid_o = d_valid_q;
  assign out_data_o  = d_data_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      a_valid_q     <= 1'b0;
      plane_q       <= 3'd0;
      tables_q      <= '0;
      w_q           <= '0;
      scale_q       <= '0;
      zero_q        <= '0;
      act_scale_q   <= '0;
      a_group_end_q <= 1'b0;
      a_last_q      <= 1'b0;
      a_first_q     <= 1'b0;
      beat_cnt_q    <= 16'd0;
      group_cnt_q   <= 16'd0;
      suma_q        <= '0;
      c_valid_q     <= 1'b0;
      c_last_q      <= 1'b0;
      c_first_q     <= 1'b0;
      c_wait_q      <= 1'b0;
      c_since_q     <= SpaceMin;
      c_acc_q       <= '0;
      c_suma_q      <= '0;
      c_scale_q     <= '0;
      c_zero_q      <= '0;
      c_act_scale_q <= '0;
      c_row_q       <= 8'd0;
      c_col_q       <= 8'd0;
      d_valid_q     <= 1'b0;
      d_busy_q      <= 1'b0;
      d_data_q      <= '0;
    end else begin
      a_valid_q     <= a_valid_d;
      plane_q       <= plane_d;
      tables_q      <= tables_d;
      w_q           <= w_d;
      scale_q       <= scale_d;
      zero_q        <= zero_d;
      act_scale_q   <= act_scale_d;
      a_group_end_q <= a_group_end_d;
      a_last_q      <= a_last_d;
      a_first_q     <= a_first_d;
      beat_cnt_q    <= beat_cnt_d;
      group_cnt_q   <= group_cnt_d;
      suma_q        <= suma_d;
      c_valid_q     <= c_valid_d;
      c_last_q      <= c_last_d;
      c_first_q     <= c_first_d;
      c_wait_q      <= c_wait_d;
      c_since_q     <= c_since_d;
      c_acc_q       <= c_acc_d;
      c_suma_q      <= c_suma_d;
      c_scale_q     <= c_scale_d;
      c_zero_q      <= c_zero_d;
      c_act_scale_q <= c_act_scale_d;
      c_row_q       <= c_row_d;
      c_col_q       <= c_col_d;
      d_valid_q     <= d_valid_d;
      d_busy_q      <= d_busy_d;
      d_data_q      <= d_data_d;
    end
  end

endmodule
