// One operator registered at both ends, for the energy validation against Horowitz (ISSCC 2014).
//
// rtl/synth/validate_energy.py synthesizes it per operator and simulates the mapped netlist on
// random operands: the input registers a_q / b_q load new operands every cycle, the operator sits
// between them and the result register y_q, so the operator's cells toggle as on a real datapath
// and the registers and clock can be reported apart from it. No reset: the registers only carry
// data. Op: 0 = W-bit unsigned add (W + 1-bit sum), 1 = W x W unsigned multiply (2W-bit product),
// 2 = lb_fp32_add, 3 = lb_fp32_mul (W = 32 for both). Hold = 1 gives every register the enable
// en_i (the result register en_i delayed by one cycle, so it loads the sum of the operands loaded
// the cycle before): the clock-gating check (validate_energy.py --gating-check) runs it with en_i
// high in a fraction of the cycles. With Hold = 0, en_i is not used.
module lb_energy_probe #(
  parameter int unsigned Op   = 0,    // 0 add, 1 multiply, 2 FP32 add, 3 FP32 multiply
  parameter int unsigned W    = 8,    // operand width (32 for the FP32 operators)
  parameter bit          Hold = 1'b0  // registers load only when enabled
) (
  input  logic           clk_i,
  input  logic           en_i,
  input  logic [W-1:0]   a_i,
  input  logic [W-1:0]   b_i,
  output logic [2*W-1:0] y_o
);

  logic [W-1:0]   a_q, b_q;
  logic [2*W-1:0] y_d, y_q;

  if (Hold) begin : g_hold
    logic en_q;
    always_ff @(posedge clk_i) begin
      en_q <= en_i;
      if (en_i) begin
        a_q <= a_i;
        b_q <= b_i;
      end
      if (en_q) y_q <= y_d;
    end
  end else begin : g_free
    logic unused_en;
    assign unused_en = en_i;
    always_ff @(posedge clk_i) begin
      a_q <= a_i;
      b_q <= b_i;
      y_q <= y_d;
    end
  end

  if (Op == 0) begin : g_add
    assign y_d = {{(W - 1){1'b0}}, {1'b0, a_q} + {1'b0, b_q}};
  end else if (Op == 1) begin : g_mul
    assign y_d = {{W{1'b0}}, a_q} * {{W{1'b0}}, b_q};
  end else if (Op == 2) begin : g_fadd
    logic [31:0] y;
    lb_fp32_add u_op (
      .a_i(a_q[31:0]),
      .b_i(b_q[31:0]),
      .y_o(y)
    );
    assign y_d = {{(2 * W - 32){1'b0}}, y};
  end else begin : g_fmul
    logic [31:0] y;
    lb_fp32_mul u_op (
      .a_i(a_q[31:0]),
      .b_i(b_q[31:0]),
      .y_o(y)
    );
    assign y_d = {{(2 * W - 32){1'b0}}, y};
  end

  assign y_o = y_q;

endmodule
