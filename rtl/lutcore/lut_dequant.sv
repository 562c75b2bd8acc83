// Per-group dequantization, DqLanes lanes wide: out += float(S) * scale (FP32, RNE) and, on the
// output's last group, O = out * act_scale, in the order of model/kernels/dequant.h.
//
// The M x N accumulators of one group are walked in chunks of DqLanes lanes of one row (DqLanes
// divides N): chunk (row_i, col_i) covers lanes j = col_i * DqLanes + d. S is the group's exact
// integer sum of a * w. With symmetrized weights the array accumulates acc' = sum a * q'
// (q' = 2u - (2^b - 1)); w = u - z gives S = (acc' + c * sum(a)) / 2 with c = 2^b - 1 - 2z
// (acc' + c * sum(a) is always even, so the shift is exact): ternary z = 1, signed z = 2^(b-1),
// unsigned z from the port; binary weights are q' themselves, S = acc'.
// On the last group each chunk's final values are parked in the output accumulators; the final
// chunk presents the whole block on result_o and clears them.
module lut_dequant #(
  parameter int unsigned M       = 2,
  parameter int unsigned N       = 64,
  parameter int unsigned AccW    = 64,
  parameter int unsigned DqLanes = 16
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  fire_i,       // dequantize chunk (row_i, col_i) this cycle
  input  logic                  last_i,       // ... of the output's last group
  input  logic                  final_i,      // ... and it is the group's final chunk
  input  logic [7:0]            row_i,
  input  logic [7:0]            col_i,
  input  logic [1:0]            kind_i,       // 0 binary, 1 ternary, 2 signed, 3 unsigned
  input  logic [2:0]            bits_i,       // weight bits b (1..4)
  input  logic [M*N*AccW-1:0]   acc_i,        // acc' per lane
  input  logic [M*AccW-1:0]     suma_i,       // sum(a) of the group per row
  input  logic [N*8-1:0]        zero_i,       // zero point per column (unsigned kind)
  input  logic [N*16-1:0]       scale_i,      // FP16 group scale per column
  input  logic [M*32-1:0]       act_scale_i,  // FP32 activation scale per row
  output logic [M*N*32-1:0]     result_o      // the finished block (valid with last_i, final_i)
);

  logic [M*N*32-1:0]     out_d, out_q;
  logic [DqLanes*32-1:0] lane_sum, lane_res;
  logic [AccW-1:0]       suma, top;
  logic [31:0]           act_scale, row, col0;

  assign row  = {24'd0, row_i};
  assign col0 = {24'd0, col_i};

  assign suma      = suma_i[row_i*AccW +: AccW];
  assign act_scale = act_scale_i[row_i*32 +: 32];
  assign top       = ({{(AccW - 1){1'b0}}, 1'b1} << bits_i) - {{(AccW - 1){1'b0}}, 1'b1};

  for (genvar d = 0; d < DqLanes; d++) begin : gen_lane
    logic [31:0]     col;
    logic [31:0]     scale32, s32, prod, sum32, res;
    logic [AccW-1:0] c, z, acc, twice_s, s;

    assign col = col0 * DqLanes + d;
    assign acc = acc_i[((row * N + col) * AccW) +: AccW];
    assign z   = {{(AccW - 8){1'b0}}, zero_i[col*8 +: 8]};

    always_comb begin
      unique case (kind_i)
        2'd1:    c = {{(AccW - 1){1'b0}}, 1'b1};  // ternary
        2'd2:    c = '1;                           // signed: -1
        2'd3:    c = top - (z << 1);               // unsigned
        default: c = '0;                           // binary (unused)
      endcase
    end

    assign twice_s = acc + c * suma;
    assign s       = (kind_i == 2'd0) ? acc : {twice_s[AccW-1], twice_s[AccW-1:1]};

    lb_fp16_to_fp32 u_scale (
      .a_i(scale_i[col*16 +: 16]),
      .y_o(scale32)
    );
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
      .a_i(out_q[((row * N + col) * 32) +: 32]),
      .b_i(prod),
      .y_o(sum32)
    );
    lb_fp32_mul u_fin (
      .a_i(sum32),
      .b_i(act_scale),
      .y_o(res)
    );
    assign lane_sum[d*32 +: 32] = sum32;
    assign lane_res[d*32 +: 32] = res;
  end

  // Lane l = i * N + j belongs to chunk (i, j / DqLanes) at position j % DqLanes (constants).
  always_comb begin
    out_d    = out_q;
    result_o = out_q;
    for (int unsigned l = 0; l < M * N; l++) begin
      if (row == l / N && col0 == (l % N) / DqLanes) begin
        result_o[l*32 +: 32] = lane_res[((l % N) % DqLanes)*32 +: 32];
        if (fire_i) begin
          out_d[l*32 +: 32] = last_i ? lane_res[((l % N) % DqLanes)*32 +: 32]
                                     : lane_sum[((l % N) % DqLanes)*32 +: 32];
        end
      end
    end
    if (fire_i && last_i && final_i) out_d = '0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) out_q <= '0;
    else         out_q <= out_d;
  end

endmodule
