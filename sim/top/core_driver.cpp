// Tile sequencers of the core unit: lutcore beats, and the t/g/x/o channels of mixpe and mac arrays.
#include "sim/top/core_driver.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/mac/mac_core.h"
#include "sim/mixpe/mixpe_core.h"

namespace lowbit {
namespace {

inline uint16_t load_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t load_u32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
inline void store_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// Activation lane as the tile pins carry it: INT8 code in the low byte, or FP16 bits.
inline uint16_t act_lane(const uint8_t* p, bool fp16) { return fp16 ? load_u16(p) : p[0]; }

void check_range(uint64_t off, uint64_t bytes, uint64_t capacity, const char* field,
                 const char* buffer, uint64_t address) {
  if (off + bytes > capacity) {
    throw std::runtime_error(fmt::format(
        "illegal instruction at address 0x{:x} (instruction {}): field '{}': the operand "
        "[0x{:x}, 0x{:x}) runs past the {} buffer's {} bytes; allowed: an offset with the operand "
        "inside the buffer",
        address, address / 16, field, off, off + bytes, buffer, capacity));
  }
}

// A blk's operands inside their buffers and its shape inside the core's rows x columns.
void check_block(const BlockOp& b, const CoreBuffers& buf, int rows, int cols) {
  check_range(b.ascale, 4ull * b.m, buf.act_bytes, "ascale", "act", b.address);
  check_range(b.o, 4ull * b.m * b.n, buf.out_bytes, "o", "out", b.address);
  if (b.n > cols || b.m > rows) {
    throw std::runtime_error(fmt::format(
        "illegal instruction at address 0x{:x}: blk m={} n={} exceeds the core's {} rows x {} "
        "columns",
        b.address, b.m, b.n, rows, cols));
  }
}

// ---------------------------------------------------------------------------------------------
// lutcore: one input channel of beats; the cfg pins carry the format and the block framing.
class LutcoreDriver final : public CoreDriver {
 public:
  LutcoreDriver(const HwConfig& hw, StatGroup& stats, const LutcoreTileFactory& make)
      : m_hw(hw), m_p(hw.lutcore) {
    for (int t = 0; t < hw.top.tiles; ++t) {
      m_tiles.push_back(make(t, stats.child(fmt::format("tile{}", t))));
      m_beats.emplace_back(m_p);
    }
    for (auto& t : m_tiles) t->reset();
    m_ascale.assign(m_p.m, 0);
  }

  void set_format(const OpFormat& f) override {
    m_fmt = f;
    m_cfg.act_fp16 = f.fp16;
    m_cfg.kind = static_cast<int>(f.kind);
    m_cfg.bits = f.bits;
  }

  void begin_block(const BlockOp& b, const CoreBuffers& buf) override {
    check_block(b, buf, m_p.m, static_cast<int>(m_tiles.size()) * m_p.n);
    const int G = m_fmt.group;
    m_gt = (std::min(G, b.kt) + m_p.k - 1) / m_p.k;
    m_cfg.group_tiles = m_gt;
    m_cfg.groups = (b.kt + G - 1) / G;
    m_blk = b;
    m_blk.begin = m_cycle;
    m_block_beats_left = static_cast<uint64_t>(m_cfg.groups) * m_gt;
    std::fill(m_ascale.begin(), m_ascale.end(), 0);
    for (int i = 0; i < b.m; ++i) m_ascale[i] = load_u32(buf.act + b.ascale + 4 * i);
    m_open.push_back(m_blk);
  }

