// Running FP32 results and output buffer of the mixpe and mac arrays (shared, as lb_pe_array_ctrl).
//
// The drain dequantizes one row per cycle: this module hands a row's running results to the column
// dequant units (read port, at their FP32 adder's input) and takes back their results (write port,
// the drain pipeline's last stage), which become the new running results, or, for the tile's last
// group, the row of the output buffer (the running results restart at +0). Unpipelined, both ports
// are the drain's row in the same cycle. The output stage reads one buffered row per o beat.
module lb_pe_array_out #(
  parameter int unsigned Rows = 8,  // 1 .. 64
  parameter int unsigned Cols = 8   // 1 .. 64
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic [7:0]           rd_row_i,      // row whose running results are read
  output logic [Cols*32-1:0]   rd_out_o,      // the row's running FP32 results
  input  logic                 wr_i,          // a dequantized row is written this cycle
  input  logic                 wr_last_i,     // the row goes to the output buffer
  input  logic [7:0]           wr_row_i,
  input  logic [Cols*32-1:0]   wr_res_i,      // the dequant units' results for the row
  input  logic [7:0]           out_row_i,
  output logic [Cols*32-1:0]   out_row_o      // the output buffer's row out_row_i
);

  localparam int unsigned RowF = Cols * 32;  // bits of one row of FP32 results

  logic [Rows*RowF-1:0] out_d, out_q, ob_d, ob_q;
  assign rd_out_o  = out_q[rd_row_i*RowF+:RowF];
  assign out_row_o = ob_q[out_row_i*RowF+:RowF];

  always_comb begin
    out_d = out_q;
    ob_d  = ob_q;
    if (wr_i) begin
      if (wr_last_i) begin
        ob_d[wr_row_i*RowF+:RowF]  = wr_res_i;
        out_d[wr_row_i*RowF+:RowF] = '0;
      end else begin
        out_d[wr_row_i*RowF+:RowF] = wr_res_i;
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
