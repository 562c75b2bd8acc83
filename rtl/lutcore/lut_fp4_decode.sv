// FP4 E2M1 weight decode of the LUT tile (docs/fp-weights.md): every lane's 4-bit code (bit p on
// plane p of the beat's weight record) becomes the 5-bit offset-binary doubled value
// u = 2v + 16 = 16 +- ((e == 0) ? m : (2 + m) << (e - 1)), written as 5 bit-planes that the tile
// then walks like integer planes. The exponent is a shift of the mantissa with its hidden bit; the
// sign selects 16 + mag or 16 - mag. Zero (both signs) gives 16, subnormals (e = 0) m exactly.
// The tile decodes a beat once, when it loads it into its weight register, so the decoder is not
// on the per-plane table-index path.
module lut_fp4_decode #(
  parameter int unsigned N = 64,
  parameter int unsigned K = 4
) (
  input  logic [4*N*K-1:0] w_i,  // bit p of code (j, k) at (p*N + j)*K + k
  output logic [5*N*K-1:0] u_o   // bit p of u for lane (j, k) at (p*N + j)*K + k
);

  always_comb begin
    for (int unsigned l = 0; l < N * K; l++) begin
      logic [3:0] code, mag;
      logic [4:0] u;
      code = {w_i[3*N*K + l], w_i[2*N*K + l], w_i[N*K + l], w_i[l]};
      unique case (code[2:1])
        2'd0:    mag = {3'd0, code[0]};
        2'd1:    mag = {2'd0, 1'b1, code[0]};
        2'd2:    mag = {1'd0, 1'b1, code[0], 1'b0};
        default: mag = {1'b1, code[0], 2'b0};
      endcase
      u = code[3] ? (5'd16 - {1'b0, mag}) : (5'd16 + {1'b0, mag});
      for (int unsigned p = 0; p < 5; p++) u_o[p*N*K + l] = u[p];
    end
  end

endmodule
