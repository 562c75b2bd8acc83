// MixPE per-column dequant unit: zero-point correction, then the FP32 step of model/kernels/dequant.h.
//
//   S   = (sum << m) - z * asum        exact integer: sum = sum(a*u), asum = sum(a) of the row
//   out = out + float(S) * float(scale) two RNE binary32 operations (int->fp32 is a third, exact
//                                        rounding of S as C++ static_cast<float>(int64_t))
// with (m, z) from lb_weight_pkg: m = 1 for binary (w = 2u - 1), else 0 (weight_doubles); z its
// weight_offset (1 for binary and ternary, 2^(b-1) for signed, the group zero point for unsigned).
module mixpe_dequant #(
  parameter int unsigned AccW = 32
) (
  input  lb_weight_pkg::weight_kind_t kind_i,   // WkBinary, WkTernary, WkSigned, WkUnsigned
  input  logic [3:0]                  bits_i,
  input  logic [7:0]                  zero_i,   // group zero point (kind unsigned)
  input  logic [15:0]                 scale_i,  // group scale, FP16
  input  logic [AccW-1:0]             sum_i,    // group sum of a * u
  input  logic [AccW-1:0]             asum_i,   // group sum of a (the PE's row)
  input  logic [31:0]                 out_i,    // running FP32 result
  output logic [31:0]                 out_o
);

  // sum(a * w) = m * sum(a * u) - z * sum(a) for w = m * u - z (lb_weight_pkg's affine map).
  logic [7:0] zeff;
  assign zeff = lb_weight_pkg::weight_offset(kind_i, bits_i, zero_i);

  logic [AccW-1:0] zcorr, s;
  assign zcorr = asum_i * {{(AccW - 8) {1'b0}}, zeff};
  assign s     = (lb_weight_pkg::weight_doubles(kind_i) ? (sum_i << 1) : sum_i) - zcorr;

  logic [31:0] prod;
  lb_dequant_mul #(
    .Width(AccW)
  ) u_mul (
    .sum_i  (s),
    .scale_i(scale_i),
    .prod_o (prod)
  );
  lb_fp32_add u_add (
    .a_i(out_i),
    .b_i(prod),
    .y_o(out_o)
  );

endmodule
