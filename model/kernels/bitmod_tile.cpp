// Integer-exact golden of one bitmod array tile.
#include "model/kernels/bitmod_tile.h"

#include <algorithm>
#include <stdexcept>
#include <string>

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
          s += a *
               bitmod_value_int(t.zeros[gi] & 0xFu, t.codes[static_cast<size_t>(k) * t.cols + c]);
        }
        if (group_sums) (*group_sums)[(static_cast<size_t>(r) * t.cols + c) * groups + g] = s;
        acc = dequant_step(acc, s, t.scales[gi]);
      }
      out[static_cast<size_t>(r) * t.cols + c] = dequant_finish(acc, t.act_scale[r]);
    }
  }
  return out;
}

BitmodWeights bitmod_tile_weights(const ArrayTile& t) {
  BitmodWeights w;
  w.n = t.cols;
  w.k = t.k;
  w.bits = t.bits;
  w.group_size = t.group;
  const int groups = t.groups();
  w.codes.resize(static_cast<size_t>(t.cols) * t.k);
  w.scales.resize(static_cast<size_t>(t.cols) * groups);
  w.types.resize(w.scales.size());
  for (int c = 0; c < t.cols; ++c) {
    for (int s = 0; s < t.k; ++s) {
      w.codes[static_cast<size_t>(c) * t.k + s] = t.codes[static_cast<size_t>(s) * t.cols + c];
    }
    for (int g = 0; g < groups; ++g) {
      const size_t ti = static_cast<size_t>(g) * t.cols + c;
      if (t.zeros[ti] >= kBitmodTypeCount) {
        throw std::invalid_argument("bitmod_tile_weights: type id " + std::to_string(t.zeros[ti]) +
                                    " is not a BitMoD type (allowed: 0 .. 12)");
      }
      w.scales[static_cast<size_t>(c) * groups + g] = t.scales[ti];
      w.types[static_cast<size_t>(c) * groups + g] = static_cast<BitmodType>(t.zeros[ti]);
    }
  }
  return w;
}

}  // namespace lowbit
