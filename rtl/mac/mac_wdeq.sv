// MAC weight dequantizer (one per column, in front of the array): code -> integer or FP16 operand.
//
// INT8 tiles: w = lb_weight_pkg::weight_value(kind, b, code, z), 9-bit two's complement; FP4
// codes (wfp_i != 0, docs/fp-weights.md): w = twice the E2M1 value (lb_weight_pkg::fp4_doubled,
// -12 .. 12), the group scale then being the codec's halved one (lb_wscale).
// FP16 tiles: w16 = fp16(float(w) * scale32), one RNE rounding: the binary32 product of an
// 11-bit significand (or a power of two) and a 9-bit integer is exact, so rounding it to FP16
// rounds the true product.
// Stages = S > 0: a register before the multiply, min(S, 6) in it and one after the FP16 rounding;
// both outputs appear Lat = min(S, 6) + 2 cycles after the inputs (0 when S = 0).
// Fp16 = 0 (INT8-only arrays): no FP16 path; w16_o is 0 and scale_i unused.
module mac_wdeq #(
  parameter int unsigned Fp16   = 1,  // 1: the FP16 weight path is present
  parameter int unsigned Stages = 0   // 0 .. 6
) (
  input  logic                        clk_i,
  input  lb_weight_pkg::weight_kind_t kind_i,  // WkBinary, WkTernary, WkSigned, WkUnsigned
  input  logic [3:0]                  bits_i,  // 1 .. 8
  input  logic [1:0]                  wfp_i,   // 0 integer codes, 1 fp4_e2m1, 2/3 mxfp4
  input  logic [7:0]                  code_i,
  input  logic [7:0]                  zero_i,
  input  logic [15:0]                 scale_i, // FP16, or E8M0 in the low byte (mxfp4)
  output logic [8:0]                  w_o,     // integer weight
  output logic [15:0]                 w16_o    // FP16 weight (scale applied)
);

  localparam int unsigned P  = (Stages > 0) ? 1 : 0;
  localparam int unsigned Sm = (Stages > 6) ? 6 : Stages;

  logic [8:0] w;
  logic [4:0] w_fp4;
  assign w_fp4 = lb_weight_pkg::fp4_doubled(code_i[3:0]);
  assign w = (wfp_i != 2'd0) ? {{4{w_fp4[4]}}, w_fp4}
                             : lb_weight_pkg::weight_value(kind_i, bits_i, code_i, zero_i);
  lb_delay #(
    .Width(9),
    .Depth(Sm + 2 * P)
  ) u_dw (
    .clk_i,
    .d_i(w),
    .q_o(w_o)
  );

  if (Fp16 != 0) begin : gen_fp16
    logic [31:0] w_f, scale_f, w_fq, scale_fq, prod;
    logic        unused_v;
    lb_int_to_fp32 #(
      .Width(9)
    ) u_w (
      .a_i(w),
      .y_o(w_f)
    );
    lb_wscale u_scale (
      .wfp_i  (wfp_i),
      .field_i(scale_i),
      .y_o    (scale_f)
    );
    lb_pipe #(
      .Width (64),
      .Enable(P != 0)
    ) u_p0 (
      .clk_i,
      .d_i({w_f, scale_f}),
      .q_o({w_fq, scale_fq})
    );
    lb_fp32_mul_pipe #(
      .Stages(Sm)
    ) u_mul (
      .clk_i,
      .v_i(1'b1),  // a weight every cycle: the weight path is not gated
      .a_i(w_fq),
      .b_i(scale_fq),
      .y_o(prod),
      .v_o(unused_v)
    );
    logic [15:0] w16;
    mac_fp32_to_fp16 u_round (
      .a_i(prod),
      .y_o(w16)
    );
    lb_pipe #(
      .Width (16),
      .Enable(P != 0)
    ) u_p1 (
      .clk_i,
      .d_i(w16),
      .q_o(w16_o)
    );
  end else begin : gen_int8
    logic unused_scale;
    assign unused_scale = ^scale_i;
    assign w16_o = '0;
  end

endmodule
