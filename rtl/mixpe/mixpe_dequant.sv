// MixPE per-column zero-point correction: the integer part of the group dequant.
//
//   S = (sum << m) - z * asum        exact integer: sum = sum(a*u), asum = sum(a) of the row
// with (m, z) from lb_weight_pkg: m = 1 for binary (w = 2u - 1), else 0 (weight_doubles); z its
// weight_offset (1 for binary and ternary, 2^(b-1) for signed, the group zero point for unsigned).
// The FP32 part, out = out + float(S) * float(scale) (model/kernels/dequant.h), and the activation
// scale of the tile's last group are lb_pe_array_dq, shared with mac_array.
module mixpe_dequant #(
  parameter int unsigned AccW = 32
) (
  input  lb_weight_pkg::weight_kind_t kind_i,   // WkBinary, WkTernary, WkSigned, WkUnsigned
  input  logic [3:0]                  bits_i,
  input  logic [7:0]                  zero_i,   // group zero point (kind unsigned)
  input  logic [AccW-1:0]             sum_i,    // group sum of a * u
  input  logic [AccW-1:0]             asum_i,   // group sum of a (the PE's row)
  output logic [AccW-1:0]             s_o       // sum(a * w) of the group
);

  // sum(a * w) = m * sum(a * u) - z * sum(a) for w = m * u - z (lb_weight_pkg's affine map).
  logic [7:0] zeff;
  assign zeff = lb_weight_pkg::weight_offset(kind_i, bits_i, zero_i);

  logic [AccW-1:0] zcorr;
  assign zcorr = asum_i * {{(AccW - 8) {1'b0}}, zeff};
  assign s_o   = (lb_weight_pkg::weight_doubles(kind_i) ? (sum_i << 1) : sum_i) - zcorr;

endmodule
