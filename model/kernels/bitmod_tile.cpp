// Integer-exact golden of one bitmod array tile.
#include "model/kernels/bitmod_tile.h"

#include <algorithm>

#include "model/formats/bitmod_unified.h"
#include "model/kernels/dequant.h"

namespace lowbit {

std::vector<float> bitmod_tile_golden(const ArrayTile& t, std::vector<int64_t>* group_sums) {
  const int groups = t.groups();
  std::vector<float> out(static_cast<size_t>(t.rows) * t.cols);
  if (group_sums) group_sums->assign(static_cast<size_t>(t.rows) * t.cols * groups, 0);
  for (int r = 0; r < t.rows; ++r) {
    for (int c = 0; c < t.cols; ++c) {
      float acc = 0.0f;
      for (int g = 0; g < groups; ++g) {
        const size_t gi = static_cast<size_t>(g) * t.cols + c;
        int64_t s = 0;
        const int end = std::min(t.k, (g + 1) * t.group);
        for (int k = g * t.group; k < end; ++k) {
          const int64_t a = tile_act_int(t.act[static_cast<size_t>(k) * t.rows + r], t.fp16);
          s += a * bitmod_value_int(t.zeros[gi], t.codes[static_cast<size_t>(k) * t.cols + c]);
        }
        if (group_sums) (*group_sums)[(static_cast<size_t>(r) * t.cols + c) * groups + g] = s;
        acc = dequant_step(acc, s, t.scales[gi]);
      }
      out[static_cast<size_t>(r) * t.cols + c] = dequant_finish(acc, t.act_scale[r]);
    }
  }
  return out;
}

}  // namespace lowbit
