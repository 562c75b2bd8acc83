// bitmod row activation converter: INT8 sign extension, or FP16 as the exact fixed point a * 2^24
// (model/kernels/mixpe_tile.h tile_act_int, fp16_to_fixed of model/kernels/mpgemm.h).
//
// A finite FP16 value with exponent field e and fraction f is (1024 + f) * 2^(e - 25) for e >= 1
// and f * 2^-24 for e = 0, so a * 2^24 is the 11-bit significand shifted left by e - 1, or by 0
// for subnormals. Inf/NaN (e = 31) shift by 30 like the golden (the host must not send them):
// 11 + 30 bits of magnitude plus the sign, ActW = 42. The same function as rtl/mixpe's converter,
// which another unit's folder cannot share until it moves to rtl/common.
module bitmod_act_conv #(
  parameter int unsigned ActW = 8,  // 8 (INT8 only), 42 with the FP16 path
  parameter int unsigned Fp16 = 0   // 1: FP16 path present
) (
  input  logic            fp16_i,   // this tile's activations are FP16
  input  logic [15:0]     act_i,    // INT8 code in [7:0], or FP16 bits
  output logic [ActW-1:0] fx_o      // signed fixed point
);

  if (Fp16 != 0) begin : gen_fp16
    logic            normal;
    logic [4:0]      shamt;
    logic [ActW-1:0] sig, mag;
    assign normal = act_i[14:10] != 5'd0;
    assign shamt  = normal ? act_i[14:10] - 5'd1 : 5'd0;
    assign sig    = {{(ActW - 11) {1'b0}}, normal, act_i[9:0]};
    assign mag    = sig << shamt;
    assign fx_o   = !fp16_i ? {{(ActW - 8) {act_i[7]}}, act_i[7:0]} : act_i[15] ? -mag : mag;
  end else begin : gen_int8
    logic unused_hi;
    assign unused_hi = fp16_i ^ (^act_i[15:8]);
    assign fx_o      = act_i[7:0];
  end

endmodule
