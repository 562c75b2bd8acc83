// Integer-exact golden of one mixpe / mac array tile (also the mac baseline's INT8 golden).
#include "model/kernels/mixpe_tile.h"

#include <algorithm>

#include "model/kernels/dequant.h"

namespace lowbit {

void ArrayTile::allocate() {
  const auto steps = static_cast<size_t>(k);
  act.assign(steps * rows, 0);
  codes.assign(steps * cols, 0);
  scales.assign(static_cast<size_t>(groups()) * cols, 0);
  zeros.assign(static_cast<size_t>(groups()) * cols, 0);
  act_scale.assign(static_cast<size_t>(rows), 1.0f);
}

int tile_weight_int(WeightKind kind, int bits, uint8_t code, uint8_t zero) {
  return weight_value(kind, bits, weight_code_bits(bits, code), zero);
}

std::vector<float> mixpe_tile_golden(const ArrayTile& t, std::vector<int64_t>* group_sums) {
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
        for (int s_k = g * t.group; s_k < end; ++s_k) {
          const int64_t a = tile_act_int(t.act[static_cast<size_t>(s_k) * t.rows + r], t.fp16);
          const int w = tile_weight_int(
              t.kind, t.bits, t.codes[static_cast<size_t>(s_k) * t.cols + c], t.zeros[gi]);
          s += a * w;
        }
        if (group_sums) (*group_sums)[(static_cast<size_t>(r) * t.cols + c) * groups + g] = s;
        acc = dequant_step(acc, s, t.scales[gi]);
      }
      out[static_cast<size_t>(r) * t.cols + c] = dequant_finish(acc, t.act_scale[r]);
    }
  }
  return out;
}

QuantizedWeights tile_weights(const ArrayTile& t) {
  QuantizedWeights w;
  w.n = t.cols;
  w.k = t.k;
  w.bits = t.bits;
  w.group_size = t.group;
  w.kind = t.kind;
  const int groups = t.groups();
  w.codes.resize(static_cast<size_t>(t.cols) * t.k);
  w.scales.resize(static_cast<size_t>(t.cols) * groups);
  w.zeros.resize(static_cast<size_t>(t.cols) * groups);
  for (int c = 0; c < t.cols; ++c) {
    for (int s = 0; s < t.k; ++s) {
      w.codes[static_cast<size_t>(c) * t.k + s] = t.codes[static_cast<size_t>(s) * t.cols + c];
    }
    for (int g = 0; g < groups; ++g) {
      w.scales[static_cast<size_t>(c) * groups + g] = t.scales[static_cast<size_t>(g) * t.cols + c];
      w.zeros[static_cast<size_t>(c) * groups + g] = t.zeros[static_cast<size_t>(g) * t.cols + c];
    }
  }
  return w;
}

Activations tile_activations(const ArrayTile& t) {
  Activations a;
  a.m = t.rows;
  a.k = t.k;
  a.format = t.fp16 ? ActFormat::kFp16 : ActFormat::kInt8;
  if (t.fp16) {
    a.fp16.resize(static_cast<size_t>(t.rows) * t.k);
  } else {
    a.int8.resize(static_cast<size_t>(t.rows) * t.k);
    a.row_scales = t.act_scale;
  }
  for (int r = 0; r < t.rows; ++r) {
    for (int s = 0; s < t.k; ++s) {
      const uint16_t lane = t.act[static_cast<size_t>(s) * t.rows + r];
      if (t.fp16) {
        a.fp16[static_cast<size_t>(r) * t.k + s] = lane;
      } else {
        a.int8[static_cast<size_t>(r) * t.k + s] = static_cast<int8_t>(lane & 0xFF);
      }
    }
  }
  return a;
}

}  // namespace lowbit
