// Progress reporter: heartbeat cadence, terminal redraw throttle, ETA arithmetic, on a fake clock.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "lowbit/progress.h"

namespace lowbit {
namespace {

// A fake clock and a captured output: time moves only when the test says so.
struct Harness {
  double now = 0;
  std::vector<std::string> pieces;

  ProgressOptions options(ProgressMode mode) {
    ProgressOptions o;
    o.mode = mode;
    o.width = 200;
    o.clock = [this] { return now; };
    o.sink = [this](std::string_view s) { pieces.emplace_back(s); };
    return o;
  }
  std::string text() const {
    std::string all;
    for (const std::string& p : pieces) all += p;
    return all;
  }
};

TEST(FormatDuration, TenthsBelowAMinuteThenMinutesThenHours) {
  EXPECT_EQ(format_duration(0), "0.0 s");
  EXPECT_EQ(format_duration(-3), "0.0 s");
  EXPECT_EQ(format_duration(12.34), "12.3 s");
  EXPECT_EQ(format_duration(59.94), "59.9 s");
  EXPECT_EQ(format_duration(59.96), "1 min 00 s");
  EXPECT_EQ(format_duration(125), "2 min 05 s");
  EXPECT_EQ(format_duration(3599.4), "59 min 59 s");
  EXPECT_EQ(format_duration(3599.6), "1 h 00 min");
  EXPECT_EQ(format_duration(3600 + 29 * 60 + 29), "1 h 29 min");
  EXPECT_EQ(format_duration(3600 + 29 * 60 + 30), "1 h 30 min");
  EXPECT_EQ(format_duration(50 * 3600), "50 h 00 min");
}

TEST(FormatDuration, WholeSecondsWithoutTenths) {
  EXPECT_EQ(format_duration(0, false), "0 s");
  EXPECT_EQ(format_duration(16.6, false), "17 s");
  EXPECT_EQ(format_duration(59.4, false), "59 s");
  EXPECT_EQ(format_duration(59.6, false), "1 min 00 s");
  EXPECT_EQ(format_duration(9990, false), "2 h 47 min");
}

TEST(ProgressHeartbeat, ShortRunPrintsNothingAtAll) {
  Harness h;
  {
    Progress p("sweep", 100, h.options(ProgressMode::kHeartbeat));
    for (int i = 0; i <= 99; ++i) {
      h.now = i * 0.1;  // up to 9.9 s, under the 10 s interval
      p.update(i, "point");
    }
    h.now = 9.99;
    p.update(100);
    p.finish("all points");
  }
  EXPECT_TRUE(h.pieces.empty()) << h.text();
}

TEST(ProgressHeartbeat, OneLineAtEachMultipleOfTheInterval) {
  Harness h;
  Progress p("sweep", 100, h.options(ProgressMode::kHeartbeat));
  // Updates every 0.5 s for 35 s: lines at 10, 20, 30 s.
  for (int i = 0; i <= 70; ++i) {
    h.now = i * 0.5;
    p.update(i);
  }
  ASSERT_EQ(h.pieces.size(), 3u) << h.text();
  EXPECT_EQ(h.pieces[0], "sweep: 20% (20/100), 10.0 s elapsed, ETA 40 s\n");
  EXPECT_EQ(h.pieces[1], "sweep: 40% (40/100), 20.0 s elapsed, ETA 30 s\n");
  EXPECT_EQ(h.pieces[2], "sweep: 60% (60/100), 30.0 s elapsed, ETA 20 s\n");
}

TEST(ProgressHeartbeat, LateCallPrintsOneLineAndKeepsTheGrid) {
  Harness h;
  h.now = 1000;  // the clock's epoch is arbitrary
  ProgressOptions o = h.options(ProgressMode::kHeartbeat);
  o.heartbeat_seconds = 5;
  Progress p("run", 10, std::move(o));
  h.now = 1004.999;
  p.update(1);
  EXPECT_EQ(p.draws(), 0u);
  h.now = 1017;  // 3 beats missed (5, 10, 15): one line, next due at 20
  p.update(2);
  EXPECT_EQ(p.draws(), 1u);
  h.now = 1019.999;
  p.poll();
  EXPECT_EQ(p.draws(), 1u);
  h.now = 1020;
  p.poll();
  EXPECT_EQ(p.draws(), 2u);
  EXPECT_EQ(h.pieces.back(), "run: 20% (2/10), 20.0 s elapsed, ETA 1 min 20 s\n");
}

TEST(ProgressHeartbeat, FinalLineSaysDoneOrStopped) {
  {
    Harness h;
    Progress p("sweep", 4, h.options(ProgressMode::kHeartbeat));
    h.now = 10;
    p.update(1, "point a");
    h.now = 19;  // before the next beat at 20 s
    p.update(4, "point d");
    p.finish("4 points");
    ASSERT_EQ(h.pieces.size(), 2u) << h.text();
    EXPECT_EQ(h.pieces[0], "sweep: 25% (1/4), 10.0 s elapsed, ETA 30 s, point a\n");
    EXPECT_EQ(h.pieces[1], "sweep: done, 4/4 in 19.0 s, 4 points\n");
  }
  {
    Harness h;
    Progress p("sweep", 1000, h.options(ProgressMode::kHeartbeat));
    h.now = 12.34;
    p.update(420);
    p.finish();
    ASSERT_EQ(h.pieces.size(), 2u) << h.text();
    EXPECT_EQ(h.pieces[1], "sweep: stopped at 42% (420/1000) after 12.3 s\n");
  }
}

TEST(ProgressHeartbeat, UnknownTotalHasNoPercentOrEta) {
  Harness h;
  Progress p("scan", 0, h.options(ProgressMode::kHeartbeat));
  h.now = 10;
  p.update(420, "file x");
  p.finish();
  ASSERT_EQ(h.pieces.size(), 2u) << h.text();
  EXPECT_EQ(h.pieces[0], "scan: 420 done, 10.0 s elapsed, file x\n");
  EXPECT_EQ(h.pieces[1], "scan: done, 420 in 10.0 s\n");
}

TEST(ProgressEta, IsElapsedTimesRemainingOverDone) {
  struct Case {
    uint64_t done, total;
    double elapsed;
    const char* eta;
  };
  const std::vector<Case> cases = {
      {25, 100, 10, "ETA 30 s"},         // 10 * 75 / 25
      {42, 100, 12.3, "ETA 17 s"},       // 12.3 * 58 / 42 = 16.99
      {1, 3, 10, "ETA 20 s"},            // 10 * 2 / 1
      {1, 1000, 10, "ETA 2 h 47 min"},   // 9990 s
      {999, 1000, 100, "ETA 0 s"},       // 0.1 s
      {50, 100, 150, "ETA 2 min 30 s"},  // 150
  };
  for (const Case& c : cases) {
    Harness h;
    ProgressOptions o = h.options(ProgressMode::kHeartbeat);
    o.heartbeat_seconds = c.elapsed;  // the first line comes exactly at c.elapsed
    Progress p("job", c.total, std::move(o));
    h.now = c.elapsed;
    p.update(c.done);
    ASSERT_EQ(h.pieces.size(), 1u);
    EXPECT_NE(h.pieces[0].find(c.eta), std::string::npos)
        << c.done << "/" << c.total << " at " << c.elapsed << ": " << h.pieces[0];
  }
}

TEST(ProgressEta, NoEtaBeforeTheFirstItemOrAfterTheLast) {
  Harness h;
  Progress p("job", 10, h.options(ProgressMode::kHeartbeat));
  h.now = 10;
  p.update(0);
  h.now = 20;
  p.update(10);
  ASSERT_EQ(h.pieces.size(), 2u);
  EXPECT_EQ(h.pieces[0], "job: 0% (0/10), 10.0 s elapsed\n");
  EXPECT_EQ(h.pieces[1], "job: 100% (10/10), 20.0 s elapsed\n");
}

TEST(ProgressTerminal, FirstDrawWaitsThenRedrawsAtMostFiveTimesASecond) {
  Harness h;
  Progress p("sim", 1000, h.options(ProgressMode::kTerminal));
  for (int ms = 0; ms <= 10000; ++ms) {  // an update every millisecond for 10 s
    h.now = ms / 1000.0;
    p.update(static_cast<uint64_t>(ms / 10));
  }
  // Draws at 1.0, 1.2, ..., 10.0 s.
  EXPECT_EQ(p.draws(), 46u);
  EXPECT_EQ(h.pieces.size(), 46u);
  for (const std::string& piece : h.pieces) {
    EXPECT_EQ(piece.front(), '\r');
    EXPECT_EQ(piece.find('\n'), std::string::npos);
  }
  EXPECT_EQ(h.pieces[0], "\rsim: 10% (100/1000), 1.0 s elapsed, ETA 9 s");
  p.finish();
  EXPECT_EQ(h.pieces.back().back(), '\n');
  EXPECT_EQ(h.pieces.back().rfind("\rsim: done, 1000/1000 in 10.0 s", 0), 0u) << h.pieces.back();
}

TEST(ProgressTerminal, ShortRunPrintsNothingAtAll) {
  Harness h;
  {
    Progress p("sim", 10, h.options(ProgressMode::kTerminal));
    h.now = 0.999;
    p.update(10);
  }  // the destructor finishes
  EXPECT_TRUE(h.pieces.empty()) << h.text();
}

TEST(ProgressTerminal, ShorterLineBlanksTheLeftoversOfTheLongerOne) {
  Harness h;
  Progress p("sim", 10, h.options(ProgressMode::kTerminal));
  h.now = 1;
  p.update(1, "a long detail here");
  h.now = 2;
  p.update(2, "short");
  ASSERT_EQ(h.pieces.size(), 2u);
  const std::string first = "\rsim: 10% (1/10), 1.0 s elapsed, ETA 9 s, a long detail here";
  EXPECT_EQ(h.pieces[0], first);
  const std::string second = "\rsim: 20% (2/10), 2.0 s elapsed, ETA 8 s, short";
  ASSERT_EQ(h.pieces[1].size(), first.size());
  EXPECT_EQ(h.pieces[1], second + std::string(first.size() - second.size(), ' '));
}

TEST(ProgressTerminal, LinesAreCutToTheWidth) {
  Harness h;
  ProgressOptions o = h.options(ProgressMode::kTerminal);
  o.width = 20;
  Progress p("simulation", 10, std::move(o));
  h.now = 1;
  p.update(5, "a detail that does not fit");
  ASSERT_EQ(h.pieces.size(), 1u);
  EXPECT_EQ(h.pieces[0], "\rsimulation: 50% (5/");  // '\r' + 19 columns
  p.finish();
  EXPECT_EQ(h.pieces[1], "\rsimulation: stopped\n");
}

TEST(Progress, OffModePrintsNothing) {
  Harness h;
  Progress p("job", 10, h.options(ProgressMode::kOff));
  for (int i = 0; i < 100; ++i) {
    h.now = i;
    p.update(i / 10);
  }
  p.finish("x");
  EXPECT_TRUE(h.pieces.empty());
  EXPECT_EQ(p.draws(), 0u);
}

TEST(Progress, AutoModeFollowsIsattyOfStderr) {
  Harness h;
  Progress p("job", 10, h.options(ProgressMode::kAuto));
  EXPECT_EQ(p.mode(), ::isatty(STDERR_FILENO) ? ProgressMode::kTerminal : ProgressMode::kHeartbeat);
}

TEST(Progress, NothingAfterFinish) {
  Harness h;
  Progress p("job", 10, h.options(ProgressMode::kHeartbeat));
  h.now = 10;
  p.update(5);
  p.finish();
  const size_t n = h.pieces.size();
  h.now = 100;
  p.update(6);
  p.advance();
  p.poll();
  p.finish("again");
  EXPECT_EQ(h.pieces.size(), n);
}

TEST(Progress, AdvanceAddsToDone) {
  Harness h;
  Progress p("job", 8, h.options(ProgressMode::kHeartbeat));
  p.advance(3);
  p.advance();
  h.now = 10;
  p.advance(2, "step");
  ASSERT_EQ(h.pieces.size(), 1u);
  EXPECT_EQ(h.pieces[0], "job: 75% (6/8), 10.0 s elapsed, ETA 3 s, step\n");
}

TEST(Progress, RejectsBadIntervals) {
  Harness h;
  for (double bad : {0.0, -1.0, 1e300}) {
    ProgressOptions o = h.options(ProgressMode::kHeartbeat);
    o.heartbeat_seconds = bad;
    EXPECT_THROW(Progress("job", 1, std::move(o)), std::invalid_argument) << bad;
  }
  ProgressOptions o = h.options(ProgressMode::kTerminal);
  o.redraw_seconds = 0;
  EXPECT_THROW(Progress("job", 1, std::move(o)), std::invalid_argument);
}

TEST(Progress, WorkerUpdatesWhileAnotherThreadPollsAndFinishes) {
  std::atomic<int64_t> ticks{0};
  std::atomic<size_t> bytes{0};
  ProgressOptions o;
  o.mode = ProgressMode::kHeartbeat;
  o.heartbeat_seconds = 1;
  o.clock = [&] { return static_cast<double>(ticks.fetch_add(1)) * 1e-3; };  // 1 ms per reading
  o.sink = [&](std::string_view s) { bytes += s.size(); };
  Progress p("job", 20000, std::move(o));
  std::thread worker([&] {
    for (int i = 1; i <= 20000; ++i) p.update(static_cast<uint64_t>(i), "w");
  });
  for (int i = 0; i < 5000; ++i) p.poll();
  worker.join();
  p.finish();
  // 25000 clock readings = 25 s of fake time: about 25 beats, each a whole line.
  EXPECT_GE(p.draws(), 20u);
  EXPECT_LE(p.draws(), 26u);
  EXPECT_GT(bytes.load(), 0u);
}

}  // namespace
}  // namespace lowbit
