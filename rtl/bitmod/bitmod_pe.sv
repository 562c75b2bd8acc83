// BitMoD bit-serial processing element: one mantissa digit (two weight bits) per cycle.
//
// Each cycle the PE adds (a * d) << s to its group accumulator, where a is the row's fixed-point
// activation, d the column's signed digit (-2 .. 3, model/formats/bitmod_unified.h) and s its
// shift (0 .. 4). a * d is the gated sum a*d0 + 2a*d1 - 4a*d2 of the digit's two's complement
// bits (no multiplier); |a * d << s| <= 3 * 2^(ActW-1) * 16 fits in ActW + 6 signed bits, only
// that exact product is sign-extended into the AccW accumulator. A weight takes two cycles (its
// two digits), so the finished group sum is sum_k a_k * value_k exactly. On the group's last
// cycle the sum moves into the shadow register read by the drain and the accumulator restarts.
module bitmod_pe #(
  parameter int unsigned ActW = 8,   // activation width: 8 (INT8 only), 42 with FP16 fixed point
  parameter int unsigned AccW = 32   // accumulator width, > ActW + 6: 32 (INT8), 64 with FP16
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            step_i,   // one slice this cycle
  input  logic            last_i,   // the slice ends the group
  input  logic [ActW-1:0] act_i,    // signed fixed-point activation
  input  logic [2:0]      digit_i,  // signed digit
  input  logic [2:0]      shift_i,  // 0 .. 4
  output logic [AccW-1:0] sum_o     // finished group sum (shadow)
);

  localparam int unsigned ProdW = ActW + 6;

  logic [ProdW-1:0] act_x, prod, shifted;
  assign act_x   = {{6{act_i[ActW-1]}}, act_i};
  assign prod    = (act_x & {ProdW{digit_i[0]}}) + ((act_x << 1) & {ProdW{digit_i[1]}}) -
                   ((act_x << 2) & {ProdW{digit_i[2]}});
  assign shifted = prod << shift_i;

  logic [AccW-1:0] acc_next, acc_d, acc_q, sum_d, sum_q;
  assign acc_next = acc_q + {{(AccW - ProdW) {shifted[ProdW-1]}}, shifted};

  always_comb begin
    acc_d = acc_q;
    sum_d = sum_q;
    if (step_i) begin
      if (last_i) begin
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
