// The analytic tier's timing: the compiled program replayed one instruction at a time.
#pragma once

#include "model/arch/hw_config.h"
#include "model/arch/program.h"

namespace lowbit {

/// Cycles the accelerator top (sim/top, docs/top.md) takes to run `program`, estimated without
/// simulating cycles: each instruction is timed once, in the order the top would start it.
///  - controller: one instruction per cycle into per-unit queues of top.queue_depth entries;
///  - semaphores: counting, a wait takes the earliest post (sim/top/semaphores.h);
///  - load / store: a transfer's bursts issue issue-width per cycle within the DMA window and
///    complete on the DRAM (peak bandwidth, latency; channels as one bus), shared by both queues
///    (model/arch/memory_system.h); the queue's next transfer starts when this one's last burst
///    has issued;
///  - banks: a transfer holds the buffer banks it writes until its last byte, a tile op the weight
///    banks it reads until its last beat; another unit waits for them;
///  - core: per chunk, the unit's block timing (IUnitSpec::core_timing, model/arch/core_timing.h):
///    PE arrays step by step with the group drain stalls of their control's recursion, the LUT
///    pipeline group by group at P = max(beats x bits, Q + A, spacing) cycles; the weight port's
///    cycles per beat; a block is posted done when its last output leaves the tile.
/// The data is never read: `program.dram` may be empty.
double replay_program_cycles(const HwConfig& hw, const Program& program);

}  // namespace lowbit
