// BitMoD array: R x C output-stationary bit-serial PEs on per-group datatypes (arXiv 2411.11745).
//
// Same ports, valid/ready channels and control as mixpe_array (rtl/common/lb_pe_array_ctrl.sv),
// with these meanings (docs/bitmod.md):
//   t: t_bits_i is the weight precision (3 or 4; counted in the stats, not used by the datapath),
//      t_k_i and t_group_i count x beats: 2 per weight (K * 2 and G * 2), t_kind_i is unused;
//   g: g_scale_i the FP16 group scales, g_zero_i[c*8+:8] the group's datatype id of column c
//      (BitmodType's enum value, model/formats/bitmod_types.h) instead of a zero point;
//   x: one beat is one slice (two mantissa bits) of one K step: the host sends each K step's
//      activations and codes twice, slice 0 then slice 1 (the slice counter below tracks which).
// Column c's decoder turns (type, code, slice) into a signed digit and a shift; PE (r, c) adds
// (a[r] * digit) << shift. After a group, the drain dequantizes one row per cycle into the running
// FP32 results (out + float(S) * float(scale)), and the tile's last group fills the output buffer
// with the results times the row's activation scale, read one row per o beat (lb_pe_array_drain,
// mixpe_array's drain and its DqStages pipeline). The operands are broadcast to their row / column
// (Systolic = PeStages = 0: no systolic or pipelined PE form yet).
module bitmod_array #(
  parameter int unsigned Rows = 4,    // 1 .. 64
  parameter int unsigned Cols = 4,    // 1 .. 64
  parameter int unsigned Fp16 = 1,    // 1: FP16 activations supported (64-bit accumulators)
  // The PE arrays' pipelining parameters (rtl/mixpe/mixpe_array.sv): the bitmod array has the
  // broadcast PE form only (the registry allows Systolic = PeStages = 0, model/arch/bitmod) and
  // the pipelined drain.
  parameter int unsigned Systolic = 0,
  parameter int unsigned PeStages = 0,
  parameter int unsigned DqStages = 0   // 0 .. 6: pipeline of the drain (lb_pe_array_drain)
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
  // Fixed-point activation width: INT8, or the FP16 significand shifted by up to 30 plus the sign.
  localparam int unsigned ActW = (Fp16 != 0) ? 11 + 30 + 1 : 8;
  localparam int unsigned RowAcc = Cols * AccW;  // bits of one row of PE sums
  // The drain's latencies (lb_pe_array_drain, as mixpe_array's): the running results are read
  // AddAt cycles after the row select and written DqLat cycles after it.
  localparam int unsigned DqP     = (DqStages > 0) ? 1 : 0;
  localparam int unsigned DqSi    = (DqStages > 4) ? 4 : DqStages;
  localparam int unsigned DqSm    = (DqStages > 6) ? 6 : DqStages;
  localparam int unsigned AddAt   = 5 * DqP + DqSi + DqSm;
  localparam int unsigned DqLat   = AddAt + DqSm + DqP + DqSm;

  if (Systolic != 0 || PeStages != 0 || DqStages > 6) begin : gen_unsupported
    $error("bitmod_array: Systolic and PeStages must be 0, DqStages 0 .. 6");
  end

  logic               step, grp_last, fp16, drain, drain_last, sh_fp16;
  logic [1:0]         kind, sh_kind;
  logic [3:0]         bits, sh_bits;
  logic [Cols*16-1:0] scale, sh_scale;
  logic [Cols*8-1:0]  types, sh_types;
  logic [7:0]         drain_row, out_row;
  logic [31:0]        drain_scale;

  logic [1:0]         wfp, sh_wfp;  // always 0 here
  lb_pe_array_ctrl #(
    .Rows (Rows),
    .Cols (Cols),
    .DqLat(DqLat),
    .DqGap(DqLat - AddAt)
  ) u_ctrl (
    .clk_i,
    .rst_ni,
    .t_valid_i,
    .t_ready_o,
    .t_fp16_i,
    .t_kind_i,
    .t_bits_i,
    .t_wfp_i     (2'd0),  // BitMoD codes only (the FP4 codecs run on mixpe, mac, lutcore)
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
    .zero_o      (types),
    .drain_o     (drain),
    .drain_last_o(drain_last),
    .drain_row_o (drain_row),
    .sh_fp16_o   (sh_fp16),
    .sh_kind_o   (sh_kind),
    .sh_bits_o   (sh_bits),
    .sh_wfp_o    (sh_wfp),
    .sh_scale_o  (sh_scale),
    .sh_zero_o   (sh_types),
    .drain_scale_o(drain_scale),
    .out_row_o   (out_row)
  );

  // The datapath needs neither the kind nor the precision (the type ids carry both), the
  // accumulate stage not the scales, the drain not the types.
  logic unused_ctrl;
  assign unused_ctrl = sh_fp16 ^ (^scale) ^ (^sh_types) ^ (^kind) ^ (^sh_kind) ^ (^bits) ^
                       (^sh_bits) ^ (^wfp);

  // ---- Slice counter: beats alternate slice 0 / slice 1; a group's last beat restarts it ---------
  logic slice_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) slice_q <= 1'b0;
    else if (step) slice_q <= grp_last ? 1'b0 : ~slice_q;
  end

  // ---- Row converters ----------------------------------------------------------------------------
  logic [Rows*ActW-1:0] act_fx;
  for (genvar r = 0; r < Rows; r++) begin : gen_rows
    lb_act_conv #(
      .ActW(ActW),
      .Fp16(Fp16)
    ) u_conv (
      .fp16_i(fp16),
      .act_i (x_act_i[r*16+:16]),
      .fx_o  (act_fx[r*ActW+:ActW])
    );
  end

  // ---- Column decoders: (type, code, slice) -> digit and shift ----------------------------------
  logic [Cols*3-1:0] digit, shift;
  for (genvar c = 0; c < Cols; c++) begin : gen_dec
    logic [3:0] unused_hi;
    assign unused_hi = types[c*8+4+:4] ^ x_w_i[c*8+4+:4];
    bitmod_decode u_dec (
      .type_i (types[c*8+:4]),
      .code_i (x_w_i[c*8+:4]),
      .slice_i(slice_q),
      .digit_o(digit[c*3+:3]),
      .shift_o(shift[c*3+:3])
    );
  end

  // ---- PE array --------------------------------------------------------------------------------
  logic [Rows*Cols*AccW-1:0] pe_sum;
  for (genvar r = 0; r < Rows; r++) begin : gen_pe_r
    for (genvar c = 0; c < Cols; c++) begin : gen_pe_c
      bitmod_pe #(
        .ActW(ActW),
        .AccW(AccW)
      ) u_pe (
        .clk_i,
        .rst_ni,
        .step_i (step),
        .last_i (grp_last),
        .act_i  (act_fx[r*ActW+:ActW]),
        .digit_i(digit[c*3+:3]),
        .shift_i(shift[c*3+:3]),
        .sum_o  (pe_sum[(r*Cols+c)*AccW+:AccW])
      );
    end
  end

  // ---- Drain: one row per cycle through the column dequant units (lb_pe_array_drain) -----------
  // The group sums are exact integers (no zero point): they go straight to the FP32 dequant.
  lb_pe_array_drain #(
    .Rows    (Rows),
    .Cols    (Cols),
    .Width   (AccW),
    .DqStages(DqStages)
  ) u_drain (
    .clk_i,
    .rst_ni,
    .drain_i      (drain),
    .drain_last_i (drain_last),
    .drain_row_i  (drain_row),
    .drain_scale_i(drain_scale),
    .sum_i        (pe_sum[drain_row*RowAcc+:RowAcc]),
    .bypass_i     (1'b0),
    .scale_i      (sh_scale),
    .wfp_i        (sh_wfp),
    .out_row_i    (out_row),
    .out_row_o    (o_data_o)
  );

endmodule
