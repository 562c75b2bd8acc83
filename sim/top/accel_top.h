// SystemC model of the accelerator: controller, load/store DMA queues, core unit with its tiles,
// on-chip buffers and the DRAM model, executing docs/isa.md programs (docs/top.md).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "model/arch/hw_config.h"
#include "model/arch/program.h"
#include "model/isa/isa.h"
#include "sim/common/dma_engine.h"
#include "sim/common/dram_model.h"
#include "sim/common/stats.h"
#include "sim/top/core_driver.h"
#include "sim/top/semaphores.h"
#include "sim/top/vector_unit.h"

namespace lowbit {

/// The units that execute instructions (queue order of docs/isa.md).
enum TopUnit : int { kUnitLoad = 0, kUnitStore = 1, kUnitCore = 2, kUnitVector = 3, kUnitCtrl = 4 };
/// Units with an instruction queue (load, store, core, vector).
inline constexpr int kQueuedUnits = 4;
/// Timeline track of output blocks: from `blk` to the block's last row in the out buffer (the
/// tile's array passes plus its dequant pipeline).
inline constexpr int kTrackBlocks = 5;
const char* top_unit_name(int unit);

/// One span of a unit's activity, for the Chrome-trace timeline.
struct TimelineEvent {
  int unit;
  std::string name;
  uint64_t start;
  uint64_t end;
  uint64_t address;  ///< byte address of the instruction
};

/// What it models: the whole accelerator at cycle level. One simulated nanosecond is one clock
/// cycle (waveforms and traces convert with the config's clock). The controller dispatches one
/// instruction per cycle into per-unit queues; load and store run 2-D DMA transfers against the
/// DRAM model; the core unit feeds its tiles (model or RTL, through CoreDriver) from the buffers;
/// the vector unit (VectorUnit) runs vcfg / vec on the out and act buffers.
/// Units synchronize only through the semaphores. Elaborate once per process; run() many
/// programs on it.
class AccelTop : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(AccelTop);
  AccelTop(sc_core::sc_module_name name, const HwConfig& hw, StatGroup& stats,
           std::unique_ptr<CoreDriver> core);

  /// Runs `program` to its halt (calls sc_start). The DRAM image is modified in place by stores.
  /// Throws std::runtime_error for an illegal instruction (naming its address) or a deadlock.
  uint64_t run(Program& program);

  /// Called for every store with the DRAM address and the bytes written (the verification hook).
  std::function<void(uint64_t dram, const uint8_t* data, uint64_t bytes)> on_store;
  /// Timeline of unit activity (at most timeline_cap events; the rest are counted in dropped).
  std::vector<TimelineEvent> timeline;
  size_t timeline_cap = 0;
  uint64_t timeline_dropped = 0;

  /// Adds the units' activity signals to a VCD/FST trace file (call before the first run).
  void trace(sc_core::sc_trace_file* tf);

  const HwConfig& hw() const { return m_hw; }
  uint64_t useful_macs() const { return m_core->useful_macs; }

 private:
  struct Queue {
    std::deque<std::pair<isa::Instruction, uint64_t>> q;  // instruction, byte address
    sc_core::sc_event pushed, popped;
  };
  struct Bank {
    uint64_t busy_until = 0;
    int owner = -1;
  };
  struct Buffer {
    std::vector<uint8_t> data;
    std::vector<Bank> banks;
    uint64_t bank_bytes = 0;
    uint64_t* reads = nullptr;
    uint64_t* writes = nullptr;
  };
  struct UnitStats {
    uint64_t* instructions;
    uint64_t* busy;
    uint64_t* stall_dram;
    uint64_t* stall_dependency;
    uint64_t* stall_buffer;
    uint64_t* stall_idle;
  };

  uint64_t now() const;
  void wait_cycles(uint64_t n);
  void wait_until(uint64_t cycle);
  void fail(const std::string& what);
  void event(int unit, const std::string& name, uint64_t start, uint64_t end, uint64_t address);
  // Waits for the instruction's semaphores, counting the wait by cause; the core keeps its tiles
  // draining meanwhile.
  void acquire(int unit, const isa::Instruction& in);
  // First cycle >= now at which banks covering [off, off + bytes) of buffer b are free of other
  // units; then reserves them for `unit` until `until` (called again once `until` is known).
  uint64_t bank_free_at(int b, uint64_t off, uint64_t bytes, int unit) const;
  void reserve(int b, uint64_t off, uint64_t bytes, int unit, uint64_t until);
  bool all_idle() const;
  void core_step_idle();
  CoreBuffers core_buffers();

  void controller_thread();
  void dma_thread(int unit);
  void load_thread() { dma_thread(kUnitLoad); }
  void store_thread() { dma_thread(kUnitStore); }
  void core_thread();
  void vector_thread();

  HwConfig m_hw;
  StatGroup& m_stats;
  DramModel m_dram;
  DmaEngine m_dma_load, m_dma_store;
  std::unique_ptr<CoreDriver> m_core;
  VectorUnit m_vector;
  std::array<Buffer, isa::kNumBuffers> m_buf;
  std::array<Queue, kQueuedUnits> m_queues;
  std::array<UnitStats, kQueuedUnits + 1> m_ustats;
  std::array<bool, kQueuedUnits> m_unit_busy{};
  Semaphores m_sem;
  sc_core::sc_event m_start, m_idle_changed, m_sem_posted;
  Program* m_program = nullptr;
  bool m_finished = false;
  bool m_running = false;
  std::string m_error;
  uint64_t m_start_cycle = 0;
  uint64_t m_end_cycle = 0;
  uint64_t m_last_completion = 0;
  uint64_t m_core_idle_since = 0;
  // Stats owned here.
  uint64_t& m_cycles;
  uint64_t& m_fetched;
  uint64_t& m_dispatch_stall;
  uint64_t& m_blocks;
  uint64_t& m_chunks;
  uint64_t& m_macs;
  uint64_t& m_stall_precompute;
  uint64_t& m_stall_port;
  // Waveform signals.
  // Waveform values (traced by reference, sampled by the trace file at every time step).
  std::array<bool, kQueuedUnits> m_busy_trace{};
  std::array<uint32_t, kQueuedUnits> m_queue_trace{};
};

}  // namespace lowbit
