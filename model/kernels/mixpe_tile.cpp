// Integer-exact golden of one mixpe / mac array tile (also the mac baseline's INT8 golden).
#include "model/kernels/mixpe_tile.h"

#include <algorithm>

#include "model/formats/fp_weight.h"
#include "model/kernels/dequant.h"
#include "model/kernels/fp4_gemm.h"

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

int tile_weight_int(const ArrayTile& t, uint8_t code, uint8_t zero) {
  if (weight_codec_is_fp4(t.codec)) return fp4_e2m1_doubled(code & 0xFu);
  return tile_weight_int(t.kind, t.bits, code, zero);
}

float tile_group_scale(const ArrayTile& t, uint16_t field) {
  return weight_group_scale(t.codec, field);
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
          const int w =
              tile_weight_int(t, t.codes[static_cast<size_t>(s_k) * t.cols + c], t.zeros[gi]);
          s += a * w;
        }
        if (group_sums) (*group_sums)[(static_cast<size_t>(r) * t.cols + c) * groups + g] = s;
        // dequant_step with the codec's FP32 scale (the FP16 scale itself for integer codes).
        acc = acc + int_to_fp32(s) * tile_group_scale(t, t.scales[gi]);
      }
      const float o = dequant_finish(acc, t.act_scale[r]);
      out[static_cast<size_t>(r) * t.cols + c] =
          weight_codec_is_fp4(t.codec) ? fp4_canonical_nan(o) : o;
    }
  }
  return out;
}

QuantizedWeights tile_weights(const ArrayTile& t) {
  QuantizedWeights w;
  w.n = t.cols;
  w.k = t.k;
  const bool fp4 = weight_codec_is_fp4(t.codec);
  w.bits = fp4 ? 4 : t.bits;
  w.group_size = t.group;
  w.kind = fp4 ? WeightKind::kSigned : t.kind;
  w.codec = t.codec;
  const int groups = t.groups();
  w.codes.resize(static_cast<size_t>(t.cols) * t.k);
  w.scales.resize(static_cast<size_t>(t.cols) * groups);
  w.zeros.resize(static_cast<size_t>(t.cols) * groups);
  for (int c = 0; c < t.cols; ++c) {
    for (int s = 0; s < t.k; ++s) {
      const uint8_t code = t.codes[static_cast<size_t>(s) * t.cols + c];
      w.codes[static_cast<size_t>(c) * t.k + s] = fp4 ? static_cast<uint8_t>(code & 0xFu) : code;
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
