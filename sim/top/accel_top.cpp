// The accelerator top: controller, DMA queues, core unit, buffers and DRAM (see accel_top.h).
#include "sim/top/accel_top.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "model/arch/memory_system.h"

namespace lowbit {

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

const char* top_unit_name(int unit) {
  switch (unit) {
    case kUnitLoad:
      return "load";
    case kUnitStore:
      return "store";
    case kUnitCore:
      return "core";
    case kUnitVector:
      return "vector";
    case kUnitCtrl:
      return "ctrl";
    case kTrackBlocks:
      return "blocks";
  }
  return "?";
}

namespace {
constexpr int kAct = static_cast<int>(isa::Buffer::kAct);
constexpr int kWeight = static_cast<int>(isa::Buffer::kWeight);
constexpr int kScale = static_cast<int>(isa::Buffer::kScale);
constexpr int kOut = static_cast<int>(isa::Buffer::kOut);
const char* const kBufNames[isa::kNumBuffers] = {"act", "weight", "scale", "out"};

int unit_of(const isa::Instruction& in) {
  const isa::OpSpec* s = isa::find_op(static_cast<uint8_t>(in.op));
  const std::string u = s ? s->unit : "ctrl";
  if (u == "load") return kUnitLoad;
  if (u == "store") return kUnitStore;
  if (u == "core") return kUnitCore;
  if (u == "vector") return kUnitVector;
  return kUnitCtrl;
}

const char* mnemonic(const isa::Instruction& in) {
  const isa::OpSpec* s = isa::find_op(static_cast<uint8_t>(in.op));
  return s ? s->mnemonic : "?";
}
}  // namespace

AccelTop::AccelTop(sc_core::sc_module_name name, const HwConfig& hw, StatGroup& stats,
                   std::unique_ptr<CoreDriver> core)
    : sc_module(name),
      m_hw(hw),
      m_stats(stats),
      m_dram(dram_params(hw.top), stats.child("dram")),
      m_dma_load(m_dram, stats.child("load").child("dma")),
      m_dma_store(m_dram, stats.child("store").child("dma")),
      m_core(std::move(core)),
      m_vector(hw.vector, stats.child("vector")),
      m_cycles(stats.counter("cycles", "cycles from the program's start to its last completion",
                             "cycles")),
      m_fetched(stats.child("ctrl").counter("instructions", "instructions fetched")),
      m_dispatch_stall(stats.child("ctrl").counter(
          "stall_queue_full_cycles", "cycles dispatch waited for room in a unit's queue",
          "cycles")),
      m_blocks(stats.child("core").counter("blocks", "output blocks written to the out buffer")),
      m_chunks(stats.child("core").counter("chunks", "tile ops (K chunks) executed")),
      m_macs(stats.child("core").counter("macs", "useful multiply-accumulates (m x n x k)")),
      m_stall_precompute(stats.child("core").counter(
          "stall_precompute_cycles",
          "cycles the tiles waited for tables: 0 by construction, the lutcore tile precomputes "
          "its tables in the cycle it accepts a beat (lut_precompute)",
          "cycles")),
      m_stall_port(stats.child("core").counter(
          "stall_buffer_port_cycles",
          "cycles a tile was ready but the weight buffer port had not delivered the next beat",
          "cycles")) {
  for (int b = 0; b < isa::kNumBuffers; ++b) {
    const BufferParams& bp = hw.top.buffers[b];
    Buffer& buf = m_buf[b];
    buf.data.assign(bp.bytes(), 0);
    buf.banks.assign(bp.banks, Bank{});
    buf.bank_bytes = bp.bank_bytes();
    StatGroup& g = stats.child("buffers").child(kBufNames[b]);
    buf.reads = &g.counter("read_bytes", "bytes read by the units", "bytes");
    buf.writes = &g.counter("write_bytes", "bytes written by the units", "bytes");
  }
  for (int u = 0; u < kQueuedUnits; ++u) {
    StatGroup& g = stats.child(top_unit_name(u));
    m_ustats[u] = {
        &g.counter("instructions", "instructions executed"),
        &g.counter("busy_cycles", "cycles the unit worked on an instruction", "cycles"),
        &g.counter("stall_dram_cycles",
                   "cycles waiting for a semaphore last given by the load unit (data on its way "
                   "from DRAM)",
                   "cycles"),
        &g.counter("stall_dependency_cycles",
                   "cycles waiting for a semaphore given by the store or core unit", "cycles"),
        &g.counter("stall_buffer_conflict_cycles",
                   "cycles waiting for buffer banks another unit holds", "cycles"),
        &g.counter("idle_cycles", "cycles with an empty instruction queue", "cycles")};
  }
  // The controller waits on semaphores only for ctrl instructions (nop, sync with wait bits).
  StatGroup& ctrl = stats.child("ctrl");
  m_ustats[kUnitCtrl] = {nullptr,
                         nullptr,
                         &ctrl.counter("stall_dram_cycles",
                                       "cycles a ctrl instruction waited for a semaphore last "
                                       "given by the load unit",
                                       "cycles"),
                         &ctrl.counter("stall_dependency_cycles",
                                       "cycles a ctrl instruction waited for a semaphore given by "
                                       "the store or core unit",
                                       "cycles"),
                         nullptr,
                         nullptr};
  m_core->on_block_done = [this](const BlockOp& b, uint64_t cycle) {
    m_sem.post(b.signal, cycle, kUnitCore);
    if (timeline_cap) {
      event(kTrackBlocks, fmt::format("block {}x{}", b.m, b.n), b.begin, cycle, b.address);
    }
    m_last_completion = std::max(m_last_completion, cycle);
    ++m_blocks;
    *m_buf[kOut].writes += 4ull * b.m * b.n;
    m_sem_posted.notify(SC_ZERO_TIME);
  };
  // sc_stop() on an error is ours to report, not SystemC's informational banner.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                          sc_core::SC_DO_NOTHING);
  SC_THREAD(controller_thread);
  SC_THREAD(load_thread);
  SC_THREAD(store_thread);
  SC_THREAD(core_thread);
  SC_THREAD(vector_thread);
}

uint64_t AccelTop::now() const {
  return static_cast<uint64_t>(sc_core::sc_time_stamp().value() / sc_time(1, SC_NS).value());
}
void AccelTop::wait_cycles(uint64_t n) {
  if (n) wait(sc_time(static_cast<double>(n), SC_NS));
}
void AccelTop::wait_until(uint64_t cycle) {
  const uint64_t t = now();
  if (cycle > t) wait_cycles(cycle - t);
}

void AccelTop::fail(const std::string& what) {
  if (m_error.empty()) m_error = what;
  sc_core::sc_stop();
}

void AccelTop::event(int unit, const std::string& name, uint64_t start, uint64_t end,
                     uint64_t address) {
  if (timeline_cap == 0) return;  // callers skip formatting names when no timeline is kept
  if (timeline.size() < timeline_cap) {
    timeline.push_back({unit, name, start, end, address});
  } else {
    ++timeline_dropped;
  }
}

void AccelTop::trace(sc_core::sc_trace_file* tf) {
  for (int u = 0; u < kQueuedUnits; ++u) {
    sc_core::sc_trace(tf, m_busy_trace[u], std::string(top_unit_name(u)) + "_busy");
    sc_core::sc_trace(tf, m_queue_trace[u], std::string(top_unit_name(u)) + "_queue");
  }
}

CoreBuffers AccelTop::core_buffers() {
  CoreBuffers b;
  b.act = m_buf[kAct].data.data();
  b.weight = m_buf[kWeight].data.data();
  b.scale = m_buf[kScale].data.data();
  b.out = m_buf[kOut].data.data();
  b.act_bytes = m_buf[kAct].data.size();
  b.weight_bytes = m_buf[kWeight].data.size();
  b.scale_bytes = m_buf[kScale].data.size();
  b.out_bytes = m_buf[kOut].data.size();
  return b;
}

void AccelTop::core_step_idle() {
  const CoreBuffers b = core_buffers();
  m_core->advance_to(now(), b);
  m_core->idle_cycle(b);
  wait_until(m_core->cycle());
}

void AccelTop::acquire(int unit, const isa::Instruction& in) {
  if (!in.wait) return;
  const uint64_t t0 = now();
  while (!m_sem.available(in.wait, now())) {
    if (unit == kUnitCore && m_core->pending()) {
      core_step_idle();
      continue;
    }
    const auto next = m_sem.next_post(in.wait, now());
    if (next) {
      wait(sc_time(static_cast<double>(*next - now()), SC_NS), m_sem_posted);
    } else {
      wait(m_sem_posted);
    }
  }
  const int giver = m_sem.take(in.wait, now());
  const uint64_t waited = now() - t0;
  if (giver == kUnitLoad) {
    *m_ustats[unit].stall_dram += waited;
  } else {
    *m_ustats[unit].stall_dependency += waited;
  }
}

uint64_t AccelTop::bank_free_at(int b, uint64_t off, uint64_t bytes, int unit) const {
  const Buffer& buf = m_buf[b];
  uint64_t t = now();
  const uint64_t first = off / buf.bank_bytes;
  const uint64_t last = (off + std::max<uint64_t>(bytes, 1) - 1) / buf.bank_bytes;
  for (uint64_t k = first; k <= last && k < buf.banks.size(); ++k) {
    if (buf.banks[k].owner != unit) t = std::max(t, buf.banks[k].busy_until);
  }
  return t;
}

void AccelTop::reserve(int b, uint64_t off, uint64_t bytes, int unit, uint64_t until) {
  Buffer& buf = m_buf[b];
  const uint64_t first = off / buf.bank_bytes;
  const uint64_t last = (off + std::max<uint64_t>(bytes, 1) - 1) / buf.bank_bytes;
  for (uint64_t k = first; k <= last && k < buf.banks.size(); ++k) {
    if (buf.banks[k].busy_until <= now() || buf.banks[k].owner == unit) {
      buf.banks[k].owner = unit;
      buf.banks[k].busy_until = std::max(buf.banks[k].busy_until, until);
    }
  }
}

bool AccelTop::all_idle() const {
  for (int u = 0; u < kQueuedUnits; ++u) {
    if (!m_queues[u].q.empty() || m_unit_busy[u]) return false;
  }
  return !m_core->pending();
}

void AccelTop::controller_thread() {
  while (true) {
    wait(m_start);
    try {
      const auto& code = m_program->code;
      uint64_t pc = 0;
      while (true) {
        if (pc >= code.size()) {
          fail(fmt::format("the program ends at address 0x{:x} without a halt instruction",
                           pc * isa::kInstructionBytes));
          return;
        }
        const isa::Instruction& in = code[pc];
        const uint64_t addr = pc * isa::kInstructionBytes;
        ++m_fetched;
        const int u = unit_of(in);
        if (u == kUnitCtrl) {
          if (in.op == isa::Opcode::kHalt) break;
          const uint64_t t0 = now();
          acquire(kUnitCtrl, in);
          if (in.op == isa::Opcode::kSync) {
            // Idle units and every transfer landed (a DMA unit idles once its last burst issued).
            while (!all_idle() || now() < m_last_completion) {
              if (!all_idle()) {
                wait(m_idle_changed);
              } else {
                wait_until(m_last_completion);
              }
            }
          }
          m_sem.post(in.signal, now(), kUnitCtrl);
          m_sem_posted.notify(SC_ZERO_TIME);
          event(kUnitCtrl, mnemonic(in), t0, now(), addr);
        } else {
          Queue& q = m_queues[u];
          while (q.q.size() >= static_cast<size_t>(m_hw.top.queue_depth)) {
            const uint64_t t0 = now();
            wait(q.popped);
            m_dispatch_stall += now() - t0;
          }
          q.q.emplace_back(in, addr);
          m_queue_trace[u] = static_cast<uint32_t>(q.q.size());
          q.pushed.notify(SC_ZERO_TIME);
        }
        ++pc;
        wait_cycles(1);
      }
      while (!all_idle()) wait(m_idle_changed);
      m_end_cycle = std::max(now(), m_last_completion);
      m_finished = true;
      sc_core::sc_pause();
    } catch (const std::exception& e) {
      fail(e.what());
      return;
    }
  }
}

void AccelTop::dma_thread(int u) {
  DmaEngine& dma = u == kUnitLoad ? m_dma_load : m_dma_store;
  Queue& q = m_queues[u];
  UnitStats& st = m_ustats[u];
  uint64_t stride = 0;
  try {
    while (true) {
      if (q.q.empty()) {
        m_unit_busy[u] = false;
        m_busy_trace[u] = false;
        m_idle_changed.notify(SC_ZERO_TIME);
        const uint64_t t0 = now();
        wait(q.pushed);
        if (m_running) *st.stall_idle += now() - t0;
        continue;
      }
      m_unit_busy[u] = true;
      m_busy_trace[u] = true;
      const auto [in, addr] = q.q.front();
      acquire(u, in);
      q.q.pop_front();
      m_queue_trace[u] = static_cast<uint32_t>(q.q.size());
      q.popped.notify(SC_ZERO_TIME);
      ++*st.instructions;
      if (in.op == isa::Opcode::kLdCfg || in.op == isa::Opcode::kStCfg) {
        stride = in.stride;
        m_sem.post(in.signal, now(), u);
        m_sem_posted.notify(SC_ZERO_TIME);
        continue;
      }
      const bool store = in.op == isa::Opcode::kStore;
      // st reads the out buffer, or the act buffer (the vector unit's requantized rows).
      if (store && in.buf != static_cast<uint64_t>(isa::Buffer::kOut) &&
          in.buf != static_cast<uint64_t>(isa::Buffer::kAct)) {
        throw std::runtime_error(fmt::format(
            "illegal instruction at address 0x{:x} (instruction {}): field 'buf': st reads {}; "
            "allowed: out, act",
            addr, addr / 16, kBufNames[in.buf]));
      }
      Buffer& buf = m_buf[in.buf];
      const uint64_t total = in.rows * in.bytes;
      if (in.sram + total > buf.data.size()) {
        throw std::runtime_error(fmt::format(
            "illegal instruction at address 0x{:x} (instruction {}): field 'sram': 0x{:x} + {} "
            "rows "
            "x {} bytes runs past the {} buffer's {} bytes; allowed: a transfer inside the buffer",
            addr, addr / 16, in.sram, in.rows, in.bytes, kBufNames[in.buf], buf.data.size()));
      }
      auto& dram = m_program->dram;
      const uint64_t dram_end = in.dram + (in.rows - 1) * stride + in.bytes;
      if (dram_end > dram.size()) {
        throw std::runtime_error(fmt::format(
            "illegal instruction at address 0x{:x} (instruction {}): field 'dram': the transfer "
            "ends at 0x{:x}, past the DRAM image of 0x{:x} bytes; allowed: addresses inside the "
            "image",
            addr, addr / 16, dram_end, dram.size()));
      }
      const uint64_t tf = bank_free_at(static_cast<int>(in.buf), in.sram, total, u);
      if (tf > now()) {
        *st.stall_buffer += tf - now();
        wait_until(tf);
      }
      const uint64_t start = now();
      for (uint64_t r = 0; r < in.rows; ++r) {
        uint8_t* s = buf.data.data() + in.sram + r * in.bytes;
        uint8_t* d = dram.data() + in.dram + r * stride;
        if (store) {
          std::memcpy(d, s, in.bytes);
          if (on_store) on_store(in.dram + r * stride, s, in.bytes);
        } else {
          std::memcpy(s, d, in.bytes);
        }
      }
      if (store) {
        *buf.reads += total;
      } else {
        *buf.writes += total;
      }
      const uint64_t done =
          dma.run(start, DmaTransfer{in.dram, static_cast<uint32_t>(in.rows),
                                     static_cast<uint32_t>(in.bytes), stride, store});
      reserve(static_cast<int>(in.buf), in.sram, total, u, done);
      m_sem.post(in.signal, done, u);
      m_sem_posted.notify(SC_ZERO_TIME);
      m_last_completion = std::max(m_last_completion, done);
      if (timeline_cap) {
        event(u, fmt::format("{} {}", mnemonic(in), kBufNames[in.buf]), start, done, addr);
      }
      const uint64_t next = std::max(start + 1, dma.next_issue_cycle());
      *st.busy += next - start;
      wait_until(next);
    }
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

void AccelTop::core_thread() {
  Queue& q = m_queues[kUnitCore];
  UnitStats& st = m_ustats[kUnitCore];
  OpFormat fmt_now;
  int blk_kt = 1;
  bool have_fmt = false;
  try {
    while (true) {
      if (q.q.empty()) {
        if (m_core->pending()) {
          const uint64_t t0 = now();
          core_step_idle();
          if (m_running) *st.stall_idle += now() - t0;
          continue;
        }
        m_unit_busy[kUnitCore] = false;
        m_busy_trace[kUnitCore] = false;
        m_idle_changed.notify(SC_ZERO_TIME);
        const uint64_t t0 = now();
        wait(q.pushed);
        if (m_running) *st.stall_idle += now() - t0;
        continue;
      }
      m_unit_busy[kUnitCore] = true;
      m_busy_trace[kUnitCore] = true;
      const auto [in, addr] = q.q.front();
      acquire(kUnitCore, in);
      q.q.pop_front();
      m_queue_trace[kUnitCore] = static_cast<uint32_t>(q.q.size());
      q.popped.notify(SC_ZERO_TIME);
      ++*st.instructions;
      CoreBuffers bufs = core_buffers();
      m_core->advance_to(now(), bufs);
      const uint64_t start = now();
      switch (in.op) {
        case isa::Opcode::kCfg: {
          // The tile's cfg pins must be stable while a beat is in flight: drain first.
          while (m_core->pending()) core_step_idle();
          fmt_now.kind = weight_kind_from_field(in.wkind);
          fmt_now.bits = static_cast<int>(in.wbits);
          fmt_now.fp16 = in.afmt == 1;
          fmt_now.group = static_cast<int>(in.group);
          fmt_now.codec = static_cast<WeightCodec>(in.wcodec);
          TileLayout(m_hw, fmt_now)
              .check_supported(fmt::format("illegal instruction at address 0x{:x} (cfg)", addr));
          m_core->set_format(fmt_now);
          have_fmt = true;
          m_sem.post(in.signal, now(), kUnitCore);
          m_sem_posted.notify(SC_ZERO_TIME);
          event(kUnitCore, "cfg", start, now(), addr);
          break;
        }
        case isa::Opcode::kBlk: {
          if (!have_fmt) {
            throw std::runtime_error(fmt::format(
                "illegal instruction at address 0x{:x}: blk before any cfg; allowed: a cfg first",
                addr));
          }
          BlockOp b{static_cast<int>(in.m),
                    static_cast<int>(in.n),
                    static_cast<int>(in.kt),
                    static_cast<uint32_t>(in.o),
                    static_cast<uint32_t>(in.ascale),
                    in.signal,
                    addr};
          blk_kt = b.kt;
          m_core->begin_block(b, bufs);
          *m_buf[kAct].reads += 4ull * b.m;
          break;
        }
        default: {  // a tile op (any unit's: the configured unit's is checked), else illegal here
          if (!isa::is_tile_op(in.op)) {
            throw std::runtime_error(
                fmt::format("illegal instruction at address 0x{:x}: {} is not a core instruction",
                            addr, mnemonic(in)));
          }
          const isa::Opcode want = m_hw.unit->opcode();
          if (in.op != want) {
            throw std::runtime_error(fmt::format(
                "illegal instruction at address 0x{:x} (instruction {}): field 'opcode': {} on a "
                "{} core; allowed: {}",
                addr, addr / 16, mnemonic(in), m_hw.unit->name(),
                isa::find_op(static_cast<uint8_t>(want))->mnemonic));
          }
          if (!m_core->pending()) {
            throw std::runtime_error(
                fmt::format("illegal instruction at address 0x{:x}: {} without an open block (blk)",
                            addr, mnemonic(in)));
          }
          const TileLayout L(m_hw, fmt_now);
          const uint64_t wbytes = L.chunk_weight_bytes(static_cast<int>(in.k), blk_kt);
          uint64_t tf = bank_free_at(kWeight, in.w, wbytes, kUnitCore);
          if (tf > now()) {
            const uint64_t t0 = now();
            while (now() < tf) {
              if (m_core->pending()) {
                core_step_idle();
              } else {
                wait_until(tf);
              }
            }
            *st.stall_buffer += now() - t0;
            bufs = core_buffers();
          }
          const uint64_t t1 = now();
          const BufferParams& wb = m_hw.top.buffers[kWeight];
          const uint64_t bank_lo = in.w / wb.bank_bytes();
          const uint64_t bank_hi = (in.w + std::max<uint64_t>(wbytes, 1) - 1) / wb.bank_bytes();
          const uint64_t port = uint64_t{wb.width_bytes} * (bank_hi - bank_lo + 1);
          const uint64_t per_beat = static_cast<uint64_t>(L.tiles) * L.beat_bytes();
          const uint32_t interval =
              static_cast<uint32_t>(std::max<uint64_t>(1, (per_beat + port - 1) / port));
          reserve(kWeight, in.w, wbytes, kUnitCore, ~uint64_t{0} >> 1);
          const uint64_t macs0 = m_core->useful_macs;
          m_core->run_chunk(ChunkOp{static_cast<int>(in.k), static_cast<uint32_t>(in.src),
                                    static_cast<uint32_t>(in.w), static_cast<uint32_t>(in.s), addr},
                            bufs, interval, m_stall_port);
          const uint64_t end = m_core->cycle();
          // Release the banks at the chunk's real end.
          for (uint64_t k = bank_lo; k <= bank_hi && k < m_buf[kWeight].banks.size(); ++k) {
            m_buf[kWeight].banks[k].busy_until = end;
          }
          m_macs += m_core->useful_macs - macs0;
          ++m_chunks;
          *m_buf[kWeight].reads += wbytes;
          *m_buf[kScale].reads += L.chunk_scale_bytes(static_cast<int>(in.k));
          *st.busy += end - t1;
          event(kUnitCore, mnemonic(in), t1, end, addr);
          wait_until(end);
          m_sem.post(in.signal, now(), kUnitCore);
          m_sem_posted.notify(SC_ZERO_TIME);
          break;
        }
      }
    }
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

void AccelTop::vector_thread() {
  Queue& q = m_queues[kUnitVector];
  UnitStats& st = m_ustats[kUnitVector];
  try {
    while (true) {
      if (q.q.empty()) {
        m_unit_busy[kUnitVector] = false;
        m_busy_trace[kUnitVector] = false;
        m_idle_changed.notify(SC_ZERO_TIME);
        const uint64_t t0 = now();
        wait(q.pushed);
        if (m_running) *st.stall_idle += now() - t0;
        continue;
      }
      m_unit_busy[kUnitVector] = true;
      m_busy_trace[kUnitVector] = true;
      const auto [in, addr] = q.q.front();
      acquire(kUnitVector, in);
      q.q.pop_front();
      m_queue_trace[kUnitVector] = static_cast<uint32_t>(q.q.size());
      q.popped.notify(SC_ZERO_TIME);
      ++*st.instructions;
      const uint64_t start = now();
      if (in.op == isa::Opcode::kVcfg) {
        m_vector.configure(in, addr);
      } else {
        m_vector.begin(in, VectorBuffers{m_buf[kOut].data, m_buf[kAct].data}, addr);
        // Pass by pass: each pass's results land in the buffers at its last cycle.
        for (uint64_t p = 0; p < in.passes; ++p) wait_cycles(m_vector.run_pass(p));
      }
      *st.busy += now() - start;
      m_last_completion = std::max(m_last_completion, now());
      event(kUnitVector, mnemonic(in), start, now(), addr);
      m_sem.post(in.signal, now(), kUnitVector);
      m_sem_posted.notify(SC_ZERO_TIME);
    }
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

uint64_t AccelTop::run(Program& program) {
  m_program = &program;
  m_finished = false;
  m_running = true;
  m_error.clear();
  m_sem.reset();
  m_start_cycle = now();
  m_last_completion = m_start_cycle;
  if (sc_core::sc_get_status() == sc_core::SC_ELABORATION) {
    sc_core::sc_start(SC_ZERO_TIME);  // initialization: every thread reaches its first wait
  }
  m_start.notify(SC_ZERO_TIME);
  sc_core::sc_start();
  m_running = false;
  if (!m_error.empty()) throw std::runtime_error(m_error);
  if (!m_finished) {
    std::string state;
    for (int u = 0; u < kQueuedUnits; ++u) {
      const auto& q = m_queues[u].q;
      if (q.empty()) continue;
      const auto& [in, addr] = q.front();
      state += fmt::format("; {} waits at address 0x{:x} ({}) for semaphores 0x{:02x}",
                           top_unit_name(u), addr, mnemonic(in), in.wait);
    }
    throw std::runtime_error(fmt::format(
        "deadlock at cycle {}: no unit can make progress{} (every wait must name a semaphore "
        "that an earlier instruction signals)",
        now() - m_start_cycle, state));
  }
  m_cycles = m_end_cycle - m_start_cycle;
  return m_cycles;
}

}  // namespace lowbit
