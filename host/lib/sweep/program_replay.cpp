// Instruction-level replay of a compiled program for the analytic tier (see program_replay.h).
#include "program_replay.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <set>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "model/arch/core_timing.h"
#include "model/arch/memory_system.h"
#include "model/arch/tile_layout.h"
#include "model/formats/weight_kind.h"
#include "model/isa/isa.h"

namespace lowbit {
namespace {

constexpr double kLong = -1e18;  // "long ago": no constraint
enum Unit { kLoad = 0, kStore = 1, kCore = 2, kCtrl = 3 };

// The DRAM channels as one bus of the peak bandwidth (bursts interleave over the channels).
struct Dram {
  double latency = 0, burst_cycles = 1, bus_free = 0;
  double step = 1;  // steady cycles per burst of one queue: the bus, issue width or window
  uint32_t width = 1, window = 128;
  uint64_t burst = 64;
};

// One DMA queue: its last transfers' bursts (for the window) and its next issue cycle.
struct Engine {
  struct Run {
    uint64_t g0, n;
    double first, step;
  };
  std::deque<Run> runs;
  uint64_t bursts = 0;
  double next_issue = 0;
  uint64_t stride = 0;
  double completion_of(uint64_t g) const {
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
      if (g >= it->g0) return it->first + static_cast<double>(g - it->g0) * it->step;
    }
    return kLong;
  }
};

// Bursts of a rows x bytes transfer at stride (a burst shared by consecutive rows counts once).
uint64_t burst_count(uint64_t dram, uint64_t rows, uint64_t bytes, uint64_t stride,
                     uint64_t burst) {
  if (rows <= 1 || stride == bytes) {
    return (dram + rows * bytes - 1) / burst - dram / burst + 1;
  }
  uint64_t n = 0, last = ~uint64_t{0};
  for (uint64_t r = 0; r < rows; ++r) {
    const uint64_t a = dram + r * stride;
    uint64_t first = a / burst;
    const uint64_t end = (a + bytes - 1) / burst;
    if (first == last) ++first;
    if (end >= first) n += end - first + 1;
    last = end;
  }
  return n;
}

// Runs a transfer of n bursts whose first request may issue at t0; returns its completion and
// advances the queue's next issue cycle.
double transfer(Dram& m, Engine& e, double t0, uint64_t n) {
  const uint64_t g0 = e.bursts;
  const double slot0 = g0 >= m.window ? e.completion_of(g0 - m.window) : kLong;
  const double i0 = std::max({t0, e.next_issue, slot0});
  const double first = std::max(i0 + m.latency, m.bus_free) + m.burst_cycles;
  const double last =
      std::max(first + static_cast<double>(n - 1) * m.step,
               i0 + std::floor(double(n - 1) / m.width) + m.latency + m.burst_cycles);
  const double step = n > 1 ? (last - first) / static_cast<double>(n - 1) : m.step;
  // The last burst issues once its window slot is free.
  const uint64_t gl = g0 + n - 1;
  double last_issue = i0 + std::floor(double(n - 1) / m.width);
  if (gl >= m.window) {
    const uint64_t gw = gl - m.window;
    const double slot =
        gw >= g0 ? first + static_cast<double>(gw - g0) * step : e.completion_of(gw);
    last_issue = std::max(last_issue, std::ceil(slot));
  }
  e.runs.push_back({g0, n, first, step});
  e.bursts += n;
  while (e.runs.size() > 1 && e.runs[1].g0 + m.window <= e.bursts) e.runs.pop_front();
  e.next_issue = m.width > 1 ? last_issue : last_issue + 1;
  m.bus_free = last;
  return std::ceil(last);
}

// A buffer's banks: which unit holds each and until when (AccelTop::bank_free_at / reserve): a
// transfer holds the banks it touches until its last byte, a tile op the weight banks it reads
// until its last beat.
struct Banks {
  uint64_t bank_bytes = 1;
  std::vector<std::pair<int, double>> bank;  // owner, busy until
  std::pair<uint64_t, uint64_t> range(uint64_t off, uint64_t bytes) const {
    const uint64_t last = (off + std::max<uint64_t>(bytes, 1) - 1) / bank_bytes;
    return {off / bank_bytes, std::min<uint64_t>(last + 1, bank.size())};
  }
  double free_at(uint64_t off, uint64_t bytes, int unit, double now) const {
    const auto [lo, hi] = range(off, bytes);
    for (uint64_t k = lo; k < hi; ++k) {
      if (bank[k].first != unit) now = std::max(now, bank[k].second);
    }
    return now;
  }
  void reserve(uint64_t off, uint64_t bytes, int unit, double now, double until) {
    const auto [lo, hi] = range(off, bytes);
    for (uint64_t k = lo; k < hi; ++k) {
      if (bank[k].second <= now || bank[k].first == unit) {
        bank[k].first = unit;
        bank[k].second = std::max(bank[k].second, until);
      }
    }
  }
  void release(uint64_t off, uint64_t bytes, double at) {
    const auto [lo, hi] = range(off, bytes);
    for (uint64_t k = lo; k < hi; ++k) bank[k].second = at;
  }
};

// The core: the open blocks' timing state.
struct Core {
  CoreTiming timing;
  std::optional<TileLayout> layout;
  // PE array control (pe_array_tile_events' variables, absolute cycles).
  double sl = kLong, d = kLong, o_end = kLong, prev = kLong;
  // LUT pipeline: the last beat accepted, the last group's array completion, the last block out.
  double accept = kLong, fa = kLong, out = kLong;
  bool t_pending = false;
  int block_k = 0, k_left = 0;
  uint64_t block_signal = 0;
  double blocks_done = 0;  // the latest block completion
};

struct Sems {
  std::array<std::multiset<double>, isa::kNumSemaphores> posts;
  bool available(uint64_t mask) const {
    for (int s = 0; s < isa::kNumSemaphores; ++s) {
      if (((mask >> s) & 1) && posts[s].empty()) return false;
    }
    return true;
  }
  double time(uint64_t mask) const {
    double t = kLong;
    for (int s = 0; s < isa::kNumSemaphores; ++s) {
      if ((mask >> s) & 1) t = std::max(t, *posts[s].begin());
    }
    return t;
  }
  void take(uint64_t mask) {
    for (int s = 0; s < isa::kNumSemaphores; ++s) {
      if ((mask >> s) & 1) posts[s].erase(posts[s].begin());
    }
  }
  void post(uint64_t mask, double at) {
    for (int s = 0; s < isa::kNumSemaphores; ++s) {
      if ((mask >> s) & 1) posts[s].insert(at);
    }
  }
};

Unit unit_of(const isa::Instruction& in) {
  const isa::OpSpec* s = isa::find_op(static_cast<uint8_t>(in.op));
  const std::string_view u = s ? s->unit : "ctrl";
  if (u == "load") return kLoad;
  if (u == "store") return kStore;
  if (u == "core") return kCore;
  return kCtrl;
}

// A tile op of k elements starting at c0 (PE array): returns the chunk's end.
double pe_array_chunk(Core& c, double c0, int k, double interval) {
  const TileLayout& L = *c.layout;
  const int per = L.geo.beat_cycles;  // steps per K element (beats per weight)
  const int64_t steps = static_cast<int64_t>(k) * per;
  const int64_t gsteps = static_cast<int64_t>(L.fmt.group) * per;
  const double r = c.timing.rows;
  const PeArrayLatency& lat = c.timing.latency;
  if (c.t_pending) {
    c.prev = std::max(c0, c.sl + 1);  // t handshake
    c.t_pending = false;
  } else {
    c.prev = std::max(c.prev, c0 - 1);
  }
  c.k_left -= k;
  for (int64_t g0 = 0; g0 < steps; g0 += gsteps) {
    const double len = static_cast<double>(std::min(gsteps, steps - g0));
    const bool last = c.k_left == 0 && g0 + gsteps >= steps;
    c.sl = std::max(c.prev + (len - 1) * interval + 1, c.d + r);
    double nd = std::max(c.sl + lat.fill + 1, c.d + lat.gap + 1);
    if (last) nd = std::max(nd, c.o_end + 1);
    c.d = nd;
    c.prev = c.sl;
  }
  if (c.k_left == 0) {
    c.o_end = c.d + 2 * r - 1 + lat.drain;
    c.blocks_done = std::max(c.blocks_done, c.o_end + 1);
  }
  return c.sl + 1;
}

// A tile op of k elements starting at c0 (LUT pipeline): returns the chunk's end.
double lut_chunk(Core& c, double c0, int k, double interval) {
  const TileLayout& L = *c.layout;
  const CoreTiming& t = c.timing;
  const double b = std::max<double>(L.cycles_per_beat(), interval);
  const double a = t.array_stages;
  int64_t beats = static_cast<int64_t>(L.chunk_beats(k, c.block_k));
  const int64_t gt = L.beats_for_group(L.fmt.group);
  const double period =
      std::max({static_cast<double>(gt) * b, t.q + a, static_cast<double>(t.group_spacing)});
  c.k_left -= k;
  while (beats > 0) {
    const int64_t n = std::min(gt, beats);
    beats -= n;
    const double a0 = std::max(c0, c.accept + b);
    c.fa = std::max(a0 + static_cast<double>(n) * b, c.fa + period);
    c.accept = c.fa - b;
  }
  if (c.k_left == 0) {
    const double done = std::max(c.fa + a + t.q + t.ldq + 1, c.out + t.q + t.ldq + a);
    c.out = done;
    c.blocks_done = std::max(c.blocks_done, done);
  }
  return c.accept + 1;
}

}  // namespace

