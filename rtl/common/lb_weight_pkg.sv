// Weight code encodings (the RTL twin of model/formats/weight_kind.h): the 2-bit kind field and
// the value of a code, w = scale * u - offset with scale 2 (binary) or 1.
//
// Every datapath that turns a weight code into a value uses these functions (mac_wdeq per code,
// mixpe_dequant on group sums through weight_doubles/weight_offset), so a new kind is added here
// and in weight_kind.h only. The numbering is the ISA's `wkind` field.
// The guard keeps a second read of this file (a tool given every rtl/common file and then the unit
// under test again) from declaring the package twice: Verilator 5.006 crashes on a duplicate
// package (segmentation fault), where a duplicate module is only a MODDUP warning.
`ifndef LB_WEIGHT_PKG_SV
`define LB_WEIGHT_PKG_SV
package lb_weight_pkg;

  typedef logic [1:0] weight_kind_t;

  localparam weight_kind_t WkBinary   = 2'd0;  // b = 1, w = 2u - 1 in {-1, +1}
  localparam weight_kind_t WkTernary  = 2'd1;  // b = 2, w = u - 1 in {-1, 0, +1}
  localparam weight_kind_t WkSigned   = 2'd2;  // offset binary: w = u - 2^(b-1)
  localparam weight_kind_t WkUnsigned = 2'd3;  // asymmetric, per-group zero point: w = u - z

  // The low b bits of a code (all 8 for b >= 8).
  function automatic logic [7:0] code_mask(logic [3:0] bits);
    code_mask = (bits >= 4'd8) ? 8'hFF : ((8'd1 << bits) - 8'd1);
  endfunction

  // Whether the kind's scale is 2 (w = 2u - offset).
  function automatic logic weight_doubles(weight_kind_t kind);
    weight_doubles = (kind == WkBinary);
  endfunction

  // The kind's offset: 1 (binary, ternary), 2^(b-1) as an 8-bit value of a 4-bit shift (signed;
  // 0 for b = 0 or b > 8, outside the contract), the zero point (unsigned).
  function automatic logic [7:0] weight_offset(weight_kind_t kind, logic [3:0] bits,
                                               logic [7:0] zero);
    unique case (kind)
      WkBinary:   weight_offset = 8'd1;
      WkTernary:  weight_offset = 8'd1;
      WkSigned:   weight_offset = 8'd1 << (bits - 4'd1);
      WkUnsigned: weight_offset = zero;
      default:    weight_offset = zero;  // every 2-bit value is a kind
    endcase
  endfunction

  // The value of a code as 9-bit two's complement (u - z spans -255 .. 255).
  function automatic logic [8:0] weight_value(weight_kind_t kind, logic [3:0] bits,
                                              logic [7:0] code, logic [7:0] zero);
    logic [7:0] u;
    u = code & code_mask(bits);
    weight_value = (weight_doubles(kind) ? {u, 1'b0} : {1'b0, u}) -
                   {1'b0, weight_offset(kind, bits, zero)};
  endfunction

  // FP4 E2M1 codes (the fp4_e2m1 and mxfp4 codecs, docs/fp-weights.md; model/formats/fp_weight.h):
  // twice the value of a 4-bit code (sign bit 3, exponent bits 2..1, mantissa bit 0) as 5-bit two's
  // complement, -12 .. 12: the exponent shifts the mantissa with its hidden bit, e = 0 is the
  // subnormal m (both zeros give 0).
  function automatic logic [4:0] fp4_doubled(logic [3:0] code);
    logic [4:0] mag;
    unique case (code[2:1])
      2'd0:    mag = {4'd0, code[0]};
      2'd1:    mag = {3'd0, 1'b1, code[0]};
      2'd2:    mag = {2'd0, 1'b1, code[0], 1'b0};
      default: mag = {1'b0, 1'b1, code[0], 2'b0};
    endcase
    fp4_doubled = code[3] ? -mag : mag;
  endfunction

  // Offset-binary of the doubled value, u = 2v + 16 (4 .. 28): an FP4 code as a signed int5 code.
  function automatic logic [7:0] fp4_plane_code(logic [3:0] code);
    fp4_plane_code = {3'd0, fp4_doubled(code) + 5'd16};
  endfunction

endpackage
`endif  // LB_WEIGHT_PKG_SV
