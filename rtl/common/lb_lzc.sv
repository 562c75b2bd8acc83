// Leading zero counter: how many zero bits lie above the most significant one of a vector.
//
// Written as a priority scan from the LSB up (the last one found wins), which reads like the
// definition; synthesis flattens it into a balanced OR/AND network, so no tree is hand-built here.
module lb_lzc #(
  parameter int unsigned Width    = 32,
  // Derived, do not override: wide enough to hold the value Width (all-zero input).
  parameter int unsigned CntWidth = $clog2(Width + 1)
) (
  input  logic [Width-1:0]    in_i,
  output logic [CntWidth-1:0] cnt_o,   // Width when in_i is all zero
  output logic                zero_o   // in_i is all zero
);

  localparam int unsigned MsbIndexInt = Width - 1;
  localparam logic [CntWidth-1:0] MsbIndex = MsbIndexInt[CntWidth-1:0];

  always_comb begin
    cnt_o = MsbIndex + 1'b1;
    for (int unsigned i = 0; i < Width; i++) begin
      if (in_i[i]) begin
        cnt_o = MsbIndex - i[CntWidth-1:0];
      end
    end
  end

  assign zero_o = ~|in_i;

endmodule
