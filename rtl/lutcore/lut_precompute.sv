// Table precompute: g activations -> the entries of one lookup table (symmetric or full).
//
// With symmetrized weights every bit-plane digit is s_k in {-1, +1} (bit 1 -> +1, bit 0 -> -1), so
// the table over g activations is T[idx] = sum_k s_k a_k and T[~idx] = -T[idx].
// Sym = 1 (symmetrization on): only the 2^(g-1) entries whose top index bit is 1 are stored:
//   entry r (r < 2^(g-1)) is T[r | 2^(g-1)]; the lookup negates for the other half (lut_array).
// Sym = 0 (symmetrization off): all 2^g entries are stored, entry idx is T[idx], read directly.
// In both layouts the last entry (all ones) is sum(a), which the dequant's zero-point term reuses.
module lut_precompute #(
  parameter int unsigned G    = 4,   // activations per table, 2..4
  parameter int unsigned TW   = 44,  // entry width: activation width + 3 (g <= 4, |T| <= 4 * 2^40)
  parameter int unsigned Fp16 = 1,     // FP16 lanes supported (else INT8 only, fp16_i ignored)
  parameter int unsigned Sym  = 1    // 1: 2^(g-1) symmetric entries; 0: all 2^g entries
) (
  input  logic [G*16-1:0]                                    act_i,     // lane k at [k*16 +: 16]
  input  logic                                               fp16_i,
  output logic [((Sym != 0) ? (1 << (G-1)) : (1 << G))*TW-1:0] entries_o  // entry at [e*TW +: TW]
);

  localparam int unsigned E = (Sym != 0) ? (1 << (G - 1)) : (1 << G);

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

  if (Sym != 0) begin : gen_sym
    // Entry r = T[r | 2^(g-1)]: a_{g-1} plus +-a_k for the low index bits.
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
  end else begin : gen_full
    // Entry idx = T[idx]: +-a_k for every index bit (same values as the symmetric lookup).
    always_comb begin
      entries_o = '0;
      for (int unsigned idx = 0; idx < E; idx++) begin
        logic [TW-1:0] sum;
        sum = '0;
        for (int unsigned k = 0; k < G; k++) begin
          if (idx[k]) sum = sum + lane[k*TW +: TW];
          else        sum = sum - lane[k*TW +: TW];
        end
        entries_o[idx*TW +: TW] = sum;
      end
    end
  end

endmodule
