// Logical right shift that also reports whether any one bit was shifted out (the sticky bit).
//
// Shift amounts of Width or more give an all-zero result with sticky = |in_i, which is what the
// FP alignment and denormalization steps need when an operand falls far below the other.
module lb_rshift_sticky #(
  parameter int unsigned Width      = 32,
  parameter int unsigned ShiftWidth = 6
) (
  input  logic [Width-1:0]      in_i,
  input  logic [ShiftWidth-1:0] shamt_i,
  output logic [Width-1:0]      out_o,
  output logic                  sticky_o
);

  logic [Width-1:0] lost_mask;  // ones at the bit positions that fall off the bottom

  assign out_o     = in_i >> shamt_i;
  assign lost_mask = ~({Width{1'b1}} << shamt_i);
  assign sticky_o  = |(in_i & lost_mask);

endmodule
