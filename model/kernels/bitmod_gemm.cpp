// BitMoD GEMM golden: the bitmod array's arithmetic on whole matrices.
#include "model/kernels/bitmod_gemm.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "model/formats/bitmod_unified.h"
#include "model/formats/fp16.h"
#include "model/kernels/dequant.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/act_quant.h"

namespace lowbit {

namespace {

void check_operands(const Activations& a, const BitmodWeights& w, const char* who) {
  const int groups = w.groups();
  const auto ng = static_cast<size_t>(w.n) * groups;
  if (a.k != w.k || w.group_size <= 0 || w.codes.size() != static_cast<size_t>(w.n) * w.k ||
      w.scales.size() != ng || w.types.size() != ng) {
    throw std::invalid_argument(
        fmt::format("{}: operands do not fit (activations K={}, weights {}x{} in groups of {})",
                    who, a.k, w.n, w.k, w.group_size));
  }
  for (BitmodType t : w.types) {
    if (static_cast<int>(t) >= kBitmodTypeCount) {
      throw std::invalid_argument(
          fmt::format("{}: a group's type id is not a BitMoD datatype", who));
    }
  }
  const bool fp16 = a.format == ActFormat::kFp16;
  if (a.m < 0 || (fp16 ? a.fp16.size() : a.int8.size()) != static_cast<size_t>(a.m) * a.k ||
      (!fp16 && a.row_scales.size() != static_cast<size_t>(a.m))) {
    throw std::invalid_argument(fmt::format("{}: activation sizes do not match m x k", who));
  }
  if (fp16 && std::min(w.group_size, w.k) > kMaxFp16GroupLength) {
    throw std::invalid_argument(
        fmt::format("{}: FP16 activations need a weight group of at most {} elements", who,
                    kMaxFp16GroupLength));
  }
}

}  // namespace

std::vector<float> bitmod_gemm(const Activations& a, const BitmodWeights& w,
                               std::vector<int64_t>* group_sums) {
  check_operands(a, w, "bitmod_gemm");
  const int groups = w.groups();
  const auto ng = static_cast<size_t>(w.n) * groups;
  const bool fp16 = a.format == ActFormat::kFp16;
  // (type, code) -> value, once (bitmod_value_int per element would dominate the run time).
  int value[kBitmodTypeCount][16];
  for (int t = 0; t < kBitmodTypeCount; ++t) {
    for (uint32_t c = 0; c < 16; ++c) value[t][c] = bitmod_value_int(t, c);
  }
  std::vector<float> out(static_cast<size_t>(a.m) * w.n);
  if (group_sums) group_sums->assign(static_cast<size_t>(a.m) * ng, 0);
  for (int i = 0; i < a.m; ++i) {
    for (int j = 0; j < w.n; ++j) {
      float acc = 0.0f;
      for (int g = 0; g < groups; ++g) {
        const size_t gi = static_cast<size_t>(j) * groups + g;
        const int* vt = value[static_cast<int>(w.types[gi])];
        int64_t s = 0;
        for (int k = g * w.group_size; k < std::min(w.k, (g + 1) * w.group_size); ++k) {
          const size_t ai = static_cast<size_t>(i) * a.k + k;
          const int64_t x = fp16 ? fp16_to_fixed(a.fp16[ai]) : a.int8[ai];
          s += x * vt[w.codes[static_cast<size_t>(j) * w.k + k] & 15];
        }
        if (group_sums) (*group_sums)[static_cast<size_t>(i) * ng + gi] = s;
        acc = dequant_step(acc, s, w.scales[gi]);
      }
      out[static_cast<size_t>(i) * w.n + j] = dequant_finish(acc, activation_scale(a, i));
    }
  }
  return out;
}

std::vector<int64_t> bitmod_group_sums_bit_serial(const Activations& a, const BitmodWeights& w) {
  check_operands(a, w, "bitmod_group_sums_bit_serial");
  const int groups = w.groups();
  const auto ng = static_cast<size_t>(w.n) * groups;
  const bool fp16 = a.format == ActFormat::kFp16;
  // (type, code) -> the two (digit, shift) pairs the PE consumes, slice 0 then slice 1.
  struct Slices {
    int digit[kBitmodSlices];
    int shift[kBitmodSlices];
  };
  Slices table[kBitmodTypeCount][16];
  for (int t = 0; t < kBitmodTypeCount; ++t) {
    for (uint32_t c = 0; c < 16; ++c) {
      const BitmodTerm u = bitmod_unified(t, c);
      for (int s = 0; s < kBitmodSlices; ++s) {
        table[t][c].digit[s] = bitmod_slice_digit(u.mant, s);
        table[t][c].shift[s] = u.exp + kBitmodBitsPerCycle * s;
      }
    }
  }
  std::vector<int64_t> sums(static_cast<size_t>(a.m) * ng, 0);
  for (int i = 0; i < a.m; ++i) {
    for (int j = 0; j < w.n; ++j) {
      for (int g = 0; g < groups; ++g) {
        const size_t gi = static_cast<size_t>(j) * groups + g;
        const Slices* st = table[static_cast<int>(w.types[gi])];
        int64_t acc = 0;
        for (int k = g * w.group_size; k < std::min(w.k, (g + 1) * w.group_size); ++k) {
          const size_t ai = static_cast<size_t>(i) * a.k + k;
          const int64_t x = fp16 ? fp16_to_fixed(a.fp16[ai]) : a.int8[ai];
          const Slices& sl = st[w.codes[static_cast<size_t>(j) * w.k + k] & 15];
          for (int s = 0; s < kBitmodSlices; ++s)
            acc += (x * sl.digit[s]) * (int64_t{1} << sl.shift[s]);
        }
        sums[static_cast<size_t>(i) * ng + gi] = acc;
      }
    }
  }
  return sums;
}

std::vector<float> bitmod_reference(const Activations& a, const BitmodWeights& w) {
  check_operands(a, w, "bitmod_reference");
  const std::vector<double> ad = dequantize_activations(a);
  const int groups = w.groups();
  std::vector<double> wrow(static_cast<size_t>(w.k));
  std::vector<float> out(static_cast<size_t>(a.m) * w.n);
  for (int j = 0; j < w.n; ++j) {
    for (int k = 0; k < w.k; ++k) {
      const size_t gi = static_cast<size_t>(j) * groups + k / w.group_size;
      wrow[k] = static_cast<double>(fp16_to_float(w.scales[gi])) *
                bitmod_value_int(static_cast<uint32_t>(w.types[gi]),
                                 w.codes[static_cast<size_t>(j) * w.k + k]);
    }
    for (int i = 0; i < a.m; ++i) {
      const double* ar = ad.data() + static_cast<size_t>(i) * w.k;
      double sum = 0;
      for (int k = 0; k < w.k; ++k) sum += ar[k] * wrow[k];
      out[static_cast<size_t>(i) * w.n + j] = static_cast<float>(sum);
    }
  }
  return out;
}

}  // namespace lowbit
