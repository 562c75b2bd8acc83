// FP8 activations (fp8_e4m3, fp8_e5m2; model/quant/act_quant.h, act_format.h): every code
// round-trips through its FP16 value, the quantizer rounds to nearest with ties to even (checked
// against a brute-force search over the codes), saturates at +-max finite, rejects non-finite
// input, and the registry hands the values to the units as FP16.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "model/formats/fp16.h"
#include "model/formats/minifloat.h"
#include "model/quant/act_format.h"
#include "model/quant/act_quant.h"
#include "tests/lib/test_seed.h"

namespace lowbit {
namespace {

struct Fp8 {
  const char* name;
  MinifloatSpec spec;
  double max_finite;
  double min_subnormal;
};
const Fp8 kFormats[] = {{"fp8_e4m3", kFp8E4M3, 448.0, std::ldexp(1.0, -9)},
                        {"fp8_e5m2", kFp8E5M2, 57344.0, std::ldexp(1.0, -16)}};

uint16_t quantize_one(const MinifloatSpec& spec, float x) {
  return quantize_activations_fp8({x}, 1, 1, spec).fp16.at(0);
}

uint32_t code_of(const MinifloatSpec& spec, float x) {
  return fp8_code_of_fp16(spec, quantize_one(spec, x));
}

// Independent of minifloat_encode: the nearest finite code by search, ties to the even code
// (mantissa LSB 0), beyond max finite saturated. Codes with the input's sign only, so zero keeps
// it.
uint32_t nearest_code(const MinifloatSpec& spec, double x) {
  const uint32_t sign = std::signbit(x) ? 0x80u : 0u;
  const double ax = std::fabs(x);
  uint32_t best = sign;
  double best_d = std::numeric_limits<double>::infinity();
  for (uint32_t c = 0; c < 0x80; ++c) {
    const double v = minifloat_decode(spec, c);
    if (!std::isfinite(v)) continue;
    const double d = std::fabs(v - ax);
    if (d < best_d || (d == best_d && (c & 1u) == 0)) {
      best = sign | c;
      best_d = d;
    }
  }
  return best;
}

TEST(Fp8Activations, EveryCodeRoundTripsThroughFp16) {
  for (const Fp8& f : kFormats) {
    int finite = 0;
    for (uint32_t code = 0; code < 256; ++code) {
      SCOPED_TRACE(::testing::Message() << f.name << " code 0x" << std::hex << code);
      const double v = minifloat_decode(f.spec, code);
      const uint16_t h = fp8_to_fp16_bits(f.spec, code);
      const double hv = fp16_to_float(h);
      if (std::isnan(v)) {
        EXPECT_TRUE(std::isnan(hv));
        EXPECT_EQ((h >> 15) != 0, (code & 0x80) != 0) << "NaN keeps its sign";
        continue;
      }
      EXPECT_EQ(hv, v) << "the FP16 value is the FP8 value exactly";
      EXPECT_EQ(std::signbit(hv), std::signbit(v));
      EXPECT_EQ(fp8_code_of_fp16(f.spec, h), code) << "and it maps back to the same code";
      if (std::isinf(v)) continue;  // E5M2's inf: the quantizer takes finite input only
      EXPECT_EQ(quantize_one(f.spec, static_cast<float>(v)), h) << "the quantizer keeps it";
      ++finite;
    }
    // E4M3: 256 - 2 NaN codes; E5M2: 256 - 6 NaN - 2 inf.
    EXPECT_EQ(finite, f.spec.specials == FloatSpecials::kNanOnly ? 254 : 248) << f.name;
  }
}

TEST(Fp8Activations, RoundsToNearestTiesToEven) {
  for (const Fp8& f : kFormats) {
    for (uint32_t c = 0; c + 1 < 0x80; ++c) {
      const double lo = minifloat_decode(f.spec, c), hi = minifloat_decode(f.spec, c + 1);
      if (!std::isfinite(hi) || hi > f.max_finite) break;
      for (const double s : {1.0, -1.0}) {
        SCOPED_TRACE(::testing::Message()
                     << f.name << " between codes " << c << " and " << c + 1 << " sign " << s);
        const double mid = (lo + hi) / 2;  // exact in float: at most 5 significant bits
        const uint32_t sign = s < 0 ? 0x80u : 0u;
        const uint32_t even = (c & 1u) == 0 ? c : c + 1;
        EXPECT_EQ(code_of(f.spec, static_cast<float>(s * mid)), sign | even) << "tie to even";
        const float above = std::nextafter(static_cast<float>(mid), 1e30f);
        const float below = std::nextafter(static_cast<float>(mid), 0.0f);
        EXPECT_EQ(code_of(f.spec, static_cast<float>(s) * above), sign | (c + 1));
        EXPECT_EQ(code_of(f.spec, static_cast<float>(s) * below), sign | c);
      }
    }
    // Below half the smallest subnormal: a signed zero; exactly half: the even code, zero.
    EXPECT_EQ(code_of(f.spec, static_cast<float>(f.min_subnormal / 2)), 0x00u) << f.name;
    EXPECT_EQ(code_of(f.spec, static_cast<float>(-f.min_subnormal / 2)), 0x80u) << f.name;
    EXPECT_EQ(code_of(f.spec, static_cast<float>(f.min_subnormal * 0.75)), 0x01u) << f.name;
    EXPECT_EQ(code_of(f.spec, -0.0f), 0x80u) << f.name << ": -0 keeps its sign";
  }
}

TEST(Fp8Activations, MatchesNearestCodeSearchOnRandomValues) {
  const uint64_t seed = test::test_seed("Fp8Activations.MatchesNearestCodeSearchOnRandomValues");
  std::mt19937_64 rng(seed);
  for (const Fp8& f : kFormats) {
    // Log-uniform magnitudes from below the smallest subnormal to beyond max finite.
    std::uniform_real_distribution<double> e(std::log2(f.min_subnormal) - 2,
                                             std::log2(f.max_finite) + 2);
    for (int i = 0; i < 20000; ++i) {
      const float x = static_cast<float>((rng() & 1 ? -1.0 : 1.0) * std::exp2(e(rng)));
      ASSERT_EQ(code_of(f.spec, x), nearest_code(f.spec, x))
          << f.name << " x = " << x << " (seed " << seed << ")";
    }
  }
}

TEST(Fp8Activations, SaturatesAtMaxFinite) {
  for (const Fp8& f : kFormats) {
    const uint32_t max_code = minifloat_encode(f.spec, f.max_finite, Overflow::kSaturate);
    EXPECT_EQ(minifloat_decode(f.spec, max_code), f.max_finite);
    for (const double x : {f.max_finite, f.max_finite * 1.0625, f.max_finite * 1.5, 1e30,
                           static_cast<double>(std::numeric_limits<float>::max())}) {
      EXPECT_EQ(code_of(f.spec, static_cast<float>(x)), max_code) << f.name << " " << x;
      EXPECT_EQ(code_of(f.spec, static_cast<float>(-x)), 0x80u | max_code) << f.name << " " << -x;
    }
    EXPECT_EQ(max_code, f.spec.specials == FloatSpecials::kNanOnly ? 0x7Eu : 0x7Bu) << f.name;
  }
}

TEST(Fp8Activations, RejectsNonFiniteInputAndNonFp8Values) {
  for (const Fp8& f : kFormats) {
    for (const float x :
         {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
          -std::numeric_limits<float>::infinity()}) {
      EXPECT_THROW(quantize_activations_fp8({1.0f, x}, 1, 2, f.spec), std::invalid_argument)
          << f.name;
    }
    EXPECT_THROW(fp8_code_of_fp16(f.spec, fp16_from_float(1.0f + 1.0f / 1024)),
                 std::invalid_argument)
        << f.name << ": 1 + 2^-10 is FP16 but not FP8";
    EXPECT_THROW(fp8_code_of_fp16(f.spec, 0x0001), std::invalid_argument)
        << f.name << ": 2^-24 is FP16 but not FP8";
  }
  EXPECT_THROW(quantize_activations_fp8({1.0f}, 1, 1, kFp16Spec), std::invalid_argument);
  EXPECT_THROW(quantize_activations_fp8({1.0f}, 1, 2, kFp8E4M3), std::invalid_argument);
}

TEST(Fp8Activations, RegistryHandsFp8ValuesToTheFp16Path) {
  EXPECT_EQ(activation_format_names(),
            (std::vector<std::string>{"int8", "fp16", "fp8_e4m3", "fp8_e5m2"}));
  try {
    activation_format("bf16");
    FAIL() << "bf16 is not an activation format";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("allowed: int8, fp16, fp8_e4m3, fp8_e5m2"),
              std::string::npos)
        << e.what();
  }
  const std::vector<float> a = {0.3f, -1.7f, 500.0f, 1e-4f, 0.0f, -3.25f};
  for (const Fp8& f : kFormats) {
    const ActivationFormat& af = activation_format(f.name);
    EXPECT_EQ(af.data, ActFormat::kFp16);
    ASSERT_NE(af.fp8, nullptr);
    const Activations q = quantize_activations(a, 2, 3, f.name);
    EXPECT_EQ(q.format, ActFormat::kFp16);
    EXPECT_EQ(q.fp16,
              quantize_activations_fp8(a, 2, 3, af.fp8 == &kFp8E4M3 ? kFp8E4M3 : kFp8E5M2).fp16);
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(fp8_to_fp16_bits(*af.fp8, nearest_code(*af.fp8, a[i])), q.fp16[i])
          << f.name << " " << a[i];
    }
  }
  // 500 saturates to E4M3's 448 but is an E5M2 value.
  EXPECT_EQ(fp16_to_float(quantize_activations(a, 2, 3, "fp8_e4m3").fp16[2]), 448.0f);
  EXPECT_EQ(fp16_to_float(quantize_activations(a, 2, 3, "fp8_e5m2").fp16[2]), 512.0f);
  EXPECT_EQ(activation_format("fp16").data, ActFormat::kFp16);
  EXPECT_EQ(activation_format("int8").data, ActFormat::kInt8);
}

}  // namespace
}  // namespace lowbit
