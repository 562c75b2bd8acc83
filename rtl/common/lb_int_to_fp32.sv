// Signed integer -> IEEE binary32, round to nearest, ties to even (C++ static_cast<float>).
//
// The magnitude is taken in Width bits (the two's complement of -2^(Width-1) is 2^(Width-1), which
// still fits as an unsigned value) and handed to the shared rounder with the leading-one position
// Width-1 worth 2^(Width-1), i.e. biased exponent 127 + Width - 1. Integers never produce
// subnormals; Width <= 128 never overflows (2^127 < max finite), wider inputs round to +-inf.
module lb_int_to_fp32 #(
  parameter int unsigned Width = 64  // 2 .. 1024
) (
  input  logic [Width-1:0] a_i,  // signed two's complement integer
  output logic [31:0]      y_o   // RNE conversion (same as C++ static_cast<float>(int64_t))
);

  localparam int unsigned ExpWidth = 12;
  localparam int unsigned TopExpInt = 127 + Width - 1;
  localparam logic signed [ExpWidth-1:0] TopExp = TopExpInt[ExpWidth-1:0];

  logic             sign;
  logic [Width-1:0] mag;
  assign sign = a_i[Width-1];
  assign mag  = sign ? (~a_i + 1'b1) : a_i;

  // The rounder wants at least a full 24-bit significand; narrow inputs are padded below the LSB,
  // which leaves the value (and the exponent of the top bit) unchanged.
  if (Width >= 24) begin : gen_wide
    lb_fp32_round #(
      .SigWidth(Width),
      .ExpWidth(ExpWidth)
    ) u_round (
      .sign_i  (sign),
      .exp_i   (TopExp),
      .sig_i   (mag),
      .sticky_i(1'b0),
      .y_o     (y_o)
    );
  end else begin : gen_narrow
    lb_fp32_round #(
      .SigWidth(24),
      .ExpWidth(ExpWidth)
    ) u_round (
      .sign_i  (sign),
      .exp_i   (TopExp),
      .sig_i   ({mag, {(24 - Width) {1'b0}}}),
      .sticky_i(1'b0),
      .y_o     (y_o)
    );
  end

endmodule
