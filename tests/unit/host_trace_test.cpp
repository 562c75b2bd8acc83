// Chrome trace writer: the JSON read back has the right fields, order, times and truncation record.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "lowbit/trace.h"

namespace lowbit {
namespace {

using nlohmann::json;

std::vector<json> events_with_phase(const json& trace, const std::string& phase) {
  std::vector<json> out;
  for (const json& e : trace.at("traceEvents")) {
    if (e.at("ph") == phase) out.push_back(e);
  }
  return out;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(TraceWriter, EmptyTraceIsValidJsonWithTheTopLevelKeys) {
  TraceWriter trace(1000.0);
  const json j = json::parse(trace.dump());
  EXPECT_TRUE(j.at("traceEvents").is_array());
  EXPECT_TRUE(j.at("traceEvents").empty());
  EXPECT_EQ(j.at("displayTimeUnit"), "ns");
  EXPECT_EQ(j.at("otherData").at("clock_mhz"), 1000.0);
  EXPECT_EQ(j.at("otherData").at("events"), 0);
  EXPECT_EQ(j.at("otherData").at("dropped_events"), 0);
  EXPECT_FALSE(j.at("otherData").contains("max_events"));
}

TEST(TraceWriter, MetadataNamesProcessesAndThreadsInRegistrationOrder) {
  TraceWriter trace(1000.0);
  const auto acc = trace.add_process("accelerator");
  const auto load = trace.add_thread(acc, "load");
  const auto core = trace.add_thread(acc, "core");
  const auto cpu = trace.add_process("cpu");
  const auto worker = trace.add_thread(cpu, "worker 0");
  EXPECT_EQ(acc.index, 0u);
  EXPECT_EQ(cpu.index, 1u);
  EXPECT_EQ(load.index, 0u);
  EXPECT_EQ(core.index, 1u);
  EXPECT_EQ(worker.index, 2u);

  const json j = json::parse(trace.dump());
  const std::vector<json> meta = events_with_phase(j, "M");
  ASSERT_EQ(meta.size(), 10u);
  const std::vector<std::tuple<std::string, int, int, json>> expected = {
      {"process_name", 1, 0, {{"name", "accelerator"}}},
      {"process_sort_index", 1, 0, {{"sort_index", 0}}},
      {"thread_name", 1, 1, {{"name", "load"}}},
      {"thread_sort_index", 1, 1, {{"sort_index", 0}}},
      {"thread_name", 1, 2, {{"name", "core"}}},
      {"thread_sort_index", 1, 2, {{"sort_index", 1}}},
      {"process_name", 2, 0, {{"name", "cpu"}}},
      {"process_sort_index", 2, 0, {{"sort_index", 1}}},
      {"thread_name", 2, 3, {{"name", "worker 0"}}},
      {"thread_sort_index", 2, 3, {{"sort_index", 0}}},
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& [name, pid, tid, args] = expected[i];
    EXPECT_EQ(meta[i].at("name"), name) << i;
    EXPECT_EQ(meta[i].at("pid"), pid) << i;
    EXPECT_EQ(meta[i].at("tid"), tid) << i;
    EXPECT_EQ(meta[i].at("args"), args) << i;
  }
}

TEST(TraceWriter, RegisteringTheSameNameAgainReturnsTheSameTrack) {
  TraceWriter trace(1000.0);
  const auto a = trace.add_process("accelerator");
  const auto b = trace.add_process("cpu");
  EXPECT_EQ(trace.add_process("accelerator").index, a.index);
  const auto core = trace.add_thread(a, "core");
  EXPECT_EQ(trace.add_thread(a, "core").index, core.index);
  EXPECT_NE(trace.add_thread(b, "core").index, core.index);  // same name, other process
  EXPECT_EQ(trace.intern("tile", "lutcore").index, trace.intern("tile", "lutcore").index);
  EXPECT_NE(trace.intern("tile", "lutcore").index, trace.intern("tile", "mixpe").index);
  // Two processes and two threads, each with a name and a sort index.
  EXPECT_EQ(events_with_phase(json::parse(trace.dump()), "M").size(), 8u);
}

TEST(TraceWriter, CompleteEventHasEveryFieldAndConvertsCyclesAtTheClock) {
  TraceWriter trace(500.0);  // 2 ns per cycle
  const auto acc = trace.add_process("accelerator");
  const auto core = trace.add_thread(acc, "core");
  EXPECT_TRUE(trace.complete(core, "lmma", "lutcore", 1000, 250, {{"tile", 3}, {"k", 4}}));
  const std::vector<json> x = events_with_phase(json::parse(trace.dump()), "X");
  ASSERT_EQ(x.size(), 1u);
  EXPECT_EQ(x[0].at("name"), "lmma");
  EXPECT_EQ(x[0].at("cat"), "lutcore");
  EXPECT_EQ(x[0].at("ts").get<double>(), 2.0);   // 1000 cycles at 500 MHz = 2 us
  EXPECT_EQ(x[0].at("dur").get<double>(), 0.5);  // 250 cycles = 0.5 us
  EXPECT_EQ(x[0].at("pid"), 1);
  EXPECT_EQ(x[0].at("tid"), 1);
  EXPECT_EQ(x[0].at("args"), json({{"tile", 3}, {"k", 4}}));
}

TEST(TraceWriter, FractionalMicrosecondsSurviveTheRoundTripExactly) {
  TraceWriter trace(1500.0);  // a period of 2/3 ns: not a whole number of ns
  const auto t = trace.add_thread(trace.add_process("accelerator"), "core");
  const auto name = trace.intern("op");
  const std::vector<uint64_t> starts = {0, 1, 2, 3, 1499, 1500, 123456789, 1ull << 40};
  for (uint64_t s : starts) trace.complete(t, name, s, 7);
  const std::vector<json> x = events_with_phase(json::parse(trace.dump()), "X");
  ASSERT_EQ(x.size(), starts.size());
  for (size_t i = 0; i < starts.size(); ++i) {
    EXPECT_EQ(x[i].at("ts").get<double>(), static_cast<double>(starts[i]) / 1500.0) << starts[i];
    EXPECT_EQ(x[i].at("dur").get<double>(), 7.0 / 1500.0);
  }
  EXPECT_EQ(trace.cycles_to_us(1500), 1.0);
  EXPECT_EQ(trace.cycles_to_us(0), 0.0);
}

TEST(TraceWriter, EmptyCategoryAndNullArgsAreLeftOut) {
  TraceWriter trace(1000.0);
  const auto t = trace.add_thread(trace.add_process("accelerator"), "load");
  trace.complete(t, trace.intern("dma"), 0, 10);
  const std::vector<json> x = events_with_phase(json::parse(trace.dump()), "X");
  ASSERT_EQ(x.size(), 1u);
  EXPECT_FALSE(x[0].contains("cat"));
  EXPECT_FALSE(x[0].contains("args"));
}

TEST(TraceWriter, EventsAreOrderedByStartThenLongerFirstThenInsertion) {
  TraceWriter trace(1000.0);
  const auto acc = trace.add_process("accelerator");
  const auto load = trace.add_thread(acc, "load");
  const auto core = trace.add_thread(acc, "core");
  trace.complete(core, "c", "", 30, 5);
  trace.complete(load, "b", "", 10, 5);
  trace.complete(core, "inner", "", 10, 2);
  trace.complete(core, "outer", "", 10, 20);
  trace.complete(load, "tie1", "", 50, 1);
  trace.complete(core, "tie2", "", 50, 1);
  trace.complete(load, "a", "", 0, 100);
  std::vector<std::string> names;
  for (const json& e : events_with_phase(json::parse(trace.dump()), "X")) {
    names.push_back(e.at("name"));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a", "outer", "b", "inner", "c", "tie1", "tie2"}));
}

TEST(TraceWriter, MetadataComesBeforeAllTimedEvents) {
  TraceWriter trace(1000.0);
  const auto acc = trace.add_process("accelerator");
  trace.complete(trace.add_thread(acc, "core"), "x", "", 0, 1);
  trace.complete(trace.add_thread(acc, "store"), "y", "", 0, 1);  // registered after an event
  const json j = json::parse(trace.dump());
  bool seen_timed = false;
  for (const json& e : j.at("traceEvents")) {
    if (e.at("ph") != "M") seen_timed = true;
    if (e.at("ph") == "M") {
      EXPECT_FALSE(seen_timed) << e;
    }
  }
}

TEST(TraceWriter, CountersAndInstants) {
  TraceWriter trace(250.0);  // 4 ns per cycle
  const auto acc = trace.add_process("accelerator");
  const auto core = trace.add_thread(acc, "core");
  trace.counter(acc, "dram_queue", 8, 3.0);
  trace.counter(acc, "sram_bytes", 12, {{"act", 64.0}, {"weight", 256.0}});
  trace.instant(core, trace.intern("sync", "isa"), 4, {{"id", 7}});
  const json j = json::parse(trace.dump());
  const std::vector<json> c = events_with_phase(j, "C");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].at("name"), "dram_queue");
  EXPECT_EQ(c[0].at("pid"), 1);
  EXPECT_EQ(c[0].at("ts").get<double>(), 0.032);
  EXPECT_EQ(c[0].at("args"), json({{"value", 3.0}}));
  EXPECT_FALSE(c[0].contains("tid"));
  EXPECT_EQ(c[1].at("args"), json({{"act", 64.0}, {"weight", 256.0}}));
  const std::vector<json> i = events_with_phase(j, "i");
  ASSERT_EQ(i.size(), 1u);
  EXPECT_EQ(i[0].at("name"), "sync");
  EXPECT_EQ(i[0].at("cat"), "isa");
  EXPECT_EQ(i[0].at("s"), "t");
  EXPECT_EQ(i[0].at("tid"), 1);
  EXPECT_EQ(i[0].at("ts").get<double>(), 0.016);
  EXPECT_EQ(i[0].at("args"), json({{"id", 7}}));
  EXPECT_FALSE(i[0].contains("dur"));
  EXPECT_EQ(trace.event_count(), 3u);
}

TEST(TraceWriter, CapDropsCountsAndRecordsTheLoss) {
  TraceWriter trace(1000.0, 3);
  const auto acc = trace.add_process("accelerator");
  const auto core = trace.add_thread(acc, "core");
  const auto name = trace.intern("op", "test");
  EXPECT_TRUE(trace.complete(core, name, 0, 10));
  EXPECT_TRUE(trace.complete(core, name, 10, 10));
  EXPECT_TRUE(trace.counter(acc, "q", 15, 1.0));
  EXPECT_FALSE(trace.complete(core, name, 2000, 10));
  EXPECT_FALSE(trace.complete(core, name, 5, 10));
  EXPECT_FALSE(trace.counter(acc, "q", 30, 2.0));
  EXPECT_EQ(trace.event_count(), 3u);
  EXPECT_EQ(trace.dropped_count(), 3u);

  const json j = json::parse(trace.dump());
  EXPECT_EQ(j.at("otherData").at("events"), 3);
  EXPECT_EQ(j.at("otherData").at("dropped_events"), 3);
  EXPECT_EQ(j.at("otherData").at("max_events"), 3);
  EXPECT_EQ(events_with_phase(j, "X").size(), 2u);
  const std::vector<json> marks = events_with_phase(j, "i");
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].at("name"), "trace truncated");
  EXPECT_EQ(marks[0].at("s"), "g");
  EXPECT_EQ(marks[0].at("ts").get<double>(), 2.0);  // the first dropped event, cycle 2000
  EXPECT_EQ(marks[0].at("pid"), 1);
  EXPECT_EQ(marks[0].at("args").at("dropped_events"), 3);
  EXPECT_EQ(marks[0].at("args").at("max_events"), 3);
  EXPECT_EQ(marks[0].at("args").at("first_dropped_cycle"), 2000);
}

