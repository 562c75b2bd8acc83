// A delay line of Depth registers (Depth = 0: a wire): control and operands that must stay in step
// with a pipelined arithmetic unit of the same latency. No reset (datapath; valid bits that need
// one are kept by the caller).
module lb_delay #(
  parameter int unsigned Width = 1,
  parameter int unsigned Depth = 1
) (
  input  logic             clk_i,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);

  if (Depth == 0) begin : gen_wire
    logic unused_clk;
    assign unused_clk = clk_i;
    assign q_o        = d_i;
  end else begin : gen_regs
    logic [Width-1:0] stage_q[Depth];
    always_ff @(posedge clk_i) begin
      stage_q[0] <= d_i;
      for (int unsigned i = 1; i < Depth; i++) stage_q[i] <= stage_q[i-1];
    end
    assign q_o = stage_q[Depth-1];
  end

endmodule
