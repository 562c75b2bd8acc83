// A delay line of Depth registers reset to zero (Depth = 0: a wire): valid and control bits that
// travel beside pipelined or systolic operands and must not fire out of reset. Data rides in
// lb_delay / lb_pipe (no reset).
module lb_delay_rst #(
  parameter int unsigned Width = 1,
  parameter int unsigned Depth = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);

  if (Depth == 0) begin : gen_wire
    logic unused_clk;
    assign unused_clk = clk_i ^ rst_ni;
    assign q_o        = d_i;
  end else begin : gen_regs
    logic [Width-1:0] stage_q[Depth];
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        for (int unsigned i = 0; i < Depth; i++) stage_q[i] <= '0;
      end else begin
        stage_q[0] <= d_i;
        for (int unsigned i = 1; i < Depth; i++) stage_q[i] <= stage_q[i-1];
      end
    end
    assign q_o = stage_q[Depth-1];
  end

endmodule
