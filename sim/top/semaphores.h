// The ISA's counting semaphores s0..s7, with posts that may be scheduled for a later cycle.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>

#include "model/isa/isa.h"

namespace lowbit {

/// What it models: eight counting semaphores between the units (docs/isa.md). A unit that ran
/// ahead of simulated time (the core unit clocks its tiles in a tight loop) posts at the cycle the
/// event really happens; a post becomes visible to waiters from that cycle on. Each post remembers
/// which unit gave it, so a waiter can say what it waited for (a DRAM load, the store, ...).
class Semaphores {
 public:
  /// Every semaphore in `mask` has a post visible at cycle `now`.
  bool available(uint64_t mask, uint64_t now) const;
  /// Takes one post of each semaphore in `mask` (must be available); returns the unit that gave
  /// the latest of them (-1 if none).
  int take(uint64_t mask, uint64_t now);
  /// Posts every semaphore in `mask` at cycle `at`, given by `unit`.
  void post(uint64_t mask, uint64_t at, int unit);
  /// Earliest future cycle at which a post of a semaphore in `mask` becomes visible.
  std::optional<uint64_t> next_post(uint64_t mask, uint64_t now) const;
  /// Posts not yet taken (visible or future), for deadlock reports.
  size_t posts(int s) const { return m_posts[s].size(); }
  void reset();

 private:
  struct Post {
    uint64_t at;
    int unit;
  };
  // Posts in the order given; `at` is non-decreasing per semaphore only per giver, so visibility
  // is checked over the whole list.
  std::array<std::deque<Post>, isa::kNumSemaphores> m_posts;
};

}  // namespace lowbit
