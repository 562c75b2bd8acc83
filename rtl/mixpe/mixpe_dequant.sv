// MixPE per-column dequant unit: zero-point correction, then the FP32 step of model/kernels/dequant.h.
//
//   S   = (sum << m) - z * asum        exact integer: sum = sum(a*u), asum = sum(a) of the row
//   out = out + float(S) * float(scale) two RNE binary32 operations (int->fp32 is a third, exact
//                                        rounding of S as C++ static_cast<float>(int64_t))
// with (m, z) = (1, 1) binary w = 2u-1; (0, 1) ternary w = u-1; (0, 2^(b-1)) signed; (0, zero) uint.
module mixpe_dequant #(
  parameter int unsigned AccW = 32
) (
  input  logic [1:0]      kind_i,   // WeightKind: 0 binary, 1 ternary, 2 signed, 3 unsigned
  input  logic [3:0]      bits_i,
  input  logic [7:0]      zero_i,   // group zero point (kind unsigned)
  input  logic [15:0]     scale_i,  // group scale, FP16
  input  logic [AccW-1:0] sum_i,    // group sum of a * u
  input  logic [AccW-1:0] asum_i,   // group sum of a (the PE's row)
  input  logic [31:0]     out_i,    // running FP32 result
  output logic [31:0]     out_o
);

  logic [7:0] zeff;
  logic       dbl;
  always_comb begin
    zeff = zero_i;
    dbl  = 1'b0;
    unique case (kind_i)
      2'd0: begin
        zeff = 8'd1;
        dbl  = 1'b1;
      end
      2'd1: zeff = 8'd1;
      2'd2: zeff = 8'd1 << (bits_i - 4'd1);
      default: zeff = zero_i;
    endcase
  end

  logic [AccW-1:0] zcorr, s;
  assign zcorr = asum_i * {{(AccW - 8) {1'b0}}, zeff};
  assign s     = (dbl ? (sum_i << 1) : sum_i) - zcorr;

  logic [31:0] s_f, scale_f, prod;
  lb_int_to_fp32 #(
    .Width(AccW)
  ) u_int_to_fp32 (
    .a_i(s),
    .y_o(s_f)
  );
  lb_fp16_to_fp32 u_scale (
    .a_i(scale_i),
    .y_o(scale_f)
  );
  lb_fp32_mul u_mul (
    .a_i(s_f),
    .b_i(scale_f),
    .y_o(prod)
  );
  lb_fp32_add u_add (
    .a_i(out_i),
    .b_i(prod),
    .y_o(out_o)
  );

endmodule