double replay_program_cycles(const HwConfig& hw, const Program& program) {
  const auto& code = program.code;
  const TopParams& top = hw.top;
  const DramParams dp = dram_params(top);
  Dram m;
  m.latency = dp.latency_cycles;
  m.burst = dp.burst_bytes;
  m.burst_cycles = static_cast<double>(dp.burst_bytes) / dp.bytes_per_cycle;
  m.width = dma_issue_width(dp);
  m.window = dma_window_bursts(dp);
  m.step = static_cast<double>(dp.burst_bytes) /
           std::min(dp.bytes_per_cycle, dma_window_bytes_per_cycle(dp));
  m.step = std::max(m.step, 1.0 / m.width);
  std::array<Engine, 2> dma;
  Core core;
  core.timing = hw.unit->core_timing(hw.unit_params);
  Sems sems;

  // Per unit: its instructions in program order; the controller's dispatch cycles.
  const size_t n = code.size();
  std::vector<Unit> unit(n);
  std::array<std::vector<size_t>, 3> queue;
  std::vector<size_t> pos(n, 0);
  size_t halt = n;
  for (size_t i = 0; i < n; ++i) {
    unit[i] = unit_of(code[i]);
    if (unit[i] == kCtrl) {
      if (code[i].op == isa::Opcode::kHalt && halt == n) halt = i;
      continue;
    }
    pos[i] = queue[unit[i]].size();
    queue[unit[i]].push_back(i);
  }
  std::vector<double> dispatch(n, 0), pop(n, 0);
  std::vector<char> done(n, 0);
  const size_t depth = static_cast<size_t>(std::max(1, top.queue_depth));
  size_t dispatched = 0;
  double last_dispatch = -1;
  std::array<size_t, 3> head = {0, 0, 0};
  std::array<double, 3> free_at = {0, 0, 0};
  double end = 0;
  const BufferParams& wbuf = top.buffers[static_cast<int>(isa::Buffer::kWeight)];
  std::array<Banks, isa::kNumBuffers> banks;
  for (int b = 0; b < isa::kNumBuffers; ++b) {
    banks[b].bank_bytes = top.buffers[b].bank_bytes();
    banks[b].bank.assign(top.buffers[b].banks, {-1, 0.0});
  }
  Banks& wbanks = banks[static_cast<int>(isa::Buffer::kWeight)];

  while (true) {
    // The controller dispatches in order while the target queue has room.
    while (dispatched < halt) {
      const size_t i = dispatched;
      double room = kLong;
      if (unit[i] != kCtrl && pos[i] >= depth) {
        const size_t k = queue[unit[i]][pos[i] - depth];
        if (!done[k]) break;
        room = pop[k];
      }
      dispatch[i] = std::max(last_dispatch + 1, room);
      last_dispatch = dispatch[i];
      ++dispatched;
    }
    // The unit whose head instruction can start first.
    int best = -1;
    double best_t = 0;
    for (int u = 0; u < 3; ++u) {
      if (head[u] >= queue[u].size()) continue;
      const size_t i = queue[u][head[u]];
      if (i >= dispatched || !sems.available(code[i].wait)) continue;
      double t = std::max(dispatch[i], free_at[u]);
      if (code[i].wait) t = std::max(t, sems.time(code[i].wait));
      if (best < 0 || t < best_t) {
        best = u;
        best_t = t;
      }
    }
    if (best < 0) break;
    const size_t i = queue[best][head[best]++];
    const isa::Instruction& in = code[i];
    double t = std::ceil(best_t);
    sems.take(in.wait);
    pop[i] = t;
    done[i] = 1;
    if (best != kCore) {
      Engine& e = dma[best];
      if (in.op == isa::Opcode::kLdCfg || in.op == isa::Opcode::kStCfg) {
        e.stride = in.stride;
        sems.post(in.signal, t);
        free_at[best] = t;
        continue;
      }
      Banks& bk = banks[in.buf];
      const uint64_t total = in.rows * in.bytes;
      t = std::ceil(bk.free_at(in.sram, total, best, t));
      const uint64_t bursts = burst_count(in.dram, in.rows, in.bytes, e.stride, m.burst);
      const double fin = transfer(m, e, t, bursts);
      bk.reserve(in.sram, total, best, t, fin);
      sems.post(in.signal, fin);
      end = std::max(end, fin);
      free_at[best] = std::max(t + 1, e.next_issue);
      continue;
    }
    if (in.op == isa::Opcode::kCfg) {
      t = std::max(t, std::ceil(core.blocks_done));  // the tiles drain before the cfg pins change
      OpFormat f;
      f.kind = weight_kind_from_field(in.wkind);
      f.bits = static_cast<int>(in.wbits);
      f.fp16 = in.afmt == 1;
      f.group = static_cast<int>(in.group);
      f.codec = static_cast<WeightCodec>(in.wcodec);  // FP4 codes: 5 planes per beat
      core.layout.emplace(hw, f);
      sems.post(in.signal, t);
      free_at[kCore] = t;
    } else if (in.op == isa::Opcode::kBlk) {
      if (core.k_left != 0 || !core.layout) {
        throw std::logic_error("replay: a blk before the last block's K was run, or before cfg");
      }
      core.t_pending = true;
      core.block_k = core.k_left = static_cast<int>(in.kt);
      core.block_signal = in.signal;
      free_at[kCore] = t;
    } else if (isa::is_tile_op(in.op)) {
      const TileLayout& L = *core.layout;
      const int k = static_cast<int>(in.k);
      const uint64_t wbytes = L.chunk_weight_bytes(k, core.block_k);
      t = std::ceil(wbanks.free_at(in.w, wbytes, kCore, t));
      const uint64_t spanned =
          (in.w + std::max<uint64_t>(wbytes, 1) - 1) / wbuf.bank_bytes() - in.w / wbuf.bank_bytes();
      const uint64_t port = uint64_t{wbuf.width_bytes} * (spanned + 1);
      wbanks.reserve(in.w, wbytes, kCore, t, 1e300);
      const uint64_t per_beat = static_cast<uint64_t>(L.tiles) * L.beat_bytes();
      const double interval =
          static_cast<double>(std::max<uint64_t>(1, (per_beat + port - 1) / port));
      const double fin = core.timing.kind == CoreTiming::Kind::kLutPipeline
                             ? lut_chunk(core, t, k, interval)
                             : pe_array_chunk(core, t, k, interval);
      wbanks.release(in.w, wbytes, fin);
      if (core.k_left == 0) sems.post(core.block_signal, std::ceil(core.blocks_done));
      sems.post(in.signal, fin);
      free_at[kCore] = fin;
      end = std::max({end, fin, core.blocks_done});
    }
  }
  for (int u = 0; u < 3; ++u) {
    if (head[u] < queue[u].size()) {
      throw std::logic_error(
          "replay: the program deadlocks (a wait no earlier instruction signals)");
    }
  }
  return std::max({end, core.blocks_done, last_dispatch});
}

}  // namespace lowbit
