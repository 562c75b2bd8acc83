// MixPE array: R x C output-stationary shift&add PEs, one dequant unit per column (arXiv 2411.16158).
//
// Each x beat is one K step: activation a[r] is broadcast along row r, weight code u[c] down
// column c, and PE (r, c) accumulates a[r] * u[c] for the current weight group. Row converters turn
// the activations into fixed point once per row and also keep the row's sum(a), which the column
// dequant units use for the zero-point correction. After a group, the drain dequantizes one row per
// cycle into the running FP32 results; the tile's last group fills the output buffer, read one row
// per o beat times the row's activation scale. Ports and timing are shared with mac_array.
module mixpe_array #(
  parameter int unsigned Rows = 8,    // 1 .. 64
  parameter int unsigned Cols = 8,    // 1 .. 64
  parameter int unsigned Fp16 = 1     // 1: FP16 activations supported (64-bit accumulators)
) (
  input  logic                 clk_i,
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

  localparam int unsigned AccW = (Fp16 != 0) ? 64 : 32;
  // Fixed-point activation width: INT8, or an 11-bit FP16 significand shifted by up to 30 (e = 31,
  // outside the contract, shifts like the golden; finite values need 41) plus the sign. The PEs'
  // products are ActW + 8 bits wide, only the accumulators and row sums AccW.
  localparam int unsigned ActW = (Fp16 != 0) ? 11 + 30 + 1 : 8;
  localparam int unsigned RowAcc = Cols * AccW;  // bits of one row of PE sums
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

  // The accumulate stage needs neither the group parameters nor the drain's tile format.
  logic unused_ctrl;
  assign unused_ctrl = sh_fp16 ^ (^scale) ^ (^zero) ^ (^kind);

  // ---- Row converters and row sums ---------------------------------------------------------------
  logic [Rows*ActW-1:0] act_fx;
  logic [Rows*AccW-1:0] act_acc, asum_d, asum_q, sh_asum_d, sh_asum_q;
  for (genvar r = 0; r < Rows; r++) begin : gen_rows
    mixpe_act_conv #(
      .ActW(ActW),
      .Fp16(Fp16)
    ) u_conv (
      .fp16_i(fp16),
      .act_i (x_act_i[r*16+:16]),
      .fx_o  (act_fx[r*ActW+:ActW])
    );
    assign act_acc[r*AccW+:AccW] = {{(AccW - ActW) {act_fx[r*ActW+ActW-1]}}, act_fx[r*ActW+:ActW]};
  end

  always_comb begin
    asum_d    = asum_q;
    sh_asum_d = sh_asum_q;
    if (step) begin
      for (int unsigned r = 0; r < Rows; r++) begin
        if (grp_last) begin
          sh_asum_d[r*AccW+:AccW] = asum_q[r*AccW+:AccW] + act_acc[r*AccW+:AccW];
          asum_d[r*AccW+:AccW]    = '0;
        end else begin
          asum_d[r*AccW+:AccW] = asum_q[r*AccW+:AccW] + act_acc[r*AccW+:AccW];
        end
      end
    end
  end

  // ---- Weight codes: keep the b low bits ---------------------------------------------------------
  logic [7:0] code_mask;
  assign code_mask = lb_weight_pkg::code_mask(bits);

  // ---- PE array --------------------------------------------------------------------------------
  logic [Rows*Cols*AccW-1:0] pe_sum;
  for (genvar r = 0; r < Rows; r++) begin : gen_pe_r
    for (genvar c = 0; c < Cols; c++) begin : gen_pe_c
      mixpe_pe #(
        .ActW(ActW),
        .AccW(AccW)
      ) u_pe (
        .clk_i,
        .rst_ni,
        .step_i(step),
        .last_i(grp_last),
        .act_i (act_fx[r*ActW+:ActW]),
        .code_i(x_w_i[c*8+:8] & code_mask),
        .sum_o (pe_sum[(r*Cols+c)*AccW+:AccW])
      );
    end
  end

  // ---- Drain: one row per cycle through the column dequant units ---------------------------------
  logic [RowAcc-1:0]       drain_sum;
  logic [AccW-1:0]         drain_asum;
  logic [RowF-1:0]         drain_out, drain_res;
  assign drain_sum  = pe_sum[drain_row*RowAcc+:RowAcc];
  assign drain_asum = sh_asum_q[drain_row*AccW+:AccW];

  for (genvar c = 0; c < Cols; c++) begin : gen_dq
    mixpe_dequant #(
      .AccW(AccW)
    ) u_dq (
      .kind_i (sh_kind),
      .bits_i (sh_bits),
      .zero_i (sh_zero[c*8+:8]),
      .scale_i(sh_scale[c*16+:16]),
      .sum_i  (drain_sum[c*AccW+:AccW]),
      .asum_i (drain_asum),
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

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      asum_q    <= '0;
      sh_asum_q <= '0;
    end else begin
      asum_q    <= asum_d;
      sh_asum_q <= sh_asum_d;
    end
  end

endmodule
