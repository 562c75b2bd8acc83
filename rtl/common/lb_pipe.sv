// One optional pipeline register: a clocked register when Enable is 1, a wire when 0.
//
// The pipelined arithmetic units (lb_fp32_round, lb_fp32_add, lb_fp32_mul, lb_int_to_fp32) place
// one of these at each of their cut points and turn them on from their Stages parameter, so one
// description serves every depth, from the combinational unit (Stages = 0) to the deepest. Data
// registers have no reset: whatever is in flight is qualified by valid bits kept by the caller.
module lb_pipe #(
  parameter int unsigned Width  = 1,
  parameter bit          Enable = 1'b1
) (
  input  logic             clk_i,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);

  if (Enable) begin : gen_reg
    always_ff @(posedge clk_i) q_o <= d_i;
  end else begin : gen_wire
    logic unused_clk;
    assign unused_clk = clk_i;
    assign q_o        = d_i;
  end

endmodule
