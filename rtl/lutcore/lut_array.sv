// LUT array: M x N lookup lanes, one table lookup (+ sign) + shift-accumulate per lane per cycle.
//
// Row i holds K/G tables (broadcast to all N columns); column j's current bit-plane gives one G-bit
// index per table. Sym = 1 (symmetric tables, 2^(G-1) entries): a lookup with the top index bit
// clear reads the mirrored entry and negates it (T[idx] = -T[~idx]). Sym = 0 (full tables, 2^G
// entries): the index reads T[idx] directly, no sign mux or negation. The sum over the row's
// tables is shifted by the plane number and added to the lane's accumulator. clear_i empties the
// accumulators after this plane's update (group end).
// Stages = 0: the lookup and the add happen in the en_i cycle; acc_o is the updated value in that
// cycle (the dequant stage latches it). Stages = 1: the shifted lookup is registered first and
// added one cycle later; acc_o then carries a plane's update in the cycle after its en_i (the tile
// latches a group's result that cycle).
module lut_array #(
  parameter int unsigned M    = 2,
  parameter int unsigned N    = 64,
  parameter int unsigned K    = 4,
  parameter int unsigned G    = 4,
  parameter int unsigned TW   = 44,
  parameter int unsigned AccW = 64,
  parameter int unsigned Sym  = 1,  // 1: 2^(G-1) entries per table, negated lookups; 0: 2^G
  parameter int unsigned Stages = 0 // 1: a register between the lookup and the accumulator add
) (
  input  logic                                clk_i,
  input  logic                                rst_ni,
  input  logic                                en_i,     // process one bit-plane this cycle
  input  logic                                clear_i,  // last plane of a group: restart at 0
  input  logic [2:0]                          plane_i,  // bit-plane number = shift amount
  // [row][table][entry], 2^(G-1) (Sym = 1) or 2^G (Sym = 0) entries per table
  input  logic [M*(K/G)*((Sym != 0) ? (1 << (G-1)) : (1 << G))*TW-1:0] tables_i,
  input  logic [N*K-1:0]                      idx_i,    // this plane: bit k of column j at j*K+k
  output logic [M*N*AccW-1:0]                 acc_o     // accumulators after this cycle's update
);

  localparam int unsigned T = K / G;
  localparam int unsigned E = (Sym != 0) ? (1 << (G - 1)) : (1 << G);

  logic [M*N*AccW-1:0] acc_d, acc_q, part, part_q;
  logic                en_q, clear_q;

  if (Sym != 0) begin : gen_sym
    always_comb begin
      for (int unsigned i = 0; i < M; i++) begin
        for (int unsigned j = 0; j < N; j++) begin
          logic [AccW-1:0] sum;
          sum = '0;
          for (int unsigned t = 0; t < T; t++) begin
            logic [G-1:0]    idx;
            logic [G-2:0]    sel;
            logic [TW-1:0]   entry;
            idx   = idx_i[j*K + t*G +: G];
            sel   = idx[G-1] ? idx[G-2:0] : ~idx[G-2:0];
            entry = tables_i[((i*T + t)*E + {{(33 - G){1'b0}}, sel})*TW +: TW];
            if (idx[G-1]) sum = sum + {{(AccW - TW){entry[TW-1]}}, entry};
            else          sum = sum - {{(AccW - TW){entry[TW-1]}}, entry};
          end
          part[(i*N + j)*AccW +: AccW] = sum << plane_i;
        end
      end
    end
  end else begin : gen_full
    always_comb begin
      for (int unsigned i = 0; i < M; i++) begin
        for (int unsigned j = 0; j < N; j++) begin
          logic [AccW-1:0] sum;
          sum = '0;
          for (int unsigned t = 0; t < T; t++) begin
            logic [G-1:0]    idx;
            logic [TW-1:0]   entry;
            idx   = idx_i[j*K + t*G +: G];
            entry = tables_i[((i*T + t)*E + {{(32 - G){1'b0}}, idx})*TW +: TW];
            sum   = sum + {{(AccW - TW){entry[TW-1]}}, entry};
          end
          part[(i*N + j)*AccW +: AccW] = sum << plane_i;
        end
      end
    end
  end

  // The plane being added this cycle: this cycle's lookup, or the one registered last cycle.
  if (Stages == 0) begin : gen_comb
    logic unused_q;
    assign unused_q = en_q ^ clear_q ^ (^part_q);
    assign en_q     = 1'b0;
    assign clear_q  = 1'b0;
    assign part_q   = '0;
    always_comb begin
      for (int unsigned l = 0; l < M * N; l++) acc_o[l*AccW +: AccW] = acc_q[l*AccW +: AccW] + part[l*AccW +: AccW];
      acc_d = acc_q;
      if (en_i) acc_d = clear_i ? '0 : acc_o;
    end
  end else begin : gen_reg
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        en_q    <= 1'b0;
        clear_q <= 1'b0;
      end else begin
        en_q    <= en_i;
        clear_q <= en_i & clear_i;
      end
    end
    always_ff @(posedge clk_i) if (en_i) part_q <= part;
    always_comb begin
      for (int unsigned l = 0; l < M * N; l++) acc_o[l*AccW +: AccW] = acc_q[l*AccW +: AccW] + part_q[l*AccW +: AccW];
      acc_d = acc_q;
      if (en_q) acc_d = clear_q ? '0 : acc_o;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) acc_q <= '0;
    else         acc_q <= acc_d;
  end

endmodule
