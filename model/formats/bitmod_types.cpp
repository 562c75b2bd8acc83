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

uint32_t bitmod_encode(BitmodType type, double x) {
  if (std::isnan(x)) return 0;
  const TypeInfo& t = info(type);
  const uint32_t codes = 1u << t.bits;
  // Clamp to the value range first, so huge inputs and infinities saturate (their distances to
  // every value would otherwise be equal after rounding).
  double lo = 0.0;
  double hi = 0.0;
  for (uint32_t c = 0; c < codes; ++c) {
    lo = std::fmin(lo, bitmod_decode(type, c));
    hi = std::fmax(hi, bitmod_decode(type, c));
  }
  x = std::clamp(x, lo, hi);
  uint32_t best = 0;
  double best_err = std::fabs(x);  // code 0 is +0
  for (uint32_t c = 1; c < codes; ++c) {
    const double v = bitmod_decode(type, c);
    const double err = std::fabs(x - v);
    const double best_v = bitmod_decode(type, best);
    if (err < best_err || (err == best_err && std::fabs(v) < std::fabs(best_v))) {
      best = c;
      best_err = err;
    }
  }
  return best;
}

}  // namespace lowbit
