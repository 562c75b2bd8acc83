// MixPE processing element: weight code x activation by shift&add, integer group accumulator.
//
// The activation arrives as a signed fixed-point integer (INT8 sign-extended, or FP16 aligned to
// a * 2^24 by the row's converter), the weight as its unsigned code u (bits above b already zero).
// u * a is the sum of a << i over the set bits i of u: no multiplier. The zero point / signed
// offset is not applied here: the column's dequant unit subtracts z * sum(a) once per group.
// On the group's last step the finished sum moves to the shadow register read by the drain.
module mixpe_pe #(
  parameter int unsigned AccW = 32  // 32 for INT8 activations, 64 with FP16 fixed point
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            step_i,  // one K step this cycle
  input  logic            last_i,  // the step ends the group
  input  logic [AccW-1:0] act_i,   // signed fixed-point activation
  input  logic [7:0]      code_i,  // unsigned weight code
  output logic [AccW-1:0] sum_o    // finished group sum (shadow)
);

  logic [AccW-1:0] prod, acc_d, acc_q, sum_d, sum_q;

  always_comb begin
    prod = '0;
    for (int unsigned i = 0; i < 8; i++) begin
      if (code_i[i]) prod = prod + (act_i << i);
    end
  end

  always_comb begin
    acc_d = acc_q;
    sum_d = sum_q;
    if (step_i) begin
      if (last_i) begin
        sum_d = acc_q + prod;
        acc_d = '0;
      end else begin
        acc_d = acc_q + prod;
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
