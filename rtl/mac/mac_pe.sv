// MAC baseline processing element: real multiplier, INT8 x INT9 -> INT32 or FP16 x FP16 -> FP32.
//
// INT8 tiles: acc += a * w (17-bit product, 32-bit group accumulator, exact).
// FP16 tiles: acc = fp32(acc + fp32(a16 * w16)): the product is exact in binary32, the add rounds
// (RNE) once per step, in K order, starting from +0 at each group. On the group's last step the
// finished value moves to the shadow register read by the column's dequant unit. PeStages = 1
// registers the product (with the step flags) before the add: the step lands one cycle later. The
// FP32 accumulate itself is a one-cycle loop (the K order of the roundings is the golden's).
module mac_pe #(
  parameter int unsigned Fp16     = 1,  // 1: FP16 multiplier and FP32 adder present
  parameter int unsigned PeStages = 0   // 0 .. 1
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        step_i,
  input  logic        last_i,
  input  logic        fp16_i,  // this tile's activations are FP16
  input  logic [15:0] act_i,   // INT8 code in [7:0], or FP16 bits
  input  logic [8:0]  w_i,     // integer weight
  input  logic [15:0] w16_i,   // FP16 weight
  output logic [31:0] sum_o
);

  // Product: the sign-extended INT8 x INT9 product, or the exact FP32 product of the FP16 operands.
  logic [16:0] int_prod;
  logic [31:0] prod, prod_p;
  assign int_prod = $signed(act_i[7:0]) * $signed(w_i);
  if (Fp16 != 0) begin : gen_fp16_mul
    logic [31:0] fp_prod;
    lb_fp16_mul_fp32 u_mul (
      .a_i(act_i),
      .b_i(w16_i),
      .y_o(fp_prod)
    );
    assign prod = fp16_i ? fp_prod : {{15{int_prod[16]}}, int_prod};
  end else begin : gen_int8_mul
    logic unused_fp;
    assign unused_fp = (^w16_i) ^ (^act_i[15:8]) ^ (^prod[31:17]);  // registered: 17 bits
    assign prod = {{15{int_prod[16]}}, int_prod};
  end

  // An INT8-only PE registers the 17-bit product and sign-extends after the register (the sign
  // bit would otherwise drive 16 flops from the multiplier's last gate).
  localparam int unsigned ProdW = (Fp16 != 0) ? 32 : 17;
  logic [ProdW-1:0] prod_r;
  logic step_p, last_p, fp16_p;
  lb_pipe #(
    .Width (ProdW),
    .Enable(PeStages != 0)
  ) u_p (
    .clk_i,
    .d_i(prod[ProdW-1:0]),
    .q_o(prod_r)
  );
  assign prod_p = 32'($signed(prod_r));
  lb_delay_rst #(
    .Width(3),
    .Depth(PeStages)
  ) u_pf (
    .clk_i,
    .rst_ni,
    .d_i({step_i, last_i, fp16_i}),
    .q_o({step_p, last_p, fp16_p})
  );

  logic [31:0] int_next, next, acc_d, acc_q, sum_d, sum_q;
  assign int_next = acc_q + prod_p;

  if (Fp16 != 0) begin : gen_fp16
    logic [31:0] fp_next;
    lb_fp32_add u_add (
      .a_i(acc_q),
      .b_i(prod_p),
      .y_o(fp_next)
    );
    assign next = fp16_p ? fp_next : int_next;
  end else begin : gen_int8
    logic unused_fp16;
    assign unused_fp16 = fp16_p;
    assign next = int_next;
  end

  always_comb begin
    acc_d = acc_q;
    sum_d = sum_q;
    if (step_p) begin
      if (last_p) begin
        sum_d = next;
        acc_d = '0;
      end else begin
        acc_d = next;
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
