// Counting semaphores with scheduled posts (see semaphores.h).
#include "sim/top/semaphores.h"

#include <algorithm>

namespace lowbit {

bool Semaphores::available(uint64_t mask, uint64_t now) const {
  for (int s = 0; s < isa::kNumSemaphores; ++s) {
    if (!((mask >> s) & 1)) continue;
    const auto& q = m_posts[s];
    if (std::none_of(q.begin(), q.end(), [&](const Post& p) { return p.at <= now; })) return false;
  }
  return true;
}

int Semaphores::take(uint64_t mask, uint64_t now) {
  int unit = -1;
  uint64_t latest = 0;
  for (int s = 0; s < isa::kNumSemaphores; ++s) {
    if (!((mask >> s) & 1)) continue;
    auto& q = m_posts[s];
    // The earliest visible post is the one taken.
    auto best = q.end();
    for (auto it = q.begin(); it != q.end(); ++it) {
      if (it->at <= now && (best == q.end() || it->at < best->at)) best = it;
    }
    if (best == q.end()) continue;
    if (unit < 0 || best->at >= latest) {
      latest = best->at;
      unit = best->unit;
    }
    q.erase(best);
  }
  return unit;
}

void Semaphores::post(uint64_t mask, uint64_t at, int unit) {
  for (int s = 0; s < isa::kNumSemaphores; ++s) {
    if ((mask >> s) & 1) m_posts[s].push_back({at, unit});
  }
}

std::optional<uint64_t> Semaphores::next_post(uint64_t mask, uint64_t now) const {
  std::optional<uint64_t> best;
  for (int s = 0; s < isa::kNumSemaphores; ++s) {
    if (!((mask >> s) & 1)) continue;
    for (const auto& p : m_posts[s]) {
      if (p.at > now && (!best || p.at < *best)) best = p.at;
    }
  }
  return best;
}

void Semaphores::reset() {
  for (auto& q : m_posts) q.clear();
}

}  // namespace lowbit
