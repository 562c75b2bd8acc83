// Directed DMA / buffer / controller sequences through the SystemC accelerator top (sim/top).
// SystemC elaborates once per process: ctest runs every TEST in its own process (gtest discovery).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <systemc>

#include "model/isa/assembler.h"
#include "sim/top/accel_top.h"
#include "tests/component/top_rig.h"

extern "C" int sc_main(int, char**) { return 1; }  // libsystemc wants it; gtest_main is main()

namespace lowbit {
namespace {

// A mixpe 8x8 accelerator with round DRAM numbers: 32 B/cycle, 100 cycles latency, 64 B bursts.
HwConfig config(int queue_depth = 16, int outstanding = 128) {
  nlohmann::json j = {{"name", "top_test"},
                      {"core", "mixpe"},
                      {"mixpe", {{"rows", 8}, {"cols", 8}, {"fp16", true}}},
                      {"top",
                       {{"clock_mhz", 1000},
                        {"queue_depth", queue_depth},
                        {"dram",
                         {{"bandwidth_gbps", 32},
                          {"latency_ns", 100},
                          {"burst_bytes", 64},
                          {"max_outstanding", outstanding}}}}}};
  return hw_config_from_json(j, "top_test");
}

struct Rig : TopRig {
  using TopRig::TopRig;
  uint64_t run(const std::string& text, size_t dram_bytes) {
    program.code = isa::assemble(text, "test.s");
    program.dram.resize(dram_bytes);
    for (size_t i = 0; i < dram_bytes; ++i) program.dram[i] = static_cast<uint8_t>(i * 7 + 3);
    return top->run(program);
  }
};

std::string error_of(Rig& rig, const std::string& text) {
  try {
    rig.run(text, 1 << 16);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(TopDma, LoadThenStoreCopiesBytesInOrder) {
  Rig rig(config());
  uint64_t stored = 0;
  rig.top->on_store = [&](uint64_t addr, const uint8_t*, uint64_t n) {
    EXPECT_EQ(addr, 0x8000u);
    stored += n;
  };
  rig.run(
      "ld buf=out rows=1 sram=0x0 dram=0x100 bytes=4096 signal=s0\n"
      "st buf=out rows=1 sram=0x0 dram=0x8000 bytes=4096 wait=s0\n"
      "halt\n",
      1 << 16);
  EXPECT_EQ(stored, 4096u);
  for (int i = 0; i < 4096; ++i)
    ASSERT_EQ(rig.program.dram[0x8000 + i], rig.program.dram[0x100 + i]);
  // The store waited for the load's last byte.
  EXPECT_GE(rig.event("st out").start, rig.event("ld out").end);
  EXPECT_EQ(rig.stats.value("store.instructions"), 1u);
  EXPECT_GT(rig.stats.value("store.stall_dram_cycles"), 0u);
}

TEST(TopDma, OneLoadTakesLatencyPlusBytesOverBandwidth) {
  Rig rig(config());
  // 64 bursts of 64 B, one request per cycle, 2 bus cycles each: the bus is busy from cycle 100
  // to 228; the controller fetches halt at cycle 1 and the run ends at the last completion.
  const uint64_t cycles =
      rig.run("ld buf=act rows=1 sram=0x0 dram=0x0 bytes=4096\nhalt\n", 1 << 16);
  EXPECT_EQ(cycles, 100u + 64 * 2);
  EXPECT_EQ(rig.stats.value("dram.bytes_read"), 4096u);
}

TEST(TopDma, StridedRowsMoveOnlyTheirBursts) {
  Rig rig(config());
  rig.run("ldcfg stride=1024\nld buf=act rows=8 sram=0x0 dram=0x0 bytes=64\nhalt\n", 1 << 16);
  EXPECT_EQ(rig.stats.value("dram.reads"), 8u);
  EXPECT_EQ(rig.stats.value("buffers.act.write_bytes"), 512u);
}

TEST(TopDma, ManyLoadsAreBandwidthBound) {
  Rig rig(config());
  std::string p;
  for (int i = 0; i < 16; ++i)
    p += fmt::format("ld buf=weight rows=1 sram=0x0 dram={} bytes=4096\n", i * 4096);
  p += "halt\n";
  const uint64_t cycles = rig.run(p, 1 << 17);
  const uint64_t bound = 16 * 4096 / 32;
  EXPECT_GE(cycles, bound);
  EXPECT_LE(cycles, bound + 100 + 16);  // latency once, then the bus streams
}

TEST(TopController, FullQueueStallsDispatch) {
  Rig rig(config(/*queue_depth=*/1));
  rig.run(
      "ld buf=act rows=1 sram=0x0 dram=0x0 bytes=4096\n"
      "ld buf=act rows=1 sram=0x0 dram=0x0 bytes=4096\n"
      "ld buf=act rows=1 sram=0x0 dram=0x0 bytes=4096\n"
      "halt\n",
      1 << 16);
  EXPECT_GT(rig.stats.value("ctrl.stall_queue_full_cycles"), 0u);
}

TEST(TopController, SyncWaitsForTheMachineToDrain) {
  Rig rig(config());
  rig.run(
      "ld buf=act rows=1 sram=0x0 dram=0x0 bytes=4096\n"
      "sync\n"
      "ld buf=act rows=1 sram=0x1000 dram=0x1000 bytes=64\n"
      "halt\n",
      1 << 16);
  const auto& tl = rig.top->timeline;
  ASSERT_EQ(tl.size(), 3u);  // ld, sync, ld
  EXPECT_GE(tl[2].start, tl[0].end);
}

TEST(TopController, DeadlockNamesTheWaitingUnit) {
  Rig rig(config());
  const std::string e =
      error_of(rig, "ld buf=act rows=1 sram=0x0 dram=0x0 bytes=64 wait=s3\nhalt\n");
  EXPECT_NE(e.find("deadlock"), std::string::npos) << e;
  EXPECT_NE(e.find("load waits at address 0x0"), std::string::npos) << e;
}

// st reads out or act (the vector unit's requantized rows); weight and scale are refused.
TEST(TopIllegal, StoreFromAWeightBufferNamesAddressAndField) {
  Rig rig(config());
  const std::string e =
      error_of(rig, "nop\nst buf=weight rows=1 sram=0x0 dram=0x0 bytes=64\nhalt\n");
  EXPECT_NE(e.find("address 0x10"), std::string::npos) << e;
  EXPECT_NE(e.find("field 'buf'"), std::string::npos) << e;
}

TEST(TopIllegal, TransferPastTheBufferNamesSram) {
  Rig rig(config());
  const std::string e = error_of(rig, "ld buf=scale rows=1 sram=0xffc0 dram=0x0 bytes=128\nhalt\n");
  EXPECT_NE(e.find("field 'sram'"), std::string::npos) << e;
}

TEST(TopIllegal, TransferPastTheDramImageNamesDram) {
  Rig rig(config());
  const std::string e = error_of(rig, "ld buf=act rows=1 sram=0x0 dram=0xfff0 bytes=64\nhalt\n");
  EXPECT_NE(e.find("field 'dram'"), std::string::npos) << e;
}

TEST(TopIllegal, ForeignTileOpNamesTheOpcode) {
  Rig rig(config());
  const std::string e =
      error_of(rig,
               "cfg wkind=signed wbits=4 afmt=int8 group=64\nblk m=1 n=8 kt=64 o=0x0 ascale=0x0\n"
               "lmma k=64 s=0x0 a=0x0 w=0x0\nhalt\n");
  EXPECT_NE(e.find("lmma on a mixpe core"), std::string::npos) << e;
}

TEST(TopIllegal, ProgramWithoutHalt) {
  Rig rig(config());
  const std::string e = error_of(rig, "nop\n");
  EXPECT_NE(e.find("without a halt"), std::string::npos) << e;
}

}  // namespace
}  // namespace lowbit
