// Dequantize-then-MAC baseline array: R x C output-stationary MAC PEs behind per-column weight
// dequantizers (what a conventional tensor core does), with mixpe_array's ports, control and timing.
//
// Each x beat is one K step: activation a[r] is broadcast along row r; the weight code of column c
// is first dequantized (mac_wdeq: to a 9-bit integer for INT8 tiles, to FP16 with the group scale
// for FP16 tiles) and then multiplied on a real multiplier in every PE of the column. After a group
// the drain applies the per-group FP32 dequant (INT8) or adds the FP32 partial sum (FP16), one row
// per cycle, exactly like mixpe_array; the output stage multiplies by the row's activation scale.
module mac_array #(
  parameter int unsigned Rows = 8,  // 1 .. 64
  parameter int unsigned Cols = 8,  // 1 .. 64
  parameter int unsigned Fp16 = 1   // 1: FP16 x FP16 -> FP32 datapath present
) (  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 t_valid_i,
  output logic                 t_ready_o,
  input  logic                 t_fp16_i,
  input  logic [1:0]           t_kind_i,
  input  logic [3:0]           t_bits_i,
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
  localparam int unsigned RowF = Cols * 32;      // bits of one row of FP32 results

  logic               step, grp_last, fp16, drain, drain_last, sh_fp16;
  logic [1:0]         kind, sh_kind;
  logic [3:0]         bits, sh_bits;
  logic [Cols*16-1:0] scale, sh_scale;
  logic [Cols*8-1:0]  zero, sh_zero;
  logic [7:0]         drain_row, out_row;
  logic [31:0]        out_scale;

  lb_pe_array_ctrl #(
    .Rows(Rows),
    .Cols(Cols)
  ) u_ctrl (
    .clk_i,
    .rst_ni,
    .t_valid_i,
    .t_ready_o,
    .t_fp16_i,
    .t_kind_i,
    .t_bits_i,
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
    .scale_o     (scale),
    .zero_o      (zero),
    .drain_o     (drain),
    .drain_last_o(drain_last),
    .drain_row_o (drain_row),
    .sh_fp16_o   (sh_fp16),
    .sh_kind_o   (sh_kind),
    .sh_bits_o   (sh_bits),
    .sh_scale_o  (sh_scale),
    .sh_zero_o   (sh_zero),
    .out_row_o   (out_row),
    .out_scale_o (out_scale)
  );

  logic unused_ctrl;
  assign unused_ctrl = (^sh_kind) ^ (^sh_bits) ^ (^sh_zero);

  // ---- Weight dequantizers, one per column -------------------------------------------------------
  logic [Cols*9-1:0]  w_int;
  logic [Cols*16-1:0] w16;
  for (genvar c = 0; c < Cols; c++) begin : gen_wdeq
    mac_wdeq u_wdeq (
      .kind_i (kind),
      .bits_i (bits),
      .code_i (x_w_i[c*8+:8]),
      .zero_i (zero[c*8+:8]),
      .scale_i(scale[c*16+:16]),
      .w_o    (w_int[c*9+:9]),
      .w16_o  (w16[c*16+:16])
    );
  end

  // ---- PE array --------------------------------------------------------------------------------
  logic [Rows*Cols*32-1:0] pe_sum;
  for (genvar r = 0; r < Rows; r++) begin : gen_pe_r
    for (genvar c = 0; c < Cols; c++) begin : gen_pe_c
      mac_pe #(
        .Fp16(Fp16)
      ) u_pe (
        .clk_i,
        .rst_ni,
        .step_i(step),
        .last_i(grp_last),
        .fp16_i(fp16),
        .act_i (x_act_i[r*16+:16]),
        .w_i   (w_int[c*9+:9]),
        .w16_i (w16[c*16+:16]),
        .sum_o (pe_sum[(r*Cols+c)*32+:32])
      );
    end
  end

  // ---- Drain: one row per cycle through the column dequant units ---------------------------------
  logic [RowAcc-1:0]       drain_sum;
  logic [RowF-1:0]         drain_out, drain_res;
  assign drain_sum  = pe_sum[drain_row*RowAcc+:RowAcc];

  for (genvar c = 0; c < Cols; c++) begin : gen_dq
    mac_dequant u_dq (
      .fp16_i (sh_fp16 & (Fp16 != 0)),
      .scale_i(sh_scale[c*16+:16]),
      .sum_i  (drain_sum[c*32+:32]),
      .out_i  (drain_out[c*32+:32]),
      .out_o  (drain_res[c*32+:32])
    );
  end

  // ---- Running results and output buffer; output: one row per beat, times its activation scale --
  logic [RowF-1:0] ob_row;
  lb_pe_array_out #(
    .Rows(Rows),
    .Cols(Cols)
  ) u_out (
    .clk_i,
    .rst_ni,
    .drain_i     (drain),
    .drain_last_i(drain_last),
    .drain_row_i (drain_row),
    .drain_out_o (drain_out),
    .drain_res_i (drain_res),
    .out_row_i   (out_row),
    .out_row_o   (ob_row)
  );
  for (genvar c = 0; c < Cols; c++) begin : gen_out
    lb_fp32_mul u_oscale (
      .a_i(ob_row[c*32+:32]),
      .b_i(out_scale),
      .y_o(o_data_o[c*32+:32])
    );
  end

endmodule
