// IEEE binary32 -> binary16, round to nearest even, subnormals, overflow to infinity.
//
// Matches model/formats/fp16.h fp16_from_float bit for bit: NaN keeps its sign and the top 9 payload
// bits with the quiet bit set; binary32 subnormals (< 2^-126) round to a signed zero. For a normal
// input 1.f * 2^e the FP16 target exponent is e + 15; below 1 the result is subnormal and the
// 24-bit significand is shifted right by 14 - (e + 15) = 113 - E (biased E) instead of by 13.
// Rounding adds one to the packed {exponent, fraction}, so carries reach the next binade or infinity.
module mac_fp32_to_fp16 (
  input  logic [31:0] a_i,
  output logic [15:0] y_o
);

  logic        sign;
  logic [7:0]  exp;
  logic [22:0] frac;
  assign {sign, exp, frac} = a_i;

  // Right shift of the 24-bit significand to the FP16 LSB: 13 for normals, more for subnormals
  // (clamped: at 40 every bit is below the guard position and only sticky remains).
  logic [7:0]  rs;
  logic        sub;
  assign sub = (exp < 8'd113);
  assign rs  = sub ? ((8'd126 - exp > 8'd40) ? 8'd40 : (8'd126 - exp)) : 8'd13;

  logic [63:0] ext;
  logic [14:0] keep;
  logic        guard, sticky, round_up;
  assign ext      = {1'b1, frac, 40'd0} >> rs;
  assign keep     = ext[54:40];
  assign guard    = ext[39];
  assign sticky   = |ext[38:0];
  assign round_up = guard & (sticky | keep[0]);

  logic [7:0]  e16;  // biased FP16 exponent of a normal result (exp - 112)
  logic [14:0] packed_mag;
  assign e16        = exp - 8'd112;
  assign packed_mag = sub ? keep : {e16[4:0], keep[9:0]};

  logic unused_keep;
  assign unused_keep = (^keep[14:10]) ^ (^e16[7:5]) ^ (^ext[63:55]);  // always zero here

  always_comb begin
    if (exp == 8'hFF) begin
      y_o = (frac == 23'd0) ? {sign, 15'h7C00} : {sign, 5'h1F, 1'b1, frac[21:13]};
    end else if (exp == 8'd0) begin
      y_o = {sign, 15'd0};
    end else if (exp > 8'd142) begin
      y_o = {sign, 15'h7C00};  // >= 2^16: beyond max finite even before rounding
    end else begin
      y_o = {sign, packed_mag + {14'd0, round_up}};
    end
  end

endmodule
