// Pareto front extraction on known sets: dominance, ties, duplicates, NaN, mixed directions.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "lowbit/sweep_pareto.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

using Rows = std::vector<std::vector<double>>;
using Idx = std::vector<size_t>;

TEST(SweepPareto, TwoObjectivesBothMaximized) {
  const Rows v = {{1, 5}, {2, 4}, {3, 3}, {2, 2}, {1, 1}, {0, 6}};
  EXPECT_EQ(pareto_front(v, {true, true}), (Idx{0, 1, 2, 5}));
}

TEST(SweepPareto, MixedDirections) {
  // maximize throughput, minimize area: (10, 5) beats (9, 6); (12, 8) trades off.
  const Rows v = {{10, 5}, {9, 6}, {12, 8}, {12, 9}, {8, 1}};
  EXPECT_EQ(pareto_front(v, {true, false}), (Idx{0, 2, 4}));
}

TEST(SweepPareto, DuplicatesAreAllKept) {
  const Rows v = {{1, 1}, {3, 3}, {3, 3}, {2, 4}};
  EXPECT_EQ(pareto_front(v, {true, true}), (Idx{1, 2, 3}));
}

TEST(SweepPareto, TieInOneObjectiveIsDominatedByTheBetterOther) {
  // Same first objective, the second decides: (5, 2) dominates (5, 1).
  const Rows v = {{5, 1}, {5, 2}, {4, 3}};
  EXPECT_EQ(pareto_front(v, {true, true}), (Idx{1, 2}));
}

TEST(SweepPareto, AllEqualRowsAreAllOnTheFront) {
  const Rows v = {{2, 2}, {2, 2}, {2, 2}};
  EXPECT_EQ(pareto_front(v, {false, false}), (Idx{0, 1, 2}));
}

TEST(SweepPareto, NanRowsAreNotCandidates) {
  const Rows v = {{1, std::nan("")}, {0, 0}, {std::nan(""), 9}};
  EXPECT_EQ(pareto_front(v, {true, true}), (Idx{1}));
}

TEST(SweepPareto, SingleObjectiveKeepsEveryBest) {
  const Rows v = {{3}, {7}, {7}, {1}};
  EXPECT_EQ(pareto_front(v, {true}), (Idx{1, 2}));
  EXPECT_EQ(pareto_front(v, {false}), (Idx{3}));
}

TEST(SweepPareto, EmptyInput) { EXPECT_TRUE(pareto_front({}, {true, false}).empty()); }

TEST(SweepPareto, MatchesBruteForceOnRandomSets) {
  const uint64_t seed = test::test_seed("SweepPareto", 12345);
  std::mt19937_64 rng(seed);
  for (int trial = 0; trial < 200; ++trial) {
    const size_t n = rng() % 40, d = 1 + rng() % 3;
    Rows v(n, std::vector<double>(d));
    for (auto& r : v) {
      for (auto& x : r) x = static_cast<double>(rng() % 5);  // small range: many ties
    }
    std::vector<bool> maximize(d);
    for (size_t j = 0; j < d; ++j) maximize[j] = rng() % 2;
    Idx brute;
    for (size_t i = 0; i < n; ++i) {
      bool beaten = false;
      for (size_t k = 0; k < n && !beaten; ++k) beaten = dominates(v[k], v[i], maximize);
      if (!beaten) brute.push_back(i);
    }
    ASSERT_EQ(pareto_front(v, maximize), brute) << "trial " << trial;
  }
}

}  // namespace
}  // namespace lowbit