TEST(TraceWriter, ZeroCapKeepsOnlyTheRecordOfTheLoss) {
  TraceWriter trace(1000.0, 0);
  const auto acc = trace.add_process("accelerator");
  EXPECT_FALSE(trace.counter(acc, "q", 7, 1.0));
  const json j = json::parse(trace.dump());
  const std::vector<json> marks = events_with_phase(j, "i");
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].at("tid"), 0);  // a counter has no thread
  EXPECT_EQ(j.at("otherData").at("dropped_events"), 1);
}

TEST(TraceWriter, SameCallsGiveByteIdenticalOutput) {
  auto build = [] {
    TraceWriter trace(800.0, 100);
    const auto acc = trace.add_process("accelerator");
    const auto units = {trace.add_thread(acc, "load"), trace.add_thread(acc, "core"),
                        trace.add_thread(acc, "dequant"), trace.add_thread(acc, "store")};
    uint64_t cycle = 0;
    for (int i = 0; i < 200; ++i) {
      for (const auto& u : units) {
        trace.complete(u, "step " + std::to_string(i % 7), "unit", cycle, 3 + i % 5,
                       {{"i", i}, {"ratio", i / 3.0}});
        cycle += 1 + (i * 7919) % 13;
      }
      trace.counter(acc, "occupancy", cycle, i % 9);
    }
    return trace.dump();
  };
  const std::string a = build();
  EXPECT_EQ(a, build());
  EXPECT_TRUE(json::accept(a));
}

