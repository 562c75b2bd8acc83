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

  // Entry e is the signed sum of the lanes, lane k negated where bit k of its index is 0 (with
  // symmetrization the top lane is always added: the stored half). Each negation is ~lane + 1, and
  // the +1s are one constant addend, so an entry is G + 1 addends: a carry-save tree (a queue of
  // 3:2 steps, G - 1 of them, at most 3 levels for G = 4) reduces them to two and one
  // carry-propagate add finishes it (no chain of G - 1 adders), modulo 2^TW as before.
  for (genvar e = 0; e < E; e++) begin : gen_entry
    logic [3*G*TW-1:0] q;  // the operand queue: 3G - 1 slots used
    always_comb begin
      int unsigned negs, h, t;
      logic [TW-1:0] a, b, c;
      logic [TW-2:0] maj;  // the carries out of bits 0..TW-2 (bit TW-1's weighs 2^TW: dropped)
      q    = '0;
      negs = 0;
      for (int unsigned k = 0; k < G; k++) begin
        logic add;
        add = (Sym != 0 && k == G - 1) ? 1'b1 : e[k];
        q[k*TW +: TW] = add ? lane[k*TW +: TW] : ~lane[k*TW +: TW];
        negs = negs + (add ? 0 : 1);
      end
      q[G*TW +: TW] = TW'(negs);
      h = 0;
      t = G + 1;
      for (int unsigned step = 0; step + 1 < G; step++) begin
        a   = q[h*TW +: TW];
        b   = q[(h+1)*TW +: TW];
        c   = q[(h+2)*TW +: TW];
        maj = (a[TW-2:0] & b[TW-2:0]) | (a[TW-2:0] & c[TW-2:0]) | (b[TW-2:0] & c[TW-2:0]);
        q[t*TW +: TW]     = a ^ b ^ c;
        q[(t+1)*TW +: TW] = {maj, 1'b0};
        h = h + 3;
        t = t + 2;
      end
      entries_o[e*TW +: TW] = q[h*TW +: TW] + q[(h+1)*TW +: TW];
    end
  end

endmodule
