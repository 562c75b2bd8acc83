// FP32 part of one column's group dequant in the mixpe and mac arrays, pipelined by Stages.
//
//   prod = float(S) * scale32             (or, bypass: the group's FP32 partial sum, mac FP16)
// with scale32 the codec's FP32 group scale (lb_wscale: the FP16 scale; FP16 / 2 or 2^(x - 128)
// for FP4 codes, whose group sums are of doubled values)
//   res  = out + prod                     running result of the row (model/kernels/dequant.h)
// and the caller applies the activation scale of the tile's last group to res (its own
// lb_fp32_mul_pipe of min(S, 6) stages: y = last ? res * act_scale : res * 1.0, the output
// scale of the characterization's breakdown).
//
// Each operation is one RNE binary32 unit of rtl/common (no FMA), so the bits are those of the
// unpipelined unit whatever Stages is (res * 1.0 is res: running results are never non-canonical
// NaN). Stages = S picks min(S, 4) registers in the int -> fp32 conversion, min(S, 6) in the
// multiply and S in the add, plus one register after each unit when S > 0. Offsets from sum_i:
//   out_i                    AddAt = Si + Sm + 2 p     (p = S > 0; the caller delays the row)
//   res_o                    MulAt = AddAt + Sa + p
module lb_pe_array_dq #(
  parameter int unsigned Width  = 32,  // integer group sum width
  parameter int unsigned Stages = 0    // 0 .. 6
) (
  input  logic             clk_i,
  input  logic             v_i,          // sum_i and its operands are valid (a drained row)
  input  logic [Width-1:0] sum_i,        // exact group sum S (two's complement)
  input  logic [15:0]      scale_i,      // group scale field, FP16 or E8M0 (with sum_i)
  input  logic [1:0]       wfp_i,        // its codec (lb_wscale; with sum_i)
  input  logic             bypass_i,     // add fp_i instead of float(S) * scale (with sum_i)
  input  logic [31:0]      fp_i,         // FP32 partial sum (with sum_i)
  input  logic [31:0]      out_i,        // the row's running result (at AddAt)
  output logic [31:0]      res_o,        // out + prod (at MulAt)
  output logic             v_o           // res_o is valid
);

  localparam int unsigned P  = (Stages > 0) ? 1 : 0;
  localparam int unsigned Si = (Stages > 4) ? 4 : Stages;
  localparam int unsigned Sm = (Stages > 6) ? 6 : Stages;
  localparam int unsigned Sa = (Stages > 6) ? 6 : Stages;

  // int -> fp32 beside the (exact) scale conversion; bypass operands ride along.
  // Every register loads only in the cycles its element is valid (lb_vpipe, lb_vdelay), so the
  // synthesis flow clock-gates the pipeline: it is clocked for the drained rows only.
  logic [31:0] s_f, scale_f, scale_d, fp_d;
  logic        byp_d, v_c, v_p0, v_m, v_p1, v_a, unused_v0, unused_v1;
  lb_int_to_fp32_pipe #(
    .Width (Width),
    .Stages(Si)
  ) u_cvt (
    .clk_i,
    .v_i,
    .a_i(sum_i),
    .y_o(s_f),
    .v_o(v_c)
  );
  lb_wscale u_scale (
    .wfp_i  (wfp_i),
    .field_i(scale_i),
    .y_o    (scale_f)
  );
  lb_vdelay #(
    .Width(65),
    .Depth(Si + P)
  ) u_d0 (
    .clk_i,
    .v_i,
    .d_i({bypass_i, fp_i, scale_f}),
    .v_o(unused_v0),
    .q_o({byp_d, fp_d, scale_d})
  );
  logic [31:0] s_fq;
  lb_vpipe #(
    .Width (32),
    .Enable(P != 0)
  ) u_p0 (
    .clk_i,
    .v_i(v_c),
    .d_i(s_f),
    .v_o(v_p0),
    .q_o(s_fq)
  );

  // float(S) * float(scale).
  logic [31:0] prod, fp_m, addend, addend_q;
  logic        byp_m;
  lb_fp32_mul_pipe #(
    .Stages(Sm)
  ) u_mul (
    .clk_i,
    .v_i(v_p0),
    .a_i(s_fq),
    .b_i(scale_d),
    .y_o(prod),
    .v_o(v_m)
  );
  lb_vdelay #(
    .Width(33),
    .Depth(Sm)
  ) u_d1 (
    .clk_i,
    .v_i(v_p0),
    .d_i({byp_d, fp_d}),
    .v_o(unused_v1),
    .q_o({byp_m, fp_m})
  );
  assign addend = byp_m ? fp_m : prod;
  lb_vpipe #(
    .Width (32),
    .Enable(P != 0)
  ) u_p1 (
    .clk_i,
    .v_i(v_m),
    .d_i(addend),
    .v_o(v_p1),
    .q_o(addend_q)
  );

  // res = out + prod.
  logic [31:0] res;
  lb_fp32_add_pipe #(
    .Stages(Sa)
  ) u_add (
    .clk_i,
    .v_i(v_p1),
    .a_i(out_i),
    .b_i(addend_q),
    .y_o(res),
    .v_o(v_a)
  );
  lb_vpipe #(
    .Width (32),
    .Enable(P != 0)
  ) u_p2 (
    .clk_i,
    .v_i(v_a),
    .d_i(res),
    .v_o(v_o),
    .q_o(res_o)
  );

endmodule
