// A carry-save adder (3:2 compressor) over Width bits: a + b + c = sum_o + carry_o (mod 2^Width).
//
// One full adder per bit, no carry chain, so its delay does not grow with Width: a tree of them
// reduces many addends to two in a few gate delays, and one carry-propagate add (in the next
// pipeline stage) finishes the sum. Used where a product by a short constant-per-group factor is
// written as a sum of shifted copies (lut_dequant's zero-point term c * sum(a)).
module lb_csa #(
  parameter int unsigned Width = 32
) (
  input  logic [Width-1:0] a_i,
  input  logic [Width-1:0] b_i,
  input  logic [Width-1:0] c_i,
  output logic [Width-1:0] sum_o,
  output logic [Width-1:0] carry_o
);

  logic [Width-1:0] maj;
  assign sum_o   = a_i ^ b_i ^ c_i;
  assign maj     = (a_i & b_i) | (a_i & c_i) | (b_i & c_i);
  assign carry_o = {maj[Width-2:0], 1'b0};

  logic unused_maj_top;
  assign unused_maj_top = maj[Width-1];  // weight 2^Width: dropped, the sum is modulo 2^Width

endmodule
