// Row activation converter of the PE arrays (mixpe, bitmod): INT8 sign extension, or FP16 aligned
// exactly to fixed point a * 2^24 (model/kernels/mpgemm.h fp16_to_fixed).
//
// "Shift&add on the significand with exponent handling": a finite FP16 value is
// (1024 + m) * 2^(e - 25) for e >= 1 and m * 2^-24 for e = 0, so a * 2^24 is the 11-bit significand
// shifted left by e - 1 (normal) or 0 (subnormal): at most 2047 << 29 < 2^40, 41 bits signed.
// Inf/NaN (e = 31) are not values: like the golden fp16_to_fixed() they shift by 30 (the host must
// not send them), which needs 42 bits signed; the FP16 output is that wide, so the RTL equals the
// golden on every bit pattern. One converter per row, shared by the row's C PEs.
module lb_act_conv #(
  parameter int unsigned ActW = 8,    // output width: 8 (INT8 only), 42 with the FP16 path
  parameter int unsigned Fp16 = 0     // 1: FP16 path present
) (
  input  logic            fp16_i,  // this tile's activations are FP16
  input  logic [15:0]     act_i,   // INT8 code in [7:0], or FP16 bits
  output logic [ActW-1:0] fx_o     // signed fixed point
);

  if (Fp16 != 0) begin : gen_fp16
    logic [4:0]      exp;
    logic [10:0]     sig;
    logic [4:0]      shamt;
    logic [ActW-1:0] int8_fx, mag, fp_fx;
    assign int8_fx = {{(ActW - 8) {act_i[7]}}, act_i[7:0]};
    assign exp     = act_i[14:10];
    assign sig     = {exp != 5'd0, act_i[9:0]};
    assign shamt   = (exp == 5'd0) ? 5'd0 : exp - 5'd1;
    assign mag     = {{(ActW - 11) {1'b0}}, sig} << shamt;
    assign fp_fx   = act_i[15] ? (~mag + 1'b1) : mag;
    assign fx_o    = fp16_i ? fp_fx : int8_fx;
  end else begin : gen_int8
    logic unused_fp16;
    assign unused_fp16 = fp16_i ^ (^act_i[15:8]);
    assign fx_o = act_i[7:0];
  end

endmodule
