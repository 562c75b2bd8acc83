// Running FP32 results and output buffer of the mixpe and mac arrays (shared, as lb_pe_array_ctrl).
//
// The drain (lb_pe_array_ctrl's drain_o) dequantizes one row per cycle: this module hands the
// row's running results to the column dequant units and takes back their results, which become
// the new running results, or, for the tile's last group, the row of the output buffer (the
// running results restart at +0). The output stage reads one buffered row per o beat.
module lb_pe_array_out #(
  parameter int unsigned Rows = 8,  // 1 .. 64
  parameter int unsigned Cols = 8   // 1 .. 64
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 drain_i,       // one row is dequantized this cycle
  input  logic                 drain_last_i,  // the row goes to the output buffer
  input  logic [7:0]           drain_row_i,
  output logic [Cols*32-1:0]   drain_out_o,   // the row's running FP32 results
  input  logic [Cols*32-1:0]   drain_res_i,   // the dequant units' results for the row
  input  logic [7:0]           out_row_i,
  output logic [Cols*32-1:0]   out_row_o      // the output buffer's row out_row_i
);

  localparam int unsigned RowF = Cols * 32;  // bits of one row of FP32 results

  logic [Rows*RowF-1:0] out_d, out_q, ob_d, ob_q;
  assign drain_out_o = out_q[drain_row_i*RowF+:RowF];
  assign out_row_o   = ob_q[out_row_i*RowF+:RowF];

  always_comb begin
    out_d = out_q;
    ob_d  = ob_q;
    if (drain_i) begin
      if (drain_last_i) begin
        ob_d[drain_row_i*RowF+:RowF]  = drain_res_i;
        out_d[drain_row_i*RowF+:RowF] = '0;
      end else begin
        out_d[drain_row_i*RowF+:RowF] = drain_res_i;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      out_q <= '0;
      ob_q  <= '0;
    end else begin
      out_q <= out_d;
      ob_q  <= ob_d;
    end
  end

endmodule
