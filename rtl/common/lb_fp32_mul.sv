// IEEE binary32 multiplier, combinational: round to nearest even, subnormals in and out,
// canonical NaN. The design is in lb_fp32_mul_pipe; this is its instance with no registers.
module lb_fp32_mul (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] y_o
);

  logic unused_v;  // no registers: always valid
  lb_fp32_mul_pipe #(
    .Stages(0)
  ) u_mul (
    .clk_i(1'b0),
    .v_i  (1'b1),
    .a_i,
    .b_i,
    .y_o,
    .v_o  (unused_v)
  );

endmodule