  void run_chunk(const ChunkOp& c, const CoreBuffers& buf, uint32_t beat_interval,
                 uint64_t& port_stall) override {
    const int G = m_fmt.group;
    const int Mt = m_p.m, Nt = m_p.n, Kt = m_p.k, g = m_p.g, tpr = m_p.tables_per_row();
    const int T = static_cast<int>(m_tiles.size());
    const int cols = T * Nt;
    const int groups = (c.k + G - 1) / G;
    const bool fp16 = m_fmt.fp16;
    const int esz = fp16 ? 2 : 1;
    const uint32_t bb = static_cast<uint32_t>((m_fmt.bits * Nt * Kt + 7) / 8);
    check_range(c.a, static_cast<uint64_t>(m_blk.m) * c.k * esz, buf.act_bytes, "a", "act",
                c.address);
    check_range(c.w, static_cast<uint64_t>(groups) * m_gt * T * bb, buf.weight_bytes, "w",
                "weight", c.address);
    check_range(c.s, static_cast<uint64_t>(groups) * cols * 3, buf.scale_bytes, "s", "scale",
                c.address);
    if (static_cast<uint64_t>(groups) * m_gt > m_block_beats_left) {
      throw std::runtime_error(fmt::format(
          "illegal instruction at address 0x{:x}: field 'k': {} runs past the block's kt", c.address,
          c.k));
    }
    uint64_t beat_no = 0;
    for (int gi = 0; gi < groups; ++gi) {
      const int glen = std::min(G, c.k - gi * G);
      for (int bt = 0; bt < m_gt; ++bt, ++beat_no) {
        // Operands of this beat, from the buffers.
        LutcoreBeat& b0 = m_beats[0];
        for (int i = 0; i < Mt; ++i) {
          for (int kk = 0; kk < Kt; ++kk) {
            const int off = bt * Kt + kk;
            uint16_t v = 0;
            if (i < m_blk.m && off < glen) {
              v = act_lane(buf.act + c.a + (static_cast<uint64_t>(i) * c.k + gi * G + off) * esz,
                           fp16);
            }
            b0.act[i * Kt + kk] = v;
          }
        }
        const bool group_end = bt == m_gt - 1;
        const bool block_end = m_block_beats_left == 1;
        for (int t = 0; t < T; ++t) {
          LutcoreBeat& bt_ = m_beats[t];
          if (t > 0) bt_.act = b0.act;
          bt_.reuse_table = false;
          const uint8_t* rec = buf.weight + c.w + (beat_no * T + t) * bb;
          for (int p = 0; p < m_fmt.bits; ++p) {
            for (int j = 0; j < Nt; ++j) {
              for (int tt = 0; tt < tpr; ++tt) {
                bt_.idx[(p * Nt + j) * tpr + tt] = static_cast<uint8_t>(
                    read_bits(rec, (static_cast<uint64_t>(p) * Nt + j) * Kt + tt * g, g));
              }
            }
          }
          if (group_end) {
            const uint8_t* srec = buf.scale + c.s + static_cast<uint64_t>(gi) * cols * 3;
            for (int j = 0; j < Nt; ++j) {
              bt_.scale[j] = load_u16(srec + 2 * (t * Nt + j));
              bt_.zero[j] = srec[2 * cols + t * Nt + j];
            }
          }
          if (block_end) bt_.act_scale = m_ascale;
        }
        // Present the beat until a tile accepts it (all tiles run in lockstep).
        while (true) {
          const bool ready = m_tiles[0]->in_ready(m_cfg, true);
          const bool avail = m_cycle >= m_next_beat;
          if (ready && !avail) ++port_stall;
          edge(buf, ready && avail);
          if (ready && avail) break;
        }
        m_next_beat = m_cycle - 1 + beat_interval;
        --m_block_beats_left;
      }
    }
    useful_macs += static_cast<uint64_t>(m_blk.m) * m_blk.n * c.k;
  }

  void idle_cycle(const CoreBuffers& buf) override { edge(buf, false); }

 private:
  // One rising edge of every tile; an output block on the pins moves into the out buffer.
  void edge(const CoreBuffers& buf, bool in_valid) {
    const bool out = m_tiles[0]->out_valid();
    if (out) {
      if (m_open.empty()) throw std::logic_error("lutcore: output block without an open block");
      const BlockOp& b = m_open.front();
      const int Nt = m_p.n;
      for (size_t t = 0; t < m_tiles.size(); ++t) {
        const auto& d = m_tiles[t]->out_data();
        for (int i = 0; i < b.m; ++i) {
          for (int j = 0; j < Nt; ++j) {
            const int col = static_cast<int>(t) * Nt + j;
            if (col >= b.n) break;
            store_u32(buf.out + b.o + (static_cast<uint64_t>(i) * b.n + col) * 4,
                      d[static_cast<size_t>(i) * Nt + j]);
          }
        }
      }
    }
    for (size_t t = 0; t < m_tiles.size(); ++t) {
      m_tiles[t]->clock(m_cfg, in_valid, true, m_beats[t]);
    }
    ++m_cycle;
    if (out) {
      const BlockOp b = m_open.front();
      m_open.pop_front();
      if (on_block_done) on_block_done(b, m_cycle);
    }
  }

