// The PE array control's recursion (see core_timing.h).
#include "model/arch/core_timing.h"

#include <algorithm>
#include <cstdint>

namespace lowbit {

PeArrayTileEvents pe_array_tile_events(int rows, int k, int group, PeArrayLatency lat, int tiles) {
  // Edges, with the first t handshake at 0. sl: a group's last step; d: its drain's first row;
  // the last o beat of a tile comes 2 R - 1 + drain latency after its last group's drain start.
  PeArrayTileEvents ev;
  const int64_t r = rows;
  int64_t t = 0, sl = 0, d = INT64_MIN / 4, o_end = INT64_MIN / 4;
  for (int i = 0; i < tiles; ++i) {
    if (i > 0) t = sl + 1;  // t_ready the cycle after the previous tile's last step
    int64_t prev_sl = t;
    for (int g0 = 0; g0 < k; g0 += group) {
      const int64_t len = std::min(group, k - g0);
      const bool last = g0 + group >= k;
      sl = std::max(prev_sl + len, d + r);  // the last step needs the shadow free (drain ended)
      int64_t nd = std::max(sl + lat.fill + 1, d + lat.gap + 1);
      if (last) nd = std::max(nd, o_end + 1);  // the output buffer is free
      d = nd;
      prev_sl = sl;
    }
    o_end = d + 2 * r - 1 + lat.drain;
    ev.t_fire.push_back(static_cast<uint64_t>(t));
    ev.done.push_back(static_cast<uint64_t>(o_end));
  }
  return ev;
}

}  // namespace lowbit
