// Signed integer -> IEEE binary32, round to nearest, ties to even (C++ static_cast<float>),
// combinational: the design is in lb_int_to_fp32_pipe; this is its instance with no registers.
module lb_int_to_fp32 #(
  parameter int unsigned Width = 64  // 2 .. 1024
) (
  input  logic [Width-1:0] a_i,  // signed two's complement integer
  output logic [31:0]      y_o   // RNE conversion (same as C++ static_cast<float>(int64_t))
);

  logic unused_v;  // no registers: always valid
  lb_int_to_fp32_pipe #(
    .Width (Width),
    .Stages(0)
  ) u_cvt (
    .clk_i(1'b0),
    .v_i  (1'b1),
    .a_i,
    .y_o,
    .v_o  (unused_v)
  );

endmodule
