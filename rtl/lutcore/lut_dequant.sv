// Per-group dequantization: out += float(S) * scale per lane (FP32, RNE), O = out * act_scale at
// the end of the output, in the order of model/kernels/dequant.h.
//
// S is the group's exact integer sum of a * w. With symmetrized weights the array accumulates
// acc' = sum a * q' (q' = 2u - (2^b - 1)); then w = u - z gives S = (acc' + c * sum(a)) / 2 with
// c = 2^b - 1 - 2z (always even, so the shift is exact): ternary z = 1, signed z = 2^(b-1),
// unsigned z from the port; binary weights are q' themselves, S = acc'.
module lut_dequant #(
  parameter int unsigned M    = 2,
  parameter int unsigned N    = 64,
  parameter int unsigned AccW = 64
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  fire_i,       // dequantize one group this cycle
  input  logic                  last_i,       // ... and it is the output's last group
  input  logic [1:0]            kind_i,       // 0 binary, 1 ternary, 2 signed, 3 unsigned
  input  logic [2:0]            bits_i,       // weight bits b (1..4)
  input  logic [M*N*AccW-1:0]   acc_i,        // acc' per lane
  input  logic [M*AccW-1:0]     suma_i,       // sum(a) of the group per row
  input  logic [N*8-1:0]        zero_i,       // zero point per column (unsigned kind)
  input  logic [N*16-1:0]       scale_i,      // FP16 group scale per column
  input  logic [M*32-1:0]       act_scale_i,  // FP32 activation scale per row
  output logic [M*N*32-1:0]     result_o      // out * act_scale (meaningful with last_i)
);

  logic [M*N*32-1:0] out_d, out_q;
  logic [M*N*32-1:0] out_new;

  for (genvar j = 0; j < N; j++) begin : gen_col
    logic [31:0]     scale32;
    logic [AccW-1:0] c;
    logic [AccW-1:0] z;
    logic [AccW-1:0] top;

    lb_fp16_to_fp32 u_scale (
      .a_i(scale_i[j*16 +: 16]),
      .y_o(scale32)
    );

    assign z   = {{(AccW - 8){1'b0}}, zero_i[j*8 +: 8]};
    assign top = ({{(AccW - 1){1'b0}}, 1'b1} << bits_i) - {{(AccW - 1){1'b0}}, 1'b1};
    always_comb begin
      unique case (kind_i)
        2'd1:    c = {{(AccW - 1){1'b0}}, 1'b1};  // ternary
        2'd2:    c = '1;                           // signed: -1
        2'd3:    c = top - (z << 1);               // unsigned
        default: c = '0;                           // binary (unused)
      endcase
    end

    for (genvar i = 0; i < M; i++) begin : gen_row
      logic [AccW-1:0] acc, twice_s, s;
      logic [31:0]     s32, prod, sum32, res;

      assign acc     = acc_i[(i*N + j)*AccW +: AccW];
      assign twice_s = acc + c * suma_i[i*AccW +: AccW];
      assign s       = (kind_i == 2'd0) ? acc : {twice_s[AccW-1], twice_s[AccW-1:1]};

      lb_int_to_fp32 #(.Width(AccW)) u_cvt (
        .a_i(s),
        .y_o(s32)
      );
      lb_fp32_mul u_mul (
        .a_i(s32),
        .b_i(scale32),
        .y_o(prod)
      );
      lb_fp32_add u_add (
        .a_i(out_q[(i*N + j)*32 +: 32]),
        .b_i(prod),
        .y_o(sum32)
      );
      lb_fp32_mul u_fin (
        .a_i(sum32),
        .b_i(act_scale_i[i*32 +: 32]),
        .y_o(res)
      );
      assign out_new[(i*N + j)*32 +: 32]  = sum32;
      assign result_o[(i*N + j)*32 +: 32] = res;
    end
  end

  always_comb begin
    out_d = out_q;
    if (fire_i) out_d = last_i ? '0 : out_new;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) out_q <= '0;
    else         out_q <= out_d;
  end

endmodule
