// Table precompute: g activations -> the 2^(g-1) entries of a symmetric lookup table.
//
// With symmetrized weights every bit-plane digit is s_k in {-1, +1} (bit 1 -> +1, bit 0 -> -1), so
// the table over g activations is T[idx] = sum_k s_k a_k and T[~idx] = -T[idx]. Only the entries
// whose top index bit is 1 are stored: entry r (r < 2^(g-1)) is T[r | 2^(g-1)]. The last entry
// (all ones) is sum(a), which the dequant's zero-point term reuses.
module lut_precompute #(
  parameter int unsigned G    = 4,   // activations per table, 2..4
  parameter int unsigned TW   = 44,  // entry width: activation width + 3 (g <= 4, |T| <= 4 * 2^40)
  parameter int unsigned Fp16 = 1      // FP16 lanes supported (else INT8 only, fp16_i ignored)
) (
  input  logic [G*16-1:0]             act_i,     // lane k in act_i[k*16 +: 16]
  input  logic                        fp16_i,
  output logic [(1<<(G-1))*TW-1:0]    entries_o  // entry r in entries_o[r*TW +: TW]
);

  localparam int unsigned E = 1 << (G - 1);

  logic [G*TW-1:0] lane;  // sign-extended fixed-point lanes

  for (genvar k = 0; k < G; k++) begin : gen_lane
    if (Fp16 != 0) begin : gen_fp16
      logic [40:0] fixed;
      lut_act_fixed u_fixed (
        .a_i    (act_i[k*16 +: 16]),
        .fp16_i (fp16_i),
        .fixed_o(fixed)
      );
      assign lane[k*TW +: TW] = {{(TW - 41){fixed[40]}}, fixed};
    end else begin : gen_int8
      assign lane[k*TW +: TW] = {{(TW - 8){act_i[k*16+7]}}, act_i[k*16 +: 8]};
      logic unused_hi;
      assign unused_hi = ^{act_i[k*16+8 +: 8], fp16_i};
    end
  end

  always_comb begin
    entries_o = '0;
    for (int unsigned r = 0; r < E; r++) begin
      logic [TW-1:0] sum;
      sum = lane[(G-1)*TW +: TW];
      for (int unsigned k = 0; k < G - 1; k++) begin
        if (r[k]) sum = sum + lane[k*TW +: TW];
        else      sum = sum - lane[k*TW +: TW];
      end
      entries_o[r*TW +: TW] = sum;
    end
  end

endmodule
