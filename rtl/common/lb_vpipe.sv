// One optional pipeline register that loads only when its input is valid: a clocked register when
// Enable is 1, a wire when 0. v_i says d_i is valid; v_o is v_i one cycle later (Enable = 1) and
// says q_o holds valid data.
//
// The data register has an enable, so the synthesis flow puts it behind an integrated clock gate
// (rtl/synth/clock_gating.py): a pipeline that works one cycle in N is clocked one cycle in N.
// In the cycles it carries valid data q_o is what lb_pipe's would be (an element advances one
// stage per cycle whatever follows it); in the others it holds the last valid data instead of
// whatever was on d_i, which no user reads. The valid register is free-running and has no reset:
// the caller's own valid bits (with reset) qualify the results.
module lb_vpipe #(
  parameter int unsigned Width  = 1,
  parameter bit          Enable = 1'b1
) (
  input  logic             clk_i,
  input  logic             v_i,
  input  logic [Width-1:0] d_i,
  output logic             v_o,
  output logic [Width-1:0] q_o
);

  if (Enable) begin : gen_reg
    always_ff @(posedge clk_i) begin
      v_o <= v_i;
      if (v_i) q_o <= d_i;
    end
  end else begin : gen_wire
    logic unused_clk;
    assign unused_clk = clk_i;
    assign v_o        = v_i;
    assign q_o        = d_i;
  end

endmodule
