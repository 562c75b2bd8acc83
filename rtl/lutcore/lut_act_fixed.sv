// One activation lane to exact signed fixed point: INT8 as is, FP16 as a * 2^24 (41 bits).
//
// A finite FP16 value (-1)^s * m * 2^(e-25) (m = 1.f with 11 bits for e >= 1, f for e = 0) times
// 2^24 is the integer m << (e - 1) (normal) or f (subnormal): at most 40 magnitude bits. Exponent
// 31 (Inf/NaN) is outside the contract (tensors.h: finite activations); it takes the same shift,
// truncated to 40 bits, so every implementation still agrees bit for bit.
module lut_act_fixed (
  input  logic [15:0] a_i,       // INT8 code in a_i[7:0], or an FP16 bit pattern
  input  logic        fp16_i,    // 1: a_i is FP16
  output logic [40:0] fixed_o    // signed two's complement
);

  logic [4:0]  exp;
  logic [10:0] sig;
  logic [50:0] shifted;
  logic [39:0] mag;

  assign exp     = a_i[14:10];
  assign sig     = (exp == 5'd0) ? {1'b0, a_i[9:0]} : {1'b1, a_i[9:0]};
  assign shifted = (exp == 5'd0) ? {40'd0, sig} : ({40'd0, sig} << (exp - 5'd1));
  assign mag     = shifted[39:0];

  logic unused_shifted;
  assign unused_shifted = ^shifted[50:40];

  always_comb begin
    fixed_o = {{33{a_i[7]}}, a_i[7:0]};
    if (fp16_i) begin
      fixed_o = a_i[15] ? (41'd0 - {1'b0, mag}) : {1'b0, mag};
    end
  end

endmodule
