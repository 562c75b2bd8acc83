// The PE-array core driver (mixpe, mac): the t / g / x channels in, output rows out, fed from the
// on-chip buffers one K step a beat (the tile sequencer of the accelerator's core).
#include "sim/mixpe/pe_array_driver.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "model/arch/pe_array_params.h"
#include "model/formats/fp_weight.h"

namespace lowbit {
namespace {

// ---------------------------------------------------------------------------------------------
// mixpe / mac: t (tile descriptor), g (group parameters), x (K steps) in; o (rows) out.
class PeArrayDriver final : public CoreDriver {
 public:
  PeArrayDriver(const HwConfig& hw, StatGroup& stats, const PeArrayFactory& make)
      : m_hw(hw), m_p(pe_array_params(hw)) {
    for (int t = 0; t < hw.top.tiles; ++t) {
      m_arrays.push_back(make(t, stats.child(fmt::format("array{}", t))));
      m_in.emplace_back(m_p);
    }
    for (auto& a : m_arrays) a->reset();
  }

  void set_format(const OpFormat& f) override {
    m_fmt = f;
    m_layout.emplace(m_hw, f);
  }

  void begin_block(const BlockOp& b, const CoreBuffers& buf) override {
    check_block(b, buf, m_p.rows, static_cast<int>(m_arrays.size()) * m_p.cols);
    for (auto& in : m_in) {
      in.t.fp16 = m_fmt.fp16;
      in.t.kind = static_cast<int>(weight_kind_field(m_fmt.kind));
      in.t.bits = m_fmt.bits;
      in.t.wfp = static_cast<int>(weight_codec_pin(m_fmt.codec));
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
          "illegal instruction at address 0x{:x}: field 'k': {} runs past the block's kt",
          c.address, c.k));
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
            m_in[t].x_w[j] = static_cast<uint8_t>(m_layout->read_code(rec, j, 0));
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

  HwConfig m_hw;
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

std::unique_ptr<CoreDriver> make_pe_array_driver(const HwConfig& hw, StatGroup& stats,
                                                 const PeArrayFactory& make) {
  return std::make_unique<PeArrayDriver>(hw, stats, make);
}

}  // namespace lowbit