  HwConfig m_hw;
  LutcoreParams m_p;
  std::vector<std::unique_ptr<ILutcoreTile>> m_tiles;
  std::vector<LutcoreBeat> m_beats;
  LutcoreCfg m_cfg;
  BlockOp m_blk;
  int m_gt = 1;
  uint64_t m_block_beats_left = 0;
  std::vector<uint32_t> m_ascale;
  uint64_t m_next_beat = 0;
};

// ---------------------------------------------------------------------------------------------
// mixpe / mac: t (tile descriptor), g (group parameters), x (K steps) in; o (rows) out.
class PeArrayDriver final : public CoreDriver {
 public:
  PeArrayDriver(const HwConfig& hw, StatGroup& stats, const PeArrayFactory& make) : m_p(hw.array) {
    for (int t = 0; t < hw.top.tiles; ++t) {
      m_arrays.push_back(make(t, stats.child(fmt::format("array{}", t))));
      m_in.emplace_back(m_p);
    }
    for (auto& a : m_arrays) a->reset();
  }

  void set_format(const OpFormat& f) override { m_fmt = f; }

  void begin_block(const BlockOp& b, const CoreBuffers& buf) override {
    check_block(b, buf, m_p.rows, static_cast<int>(m_arrays.size()) * m_p.cols);
    for (auto& in : m_in) {
      in.t.fp16 = m_fmt.fp16;
      in.t.kind = static_cast<int>(m_fmt.kind);
      in.t.bits = m_fmt.bits;
      in.t.k = b.kt;
      in.t.group = m_fmt.group;
      std::fill(in.t.act_scale.begin(), in.t.act_scale.end(), 0);
      for (int r = 0; r < b.m; ++r) in.t.act_scale[r] = load_u32(buf.act + b.ascale + 4 * r);
    }
    m_blk = b;
    m_blk.begin = m_cycle;
    m_t_pending = true;
    m_k_left = b.kt;
    m_open.push_back(m_blk);
  }