TEST(TraceWriter, OneEventPerLine) {
  TraceWriter trace(1000.0);
  const auto t = trace.add_thread(trace.add_process("accelerator"), "core");
  trace.complete(t, "line\nbreak \"quoted\"", "", 0, 1);
  const std::string text = trace.dump();
  // 4 metadata + 1 event, each on its own line, plus the opening and closing lines.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 5 + 3);
  const json j = json::parse(text);
  EXPECT_EQ(events_with_phase(j, "X").at(0).at("name"), "line\nbreak \"quoted\"");
}

TEST(TraceWriter, WriteIsAtomicAndMatchesDump) {
  const auto dir = std::filesystem::temp_directory_path() / "lowbit_trace_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  TraceWriter trace(1000.0);
  const auto t = trace.add_thread(trace.add_process("accelerator"), "core");
  trace.complete(t, "op", "", 5, 5);
  trace.write(dir / "trace.json");
  EXPECT_EQ(slurp(dir / "trace.json"), trace.dump());
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u) << "no temp file left behind";
  EXPECT_THROW(trace.write(dir / "missing" / "trace.json"), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir / "missing"));
  std::filesystem::remove_all(dir);
}

TEST(TraceWriter, RejectsBadClockAndUnknownIds) {
  EXPECT_THROW(TraceWriter(0.0), std::invalid_argument);
  EXPECT_THROW(TraceWriter(-100.0), std::invalid_argument);
  EXPECT_THROW(TraceWriter(std::nan("")), std::invalid_argument);
  EXPECT_THROW(TraceWriter(std::numeric_limits<double>::infinity()), std::invalid_argument);
  TraceWriter trace(1000.0);
  const auto acc = trace.add_process("accelerator");
  const auto core = trace.add_thread(acc, "core");
  EXPECT_THROW(trace.add_thread(TraceWriter::ProcessId{5}, "x"), std::out_of_range);
  EXPECT_THROW(trace.complete(TraceWriter::TrackId{9}, "op", "", 0, 1), std::out_of_range);
  EXPECT_THROW(trace.complete(core, TraceWriter::NameId{42}, 0, 1), std::out_of_range);
  EXPECT_THROW(trace.counter(TraceWriter::ProcessId{3}, "q", 0, 1.0), std::out_of_range);
  EXPECT_THROW(trace.complete(core, "op", "", 0, 1, json::array({1})), std::invalid_argument);
  EXPECT_EQ(trace.event_count(), 0u);
}

}  // namespace
}  // namespace lowbit
