// BitMoD column decoder: a weight code of the group's datatype -> the unified bit-serial form, and
// the mantissa digit of the current slice (docs/bitmod.md, model/formats/bitmod_unified.h).
//
// The type id (BitmodType's enum value, 0 .. 12) selects the value set: codes are sign-magnitude,
// the low bits index the type's magnitudes, and the negative-zero code holds the type's special
// value (extra resolution +-3 / +-10, extra asymmetry +-6 / +-16), or 0. Ids 13 .. 15 decode every
// code to 0. The value v (|v| <= 16) becomes mant * 2^exp with mant a 4-bit two's complement
// number and the smallest such exp (0 .. 2). The PE consumes the mantissa two bits per cycle:
// slice 0 the digit mant[1:0] (0 .. 3), slice 1 the digit mant[3:2] signed (-2 .. 1), each with
// the shift exp + 2 * slice. One decoder per column, shared by the column's R PEs.
module bitmod_decode (
  input  logic [3:0] type_i,    // group datatype id
  input  logic [3:0] code_i,    // weight code (bits above the type's width ignored)
  input  logic       slice_i,   // 0: low digit, 1: high digit
  output logic [2:0] digit_o,   // signed digit, -2 .. 3
  output logic [2:0] shift_o    // 0 .. 4
);

  // Magnitude table of a type (index = the code's magnitude bits).
  function automatic logic [4:0] magnitude(input logic [3:0] t, input logic [2:0] idx);
    logic [4:0] m;
    m = {2'b00, idx};                                       // int3, int4: the index itself
    unique case (t)
      4'd1, 4'd2, 4'd3, 4'd4, 4'd5: m = (idx[1:0] == 2'd3) ? 5'd4 : {3'b000, idx[1:0]};  // fp3 0 1 2 4
      4'd7: begin                                           // flint4 0 1 2 3 4 6 8 16
        unique case (idx)
          3'd5:    m = 5'd6;
          3'd6:    m = 5'd8;
          3'd7:    m = 5'd16;
          default: m = {2'b00, idx};
        endcase
      end
      4'd8, 4'd9, 4'd10, 4'd11, 4'd12: begin                // fp4 0 1 2 3 4 6 8 12
        unique case (idx)
          3'd5:    m = 5'd6;
          3'd6:    m = 5'd8;
          3'd7:    m = 5'd12;
          default: m = {2'b00, idx};
        endcase
      end
      default: ;
    endcase
    magnitude = m;
  endfunction

  // The special value of the negative-zero code (0 for types without one).
  function automatic logic [5:0] special(input logic [3:0] t);
    logic [5:0] s;
    unique case (t)
      4'd2:    s = 6'sd3;
      4'd3:    s = -6'sd3;
      4'd4:    s = 6'sd6;
      4'd5:    s = -6'sd6;
      4'd9:    s = 6'sd10;
      4'd10:   s = -6'sd10;
      4'd11:   s = 6'sd16;
      4'd12:   s = -6'sd16;
      default: s = 6'sd0;
    endcase
    special = s;
  endfunction

  logic       valid, four_bit, neg, negzero;
  logic [2:0] idx;
  logic [5:0] mag, value;
  assign valid    = type_i <= 4'd12;
  assign four_bit = type_i >= 4'd6;
  assign neg      = four_bit ? code_i[3] : code_i[2];
  assign idx      = four_bit ? code_i[2:0] : {1'b0, code_i[1:0]};
  assign negzero  = neg && idx == 3'd0;
  assign mag      = {1'b0, magnitude(type_i, idx)};
  always_comb begin
    if (!valid) value = '0;
    else if (negzero) value = special(type_i);
    else if (neg) value = ~mag + 6'd1;
    else value = mag;
  end

  // Unified form: the smallest exp with value / 2^exp in [-8, 7] (every BitMoD value has one).
  logic [3:0] mant;
  logic [1:0] exp;
  logic       fits0, fits1;
  assign fits0 = $signed(value) >= -6'sd8 && $signed(value) <= 6'sd7;
  assign fits1 = !value[0] && $signed(value) >= -6'sd16 && $signed(value) <= 6'sd15;
  always_comb begin
    if (fits0) begin
      mant = value[3:0];
      exp  = 2'd0;
    end else if (fits1) begin
      mant = value[4:1];
      exp  = 2'd1;
    end else begin
      mant = value[5:2];
      exp  = 2'd2;
    end
  end

  assign digit_o = slice_i ? {mant[3], mant[3:2]} : {1'b0, mant[1:0]};
  assign shift_o = {1'b0, exp} + {1'b0, slice_i, 1'b0};

endmodule