  void run_chunk(const ChunkOp& c, const CoreBuffers& buf, uint32_t beat_interval,
                 uint64_t& port_stall) override {
    const int G = m_fmt.group;
    const int R = m_p.rows, C = m_p.cols, T = static_cast<int>(m_arrays.size());
    const int cols = T * C;
    const int groups = (c.k + G - 1) / G;
    const bool fp16 = m_fmt.fp16;
    const int esz = fp16 ? 2 : 1;
    const int b = m_fmt.bits;
    const uint32_t bb = static_cast<uint32_t>((b * C + 7) / 8);
    check_range(c.a, static_cast<uint64_t>(m_blk.m) * c.k * esz, buf.act_bytes, "a", "act",
                c.address);
    check_range(c.w, static_cast<uint64_t>(c.k) * T * bb, buf.weight_bytes, "w", "weight",
                c.address);
    check_range(c.s, static_cast<uint64_t>(groups) * cols * 3, buf.scale_bytes, "s", "scale",
                c.address);
    if (c.k > m_k_left) {
      throw std::runtime_error(fmt::format(
          "illegal instruction at address 0x{:x}: field 'k': {} runs past the block's kt", c.address,
          c.k));
    }
    int g_next = 0, x_next = 0;
    int g_loaded = -1, x_loaded = -1;
    while (x_next < c.k) {
      const bool t_valid = m_t_pending;
      const bool g_valid = g_next < groups;
      if (g_valid && g_loaded != g_next) {
        const uint8_t* srec = buf.scale + c.s + static_cast<uint64_t>(g_next) * cols * 3;
        for (int t = 0; t < T; ++t) {
          for (int j = 0; j < C; ++j) {
            m_in[t].g_scale[j] = load_u16(srec + 2 * (t * C + j));
            m_in[t].g_zero[j] = srec[2 * cols + t * C + j];
          }
        }
        g_loaded = g_next;
      }
      const bool x_avail = m_cycle >= m_next_beat;
      if (x_loaded != x_next) {
        for (int r = 0; r < R; ++r) {
          const uint16_t v =
              r < m_blk.m
                  ? act_lane(buf.act + c.a + (static_cast<uint64_t>(r) * c.k + x_next) * esz, fp16)
                  : 0;
          for (int t = 0; t < T; ++t) m_in[t].x_act[r] = v;
        }
        for (int t = 0; t < T; ++t) {
          const uint8_t* rec = buf.weight + c.w + (static_cast<uint64_t>(x_next) * T + t) * bb;
          for (int j = 0; j < C; ++j) {
            m_in[t].x_w[j] = static_cast<uint8_t>(read_bits(rec, static_cast<uint64_t>(j) * b, b));
          }
        }
        x_loaded = x_next;
      }
      const bool tr = m_arrays[0]->t_ready();
      const bool gr = m_arrays[0]->g_ready();
      const bool xr = m_arrays[0]->x_ready();
      if (xr && !x_avail) ++port_stall;
      edge(buf, t_valid, g_valid, x_avail);
      if (t_valid && tr) m_t_pending = false;
      if (g_valid && gr) ++g_next;
      if (x_avail && xr) {
        ++x_next;
        m_next_beat = m_cycle - 1 + beat_interval;
      }
    }
    m_k_left -= c.k;
    useful_macs += static_cast<uint64_t>(m_blk.m) * m_blk.n * c.k;
  }

  void idle_cycle(const CoreBuffers& buf) override { edge(buf, false, false, false); }

 private:
  void edge(const CoreBuffers& buf, bool t_valid, bool g_valid, bool x_valid) {
    const bool out = m_arrays[0]->o_valid();
    bool last = false;
    if (out) {
      if (m_open.empty()) throw std::logic_error("pe array: output row without an open block");
      const BlockOp& b = m_open.front();
      last = m_arrays[0]->o_last();
      if (m_out_row < b.m) {
        for (size_t t = 0; t < m_arrays.size(); ++t) {
          const auto& d = m_arrays[t]->o_data();
          for (int j = 0; j < m_p.cols; ++j) {
            const int col = static_cast<int>(t) * m_p.cols + j;
            if (col >= b.n) break;
            store_u32(buf.out + b.o + (static_cast<uint64_t>(m_out_row) * b.n + col) * 4, d[j]);
          }
        }
      }
    }
    for (size_t t = 0; t < m_arrays.size(); ++t) {
      m_arrays[t]->clock(t_valid, g_valid, x_valid, true, m_in[t]);
    }
    ++m_cycle;
    if (out) {
      ++m_out_row;
      if (last) {
        const BlockOp b = m_open.front();
        m_open.pop_front();
        m_out_row = 0;
        if (on_block_done) on_block_done(b, m_cycle);
      }
    }
  }

  PeArrayParams m_p;
  std::vector<std::unique_ptr<IPeArray>> m_arrays;
  std::vector<PeArrayInputs> m_in;
  BlockOp m_blk;
  bool m_t_pending = false;
  int m_k_left = 0;
  int m_out_row = 0;
  uint64_t m_next_beat = 0;
};

}  // namespace

std::unique_ptr<CoreDriver> make_lutcore_driver(const HwConfig& hw, StatGroup& stats,
                                                const LutcoreTileFactory& make) {
  return std::make_unique<LutcoreDriver>(hw, stats, make);
}

std::unique_ptr<CoreDriver> make_pe_array_driver(const HwConfig& hw, StatGroup& stats,
                                                 const PeArrayFactory& make) {
  return std::make_unique<PeArrayDriver>(hw, stats, make);
}

}  // namespace lowbit
