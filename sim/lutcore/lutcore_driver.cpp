// The lutcore core driver: feeds lutcore tiles one beat of bit-plane indices at a time from the
// on-chip buffers and drains their output blocks (the tile sequencer of the accelerator's core).
#include "sim/lutcore/lutcore_driver.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "model/arch/lutcore/lutcore_params.h"
#include "model/formats/fp_weight.h"
#include "model/formats/weight_kind.h"

namespace lowbit {
namespace {

// ---------------------------------------------------------------------------------------------
// lutcore: one input channel of beats; the cfg pins carry the format and the block framing.
class LutcoreDriver final : public CoreDriver {
 public:
  LutcoreDriver(const HwConfig& hw, StatGroup& stats, const LutcoreTileFactory& make)
      : m_hw(hw), m_p(lutcore_params(hw)) {
    for (int t = 0; t < hw.top.tiles; ++t) {
      m_tiles.push_back(make(t, stats.child(fmt::format("tile{}", t))));
      m_beats.emplace_back(m_p);
    }
    for (auto& t : m_tiles) t->reset();
    m_ascale.assign(m_p.m, 0);
  }

  void set_format(const OpFormat& f) override {
    m_fmt = f;
    m_layout.emplace(m_hw, f);
    m_cfg.act_fp16 = f.fp16;
    m_cfg.kind = static_cast<int>(weight_kind_field(f.kind));
    m_cfg.bits = f.bits;
    // FP4 codes (docs/fp-weights.md): cfg_wfp_i 1 = fp4_e2m1 (FP16 scales), 2 = mxfp4 (E8M0).
    m_cfg.wfp = static_cast<int>(weight_codec_pin(f.codec));
    // Index x = (plane * n + col) * tables + table of a beat sits at bit x * g of the record in
    // the bit-plane layout; checked here so run_chunk can read the indices as a flat array.
    const int tpr = m_p.tables_per_row();
    m_flat_idx = true;
    for (int p = 0; p < f.bits && m_flat_idx; ++p) {
      for (int j = 0; j < m_p.n && m_flat_idx; ++j) {
        for (int tt = 0; tt < tpr; ++tt) {
          const uint64_t x = (static_cast<uint64_t>(p) * m_p.n + j) * tpr + tt;
          if (m_layout->code_bit(p, j, tt * m_p.g) != x * m_p.g) m_flat_idx = false;
        }
      }
    }
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
    check_range(c.w, static_cast<uint64_t>(groups) * m_gt * T * bb, buf.weight_bytes, "w", "weight",
                c.address);
    check_range(c.s, static_cast<uint64_t>(groups) * cols * 3, buf.scale_bytes, "s", "scale",
                c.address);
    if (static_cast<uint64_t>(groups) * m_gt > m_block_beats_left) {
      throw std::runtime_error(fmt::format(
          "illegal instruction at address 0x{:x}: field 'k': {} runs past the block's kt",
          c.address, c.k));
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
          const int nidx = m_fmt.bits * Nt * tpr;
          if (m_flat_idx && g == 4) {
            uint8_t* dst = bt_.idx.data();
            for (int q = 0; q < nidx / 2; ++q) {
              const uint8_t byte = rec[q];
              dst[2 * q] = byte & 0xF;
              dst[2 * q + 1] = static_cast<uint8_t>(byte >> 4);
            }
            if (nidx % 2 != 0) dst[nidx - 1] = rec[nidx / 2] & 0xF;
          } else if (m_flat_idx) {
            for (int x = 0; x < nidx; ++x) {
              bt_.idx[x] = static_cast<uint8_t>(read_bits(rec, static_cast<uint64_t>(x) * g, g));
            }
          } else {
            read_indices(rec, bt_);
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
  // The beat's table indices through the operand codec, one code_bit() per index.
  void read_indices(const uint8_t* rec, LutcoreBeat& b) const {
    const int Nt = m_p.n, g = m_p.g, tpr = m_p.tables_per_row();
    for (int p = 0; p < m_fmt.bits; ++p) {
      for (int j = 0; j < Nt; ++j) {
        for (int tt = 0; tt < tpr; ++tt) {
          b.idx[(p * Nt + j) * tpr + tt] =
              static_cast<uint8_t>(read_bits(rec, m_layout->code_bit(p, j, tt * g), g));
        }
      }
    }
  }

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
  bool m_flat_idx = false;  ///< the format's indices are consecutive g-bit fields (set_format)
};

}  // namespace

std::unique_ptr<CoreDriver> make_lutcore_driver(const HwConfig& hw, StatGroup& stats,
                                                const LutcoreTileFactory& make) {
  return std::make_unique<LutcoreDriver>(hw, stats, make);
}

std::unique_ptr<CoreDriver> make_lutcore_model_driver(const HwConfig& hw, StatGroup& stats) {
  return make_lutcore_driver(hw, stats, [p = lutcore_params(hw)](int, StatGroup& s) {
    return std::unique_ptr<ILutcoreTile>(new LutcoreModelTile(p, s));
  });
}

}  // namespace lowbit
