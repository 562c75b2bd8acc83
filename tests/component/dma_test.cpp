// Directed DMA sequences through the DRAM model: latency, bandwidth, outstanding window, bursts.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/common/dma_engine.h"
#include "sim/common/dram_model.h"
#include "sim/common/stats.h"

namespace lowbit {
namespace {

DramParams params(double bpc, uint32_t latency, uint32_t burst, uint32_t outstanding) {
  DramParams p;
  p.bytes_per_cycle = bpc;
  p.latency_cycles = latency;
  p.burst_bytes = burst;
  p.max_outstanding = outstanding;
  return p;
}

struct Rig {
  explicit Rig(const DramParams& p)
      : stats("top"),
        dram(p, stats.child("dram")),
        load(dram, stats.child("dma_load")),
        store(dram, stats.child("dma_store")) {}
  StatGroup stats;
  DramModel dram;
  DmaEngine load;
  DmaEngine store;
};

TEST(DmaTiming, OneBurstTakesLatencyPlusTransfer) {
  Rig rig(params(32, 100, 64, 16));
  EXPECT_EQ(rig.load.run(10, {.dram = 0, .rows = 1, .row_bytes = 64}), 10u + 100 + 2);
  EXPECT_EQ(rig.stats.value("dram.reads"), 1u);
  EXPECT_EQ(rig.stats.value("dram.bytes_read"), 64u);
}

TEST(DmaTiming, LongStreamReachesPeakBandwidth) {
  Rig rig(params(32, 100, 64, 16));   // 16 in flight >= latency * bw / burst = 50? no: window-bound
  Rig wide(params(32, 100, 64, 64));  // 64 >= 100 * 32 / 64 = 50: enough to cover the latency
  const uint32_t bytes = 1 << 20;
  const uint64_t narrow_end = rig.load.run(0, {.dram = 0, .rows = 1, .row_bytes = bytes});
  const uint64_t wide_end = wide.load.run(0, {.dram = 0, .rows = 1, .row_bytes = bytes});
  // Bandwidth bound: bytes / bw + latency (+1 for the issue slot rounding).
  const double ideal = bytes / 32.0 + 100;
  EXPECT_GE(wide_end, static_cast<uint64_t>(ideal));
  EXPECT_LE(static_cast<double>(wide_end), ideal * 1.01);
  // Window bound (Little's law): 16 bursts per (latency + 2) cycles.
  const double window_rate = 16.0 * 64 / (100 + 2);
  EXPECT_NEAR(static_cast<double>(narrow_end), bytes / window_rate, bytes / window_rate * 0.01);
  EXPECT_GT(rig.stats.value("dma_load.stall_dram_cycles"), 0u);
}

TEST(DmaTiming, DerivedWidthAndWindowReachAnyBandwidth) {
  // 8 GB/s .. 4 TB/s at 1 GHz, 100 ns: the derived issue width and window (max_outstanding = 0)
  // never cap a long stream below the DRAM peak.
  for (const double bpc : {8.0, 64.0, 250.0, 1000.0, 4000.0}) {
    Rig rig(params(bpc, 100, 64, 0));
    const uint32_t bytes = 16u << 20;
    const uint64_t end = rig.load.run(0, {.dram = 0, .rows = 1, .row_bytes = bytes});
    const double ideal = bytes / bpc + 100;
    EXPECT_GE(static_cast<double>(end), ideal) << bpc;
    EXPECT_LE(static_cast<double>(end), ideal * 1.01 + 2) << bpc;
    EXPECT_GE(DmaEngine::issue_width(rig.dram.params()) * 64.0, bpc);
    EXPECT_GE(DmaEngine::window_bytes_per_cycle(rig.dram.params()), bpc);
  }
}

TEST(DmaTiming, OneRequestPerCycleWouldCapTheBandwidth) {
  // The former engine: one 64 B request per cycle is 64 B/cycle whatever the DRAM can do.
  Rig rig(params(1000, 100, 64, 0));
  EXPECT_EQ(DmaEngine::issue_width(rig.dram.params()), 16u);
  const uint64_t end = rig.load.run(0, {.dram = 0, .rows = 1, .row_bytes = 64 * 16 * 1000});
  EXPECT_LE(end, 1024u + 100 + 2);  // 1.024 MB / 1000 B per cycle, not 16000 cycles
}

TEST(DmaChannels, StreamsInterleaveAndOneChannelGetsItsShare) {
  DramParams p = params(64, 50, 64, 0);
  p.channels = 4;
  Rig rig(p);
  const uint32_t bytes = 1u << 20;
  const uint64_t end = rig.load.run(0, {.dram = 0, .rows = 1, .row_bytes = bytes});
  EXPECT_LE(static_cast<double>(end), (bytes / 64.0 + 50) * 1.01 + 5);  // all four channels
  // Rows 4 bursts apart all map to channel 0: a quarter of the bandwidth.
  Rig one(p);
  const uint64_t rows = 4096;
  const uint64_t t = one.load.run(0, {.dram = 0, .rows = rows, .row_bytes = 64, .stride = 256});
  EXPECT_NEAR(static_cast<double>(t), rows * 64 / 16.0 + 50, 5);
}

TEST(DmaTiming, SingleOutstandingSerializesBursts) {
  Rig rig(params(16, 50, 64, 1));  // each burst: 50 latency + 4 transfer
  const uint64_t end = rig.load.run(0, {.dram = 0, .rows = 1, .row_bytes = 64 * 10});
  EXPECT_EQ(end, 10u * (50 + 4));
}

TEST(DmaTiming, FractionalBandwidthDoesNotDrift) {
  Rig rig(params(25.6, 0, 64, 1000));
  const uint64_t end = rig.load.run(0, {.dram = 0, .rows = 1, .row_bytes = 64 * 10000});
  EXPECT_EQ(end, 25000u);  // 640000 / 25.6 exactly, with no per-burst rounding accumulated
}

TEST(DmaBursts, UnalignedRowsAndSharedBurstsAreCountedOnce) {
  Rig rig(params(64, 10, 64, 8));
  rig.load.run(0, {.dram = 60, .rows = 1, .row_bytes = 8});  // crosses a boundary: 2 bursts
  EXPECT_EQ(rig.stats.value("dma_load.bursts"), 2u);
  rig.load.run(100, {.dram = 0, .rows = 4, .row_bytes = 16, .stride = 16});  // one burst
  EXPECT_EQ(rig.stats.value("dma_load.bursts"), 3u);
  rig.load.run(200, {.dram = 0, .rows = 3, .row_bytes = 64, .stride = 4096});  // strided rows
  EXPECT_EQ(rig.stats.value("dma_load.bursts"), 6u);
  EXPECT_EQ(rig.stats.value("dma_load.bytes"), 8u + 64 + 192);
  EXPECT_EQ(rig.stats.value("dram.bytes_read"), 6u * 64);
}

TEST(DmaSharing, LoadAndStoreShareTheBus) {
  Rig rig(params(32, 20, 64, 64));
  const uint32_t bytes = 64 * 1024;
  const uint64_t a = rig.load.run(0, {.dram = 0, .rows = 1, .row_bytes = bytes});
  const uint64_t b =
      rig.store.run(0, {.dram = 1 << 20, .rows = 1, .row_bytes = bytes, .write = true});
  // Both were issued from cycle 0, but the bus moves 32 B per cycle in total.
  EXPECT_GE(std::max(a, b), 2u * bytes / 32);
  EXPECT_EQ(rig.stats.value("dram.bytes_written"), bytes);
  EXPECT_GT(rig.stats.value("dram.queue_cycles"), 0u);
}

TEST(DmaStats, ExportedAsATreeWithDescriptions) {
  Rig rig(params(32, 100, 64, 16));
  rig.load.run(0, {.dram = 0, .rows = 2, .row_bytes = 128, .stride = 128});
  const auto j = rig.stats.to_json();
  EXPECT_EQ(j.at("dma_load").at("transfers"), 1);
  EXPECT_EQ(j.at("dma_load").at("bursts"), 4);
  EXPECT_EQ(j.at("dram").at("reads"), 4);
  const auto d = rig.stats.describe();
  EXPECT_EQ(d.at("dram").at("bytes_read").at("unit"), "bytes");
}

}  // namespace
}  // namespace lowbit
