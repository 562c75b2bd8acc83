// BitMoD value sets and their sign-magnitude codes.
#include "model/formats/bitmod_types.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace lowbit {
namespace {

struct TypeInfo {
  std::string_view name;
  int bits;
  std::array<double, 8> magnitudes;  // ascending; 3-bit types use the first 4
  double special;                    // value of the negative-zero code; 0 if none
};

constexpr std::array<double, 8> kInt3Mag{0, 1, 2, 3, 0, 0, 0, 0};
constexpr std::array<double, 8> kFp3Mag{0, 1, 2, 4, 0, 0, 0, 0};
constexpr std::array<double, 8> kInt4Mag{0, 1, 2, 3, 4, 5, 6, 7};
constexpr std::array<double, 8> kFlint4Mag{0, 1, 2, 3, 4, 6, 8, 16};
constexpr std::array<double, 8> kFp4Mag{0, 1, 2, 3, 4, 6, 8, 12};

constexpr std::array<TypeInfo, 13> kTypes{{
    {"int3", 3, kInt3Mag, 0},
    {"fp3", 3, kFp3Mag, 0},
    {"fp3_er_pos", 3, kFp3Mag, 3},
    {"fp3_er_neg", 3, kFp3Mag, -3},
    {"fp3_ea_pos", 3, kFp3Mag, 6},
    {"fp3_ea_neg", 3, kFp3Mag, -6},
    {"int4", 4, kInt4Mag, 0},
    {"flint4", 4, kFlint4Mag, 0},
    {"fp4", 4, kFp4Mag, 0},
    {"fp4_er_pos", 4, kFp4Mag, 10},
    {"fp4_er_neg", 4, kFp4Mag, -10},
    {"fp4_ea_pos", 4, kFp4Mag, 16},
    {"fp4_ea_neg", 4, kFp4Mag, -16},
}};

constexpr std::array<BitmodType, 13> kAll{
    BitmodType::kInt3,     BitmodType::kFp3,      BitmodType::kFp3ErPos, BitmodType::kFp3ErNeg,
    BitmodType::kFp3EaPos, BitmodType::kFp3EaNeg, BitmodType::kInt4,     BitmodType::kFlint4,
    BitmodType::kFp4,      BitmodType::kFp4ErPos, BitmodType::kFp4ErNeg, BitmodType::kFp4EaPos,
    BitmodType::kFp4EaNeg};
constexpr std::array<BitmodType, 4> kCandidates3{BitmodType::kFp3ErPos, BitmodType::kFp3ErNeg,
                                                 BitmodType::kFp3EaPos, BitmodType::kFp3EaNeg};
constexpr std::array<BitmodType, 4> kCandidates4{BitmodType::kFp4ErPos, BitmodType::kFp4ErNeg,
                                                 BitmodType::kFp4EaPos, BitmodType::kFp4EaNeg};

const TypeInfo& info(BitmodType type) { return kTypes[static_cast<size_t>(type)]; }

}  // namespace

std::span<const BitmodType> bitmod_all_types() { return kAll; }

std::string_view bitmod_type_name(BitmodType type) { return info(type).name; }

int bitmod_bits(BitmodType type) { return info(type).bits; }

double bitmod_max_abs(BitmodType type) {
  const TypeInfo& t = info(type);
  const double top = t.magnitudes[(1u << (t.bits - 1)) - 1];
  return std::fabs(t.special) > top ? std::fabs(t.special) : top;
}

std::span<const BitmodType> bitmod_candidates(int bits) {
  if (bits == 3) return kCandidates3;
  if (bits == 4) return kCandidates4;
  return {};
}

double bitmod_decode(BitmodType type, uint32_t code) {
  const TypeInfo& t = info(type);
  const uint32_t half = 1u << (t.bits - 1);
  code &= (half << 1) - 1;
  const uint32_t mag = code & (half - 1);
  if (code == half) return t.special;
  const double v = t.magnitudes[mag];
  return (code & half) != 0 ? -v : v;
}

std::vector<double> bitmod_values(BitmodType type) {
  const TypeInfo& t = info(type);
  const uint32_t half = 1u << (t.bits - 1);
  std::vector<double> values;
  for (uint32_t m = half - 1; m >= 1; --m) values.push_back(-t.magnitudes[m]);
  for (uint32_t m = 0; m < half; ++m) values.push_back(t.magnitudes[m]);
  if (t.special != 0) {
    auto it = values.begin();
    while (it != values.end() && *it < t.special) ++it;
    values.insert(it, t.special);
  }
  return values;
}

namespace {

// The distinct values of a type, ascending, each with its canonical code (the lowest code that
// decodes to it, so zero is code 0). Built once per type.
struct ValueTable {
  std::vector<double> values;
  std::vector<uint8_t> codes;
};

const ValueTable& value_table(BitmodType type) {
  static const std::array<ValueTable, kTypes.size()> tables = [] {
    std::array<ValueTable, kTypes.size()> all;
    for (BitmodType t : kAll) {
      ValueTable& table = all[static_cast<size_t>(t)];
      table.values = bitmod_values(t);
      for (double v : table.values) {
        uint32_t c = 0;
        while (bitmod_decode(t, c) != v) ++c;
        table.codes.push_back(static_cast<uint8_t>(c));
      }
    }
    return all;
  }();
  return tables[static_cast<size_t>(type)];
}

}  // namespace

uint32_t bitmod_encode(BitmodType type, double x) {
  if (std::isnan(x)) return 0;
  const ValueTable& t = value_table(type);
  // Saturate first: out-of-range values and infinities take the end values.
  if (x <= t.values.front()) return t.codes.front();
  if (x >= t.values.back()) return t.codes.back();
  // values[hi-1] <= x < values[hi]: the nearest is one of the two; a tie takes the smaller
  // magnitude.
  const size_t hi =
      static_cast<size_t>(std::upper_bound(t.values.begin(), t.values.end(), x) - t.values.begin());
  const size_t lo = hi - 1;
  const double d_lo = x - t.values[lo];
  const double d_hi = t.values[hi] - x;
  if (d_lo < d_hi) return t.codes[lo];
  if (d_hi < d_lo) return t.codes[hi];
  return std::fabs(t.values[lo]) <= std::fabs(t.values[hi]) ? t.codes[lo] : t.codes[hi];
}

}  // namespace lowbit
