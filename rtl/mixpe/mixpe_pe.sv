// MixPE processing element: weight code x activation by shift&add, integer group accumulator.
//
// The activation arrives as a signed fixed-point integer of ActW bits (INT8, or FP16 aligned to
// a * 2^24 by the row's converter), the weight as its unsigned code u (bits above b already zero).
// u * a is the sum of a << i over the set bits i of u: no multiplier. |u * a| <= 255 * 2^(ActW-1)
// fits in ActW + 8 signed bits, so the partial products and their sum are that wide and only the
// exact product is sign-extended into the AccW-bit group accumulator. The sum is written as one
// expression of gated terms (not as conditional adds) so that Yosys's alumacc builds one
// carry-save tree with a single carry-propagate adder instead of a chain of seven.
// The zero point / signed offset is not applied here: the column's dequant unit subtracts
// z * sum(a) once per group. On the group's last step the finished sum moves to the shadow
// register read by the drain. PeStages = 1 puts a register (with the step flags) between the
// product and the accumulator add: the PE's step lands one cycle later.
module mixpe_pe #(
  parameter int unsigned ActW     = 8,   // activation width: 8 (INT8 only), 42 with FP16 fixed point
  parameter int unsigned AccW     = 32,  // accumulator width, > ActW + 8: 32 (INT8), 64 with FP16
  parameter int unsigned PeStages = 0    // 0 .. 1
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            step_i,  // one K step this cycle
  input  logic            last_i,  // the step ends the group
  input  logic [ActW-1:0] act_i,   // signed fixed-point activation
  input  logic [7:0]      code_i,  // unsigned weight code
  output logic [AccW-1:0] sum_o    // finished group sum (shadow)
);

  localparam int unsigned ProdW = ActW + 8;

  logic [ProdW-1:0] act_x, prod;
  assign act_x = {{8{act_i[ActW-1]}}, act_i};

  always_comb begin
    prod = '0;
    for (int unsigned i = 0; i < 8; i++) begin
      prod = prod + ((act_x << i) & {ProdW{code_i[i]}});
    end
  end

  logic [ProdW-1:0] prod_p;
  logic             step_p, last_p;
  lb_pipe #(
    .Width (ProdW),
    .Enable(PeStages != 0)
  ) u_p (
    .clk_i,
    .d_i(prod),
    .q_o(prod_p)
  );
  lb_delay_rst #(
    .Width(2),
    .Depth(PeStages)
  ) u_pf (
    .clk_i,
    .rst_ni,
    .d_i({step_i, last_i}),
    .q_o({step_p, last_p})
  );

  logic [AccW-1:0] acc_next, acc_d, acc_q, sum_d, sum_q;
  assign acc_next = acc_q + {{(AccW - ProdW) {prod_p[ProdW-1]}}, prod_p};

  always_comb begin
    acc_d = acc_q;
    sum_d = sum_q;
    if (step_p) begin
      if (last_p) begin
        sum_d = acc_next;
        acc_d = '0;
      end else begin
        acc_d = acc_next;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      acc_q <= '0;
      sum_q <= '0;
    end else begin
      acc_q <= acc_d;
      sum_q <= sum_d;
    end
  end

  assign sum_o = sum_q;

endmodule
