// A delay line of Depth registers (Depth = 0: a wire) whose stages load only when the data at
// their input is valid (lb_vpipe's rule): operands and control that travel with a valid bit beside
// a pipelined arithmetic unit of the same latency. v_i says d_i is valid; v_o is v_i Depth cycles
// later, and q_o then holds the d_i of that cycle. In the other cycles q_o holds the last valid
// data. The stages' enables let the synthesis flow gate their clocks (rtl/synth/clock_gating.py).
module lb_vdelay #(
  parameter int unsigned Width = 1,
  parameter int unsigned Depth = 1
) (
  input  logic             clk_i,
  input  logic             v_i,
  input  logic [Width-1:0] d_i,
  output logic             v_o,
  output logic [Width-1:0] q_o
);

  logic [Width-1:0] d[Depth+1];
  logic             v[Depth+1];
  assign d[0] = d_i;
  assign v[0] = v_i;
  for (genvar i = 0; i < Depth; i++) begin : gen_stage
    lb_vpipe #(
      .Width (Width),
      .Enable(1'b1)
    ) u_stage (
      .clk_i,
      .v_i(v[i]),
      .d_i(d[i]),
      .v_o(v[i+1]),
      .q_o(d[i+1])
    );
  end
  if (Depth == 0) begin : gen_wire
    logic unused_clk;
    assign unused_clk = clk_i;
  end
  assign v_o = v[Depth];
  assign q_o = d[Depth];

endmodule
