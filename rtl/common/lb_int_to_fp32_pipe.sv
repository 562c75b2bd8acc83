// Signed integer -> IEEE binary32, round to nearest, ties to even (C++ static_cast<float>),
// pipelined: Stages (0..4) registers, lb_int_to_fp32 is the combinational instance.
//
// The magnitude is taken in Width bits (the two's complement of -2^(Width-1) is 2^(Width-1), which
// still fits as an unsigned value) and handed to the shared rounder with the leading-one position
// Width-1 worth 2^(Width-1), i.e. biased exponent 127 + Width - 1. Integers never produce
// subnormals; Width <= 128 never overflows (2^127 < max finite), wider inputs round to +-inf.
// Cut points: c0 after the magnitude (a Width-bit negation), then the rounder's three.
module lb_int_to_fp32_pipe #(
  parameter int unsigned Width  = 64,  // 2 .. 1024
  parameter int unsigned Stages = 0    // 0 .. 4
) (
  input  logic             clk_i,
  input  logic             v_i,  // a_i is valid (the cuts load only then: clock-gated)
  input  logic [Width-1:0] a_i,  // signed two's complement integer
  output logic [31:0]      y_o,  // RNE conversion (same as C++ static_cast<float>(int64_t))
  output logic             v_o   // y_o is valid (v_i, Stages cycles later)
);

  localparam int unsigned ExpWidth = 12;
  localparam int unsigned TopExpInt = 127 + Width - 1;
  localparam logic signed [ExpWidth-1:0] TopExp = TopExpInt[ExpWidth-1:0];
  // Bit 0: c0; bits 1, 2, 3: the rounder's cuts 0, 1, 2.
  function automatic int unsigned stage_cuts(int unsigned stages);
    case (stages)
      0:       stage_cuts = 32'b0000;
      1:       stage_cuts = 32'b0010;
      2:       stage_cuts = 32'b0011;
      3:       stage_cuts = 32'b0111;
      default: stage_cuts = 32'b1111;
    endcase
  endfunction
  localparam int unsigned Cuts = stage_cuts(Stages);
  // The rounder wants at least a full 24-bit significand; narrow inputs are padded below the LSB,
  // which leaves the value (and the exponent of the top bit) unchanged.
  localparam int unsigned SigWidth = (Width >= 24) ? Width : 24;

  logic             sign, sign1;
  logic [Width-1:0] mag, mag1;
  logic v1;  // valid after each cut
  assign sign = a_i[Width-1];
  assign mag  = sign ? (~a_i + 1'b1) : a_i;

  lb_vpipe #(
    .Width (Width + 1),
    .Enable(Cuts[0])
  ) u_c0 (
    .clk_i,
    .v_i(v_i),
    .v_o(v1),
    .d_i({sign, mag}),
    .q_o({sign1, mag1})
  );

  logic [SigWidth-1:0] sig;
  if (Width >= 24) begin : gen_wide
    assign sig = mag1;
  end else begin : gen_narrow
    assign sig = {mag1, {(24 - Width) {1'b0}}};
  end

  logic unused_side;
  lb_fp32_round #(
    .SigWidth(SigWidth),
    .ExpWidth(ExpWidth),
    .SideW   (1),
    .Cuts    (Cuts >> 1)
  ) u_round (
    .clk_i,
    .v_i     (v1),
    .sign_i  (sign1),
    .exp_i   (TopExp),
    .sig_i   (sig),
    .sticky_i(1'b0),
    .side_i  (1'b0),
    .y_o     (y_o),
    .side_o  (unused_side),
    .v_o     (v_o)
  );

endmodule
