// The FP4 weight formats fp4_e2m1 / mxfp4 (issue 19, docs/fp-weights.md): registry, code values and
// group scales against model/formats (minifloat, E8M0, MX), the RTN quantizers, the golden rule
// and its LUT-plane path, and which units run them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "codec_test_util.h"
#include "model/arch/config_error.h"
#include "model/arch/hw_config.h"
#include "model/arch/tile_layout.h"
#include "model/formats/e8m0.h"
#include "model/formats/fp16.h"
#include "model/formats/fp_weight.h"
#include "model/formats/minifloat.h"
#include "model/kernels/fp4_gemm.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/act_quant.h"
#include "model/quant/fp4_quant.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"

namespace lowbit {
namespace {

TEST(Fp4Weights, RegisteredOnceWithTheirCodec) {
  for (const auto& [name, codec] :
       {std::pair{"fp4_e2m1", WeightCodec::kFp4E2M1}, std::pair{"mxfp4", WeightCodec::kMxfp4}}) {
    const WeightFormat f = parse_weight_format(name);
    EXPECT_EQ(f.codec, codec);
    EXPECT_EQ(f.bits, 4);
    EXPECT_EQ(f.name(), name);
    const auto& all = all_weight_format_names();
    EXPECT_EQ(std::count(all.begin(), all.end(), name), 1);
    const auto& affine = weight_format_names();
    EXPECT_EQ(std::count(affine.begin(), affine.end(), name), 0);
    EXPECT_THROW(check_weight_format(WeightFormat{WeightKind::kSigned, 3, codec}),
                 std::invalid_argument);
  }
  EXPECT_EQ(weight_codec_names().at(static_cast<size_t>(WeightCodec::kMxfp4)), "mxfp4");
}

TEST(Fp4Weights, DoubledValueIsTwiceTheOcpE2m1Value) {
  for (uint32_t c = 0; c < 16; ++c) {
    const double v = minifloat_decode(kFp4E2M1, c);
    EXPECT_EQ(fp4_e2m1_doubled(c), static_cast<int>(2 * v)) << c;
    EXPECT_EQ(2 * v, std::floor(2 * v)) << c;  // every doubled value is an integer
    const uint32_t u = fp4_plane_code(c);
    EXPECT_EQ(static_cast<int>(u) - kFp4PlaneOffset, fp4_e2m1_doubled(c));
    EXPECT_LT(u, 1u << kFp4Planes);
  }
  EXPECT_EQ(fp4_e2m1_doubled(0x0), 0);
  EXPECT_EQ(fp4_e2m1_doubled(0x8), 0);    // -0
  EXPECT_EQ(fp4_e2m1_doubled(0x1), 1);    // subnormal 0.5
  EXPECT_EQ(fp4_e2m1_doubled(0xF), -12);  // -6
}

TEST(Fp4Weights, GroupScalesAreExact) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7C00) == 0x7C00) continue;
    const double want = static_cast<double>(fp16_to_float(static_cast<uint16_t>(h))) / 2;
    EXPECT_EQ(
        static_cast<double>(weight_group_scale(WeightCodec::kFp4E2M1, static_cast<uint16_t>(h))),
        want)
        << h;
    // The affine rule is the FP16 value itself.
    EXPECT_EQ(weight_group_scale(WeightCodec::kAffine, static_cast<uint16_t>(h)),
              fp16_to_float(static_cast<uint16_t>(h)));
  }
  for (int x = 0; x < 255; ++x) {
    // 2^(x-127) is the E8M0 value; the doubled value halves it.
    EXPECT_EQ(
        static_cast<double>(weight_group_scale(WeightCodec::kMxfp4, static_cast<uint16_t>(x))),
        e8m0_decode(static_cast<uint8_t>(x)) / 2)
        << x;
  }
  EXPECT_TRUE(std::isnan(weight_group_scale(WeightCodec::kMxfp4, 0xFF)));
  EXPECT_EQ(weight_group_scale_bits(WeightCodec::kMxfp4, 0xFF), 0x7FC00000u);
}

// Nearest-value check: no E2M1 value is closer to x than the chosen code's (ties may go either
// way here; the code is the RNE one, checked against minifloat_encode separately).
void expect_nearest(double x, uint8_t code) {
  const double got = minifloat_decode(kFp4E2M1, code);
  const double clamped = std::clamp(x, -6.0, 6.0);
  for (uint32_t c = 0; c < 16; ++c) {
    EXPECT_LE(std::fabs(clamped - got), std::fabs(clamped - minifloat_decode(kFp4E2M1, c)) + 1e-12)
        << x << " code " << int(code);
  }
}

TEST(Fp4Weights, Fp4E2m1QuantizerIsRtnWithAmaxOver6) {
  const int n = 5, k = 300;  // a short last group
  const std::vector<float> w = synth_heavy_tailed(n, k, 7, {});
  for (int g : {32, 128, kWholeRow}) {
    const QuantizedWeights q = quantize_weights(w, n, k, parse_weight_format("fp4_e2m1"), g);
    const int gs = g == kWholeRow ? k : g;
    ASSERT_EQ(q.group_size, gs);
    EXPECT_EQ(q.codec, WeightCodec::kFp4E2M1);
    for (int r = 0; r < n; ++r) {
      for (int gi = 0; gi < q.groups(); ++gi) {
        double amax = 0;
        for (int c = gi * gs; c < std::min(k, (gi + 1) * gs); ++c)
          amax = std::max(amax, std::fabs(static_cast<double>(w[r * k + c])));
        const uint16_t s = q.scales[r * q.groups() + gi];
        EXPECT_EQ(s, fp16_from_double(amax / 6)) << r << " " << gi;
        const double sv = fp16_to_float(s);
        for (int c = gi * gs; c < std::min(k, (gi + 1) * gs); ++c) {
          const uint8_t code = q.codes[r * k + c];
          EXPECT_EQ(code, minifloat_encode(kFp4E2M1, w[r * k + c] / sv, Overflow::kSaturate));
          expect_nearest(w[r * k + c] / sv, code);
          // value * scale_value is the dequantized weight exactly.
          EXPECT_EQ(q.value(r, c) * static_cast<double>(q.scale_value(r, gi)),
                    minifloat_decode(kFp4E2M1, code) * sv);
        }
      }
    }
  }
  // An all-zero group: scale 0, codes +0.
  const QuantizedWeights z =
      quantize_weights(std::vector<float>(64, 0.0f), 1, 64, parse_weight_format("fp4_e2m1"), 32);
  EXPECT_EQ(z.scales[0], 0);
  EXPECT_EQ(*std::max_element(z.codes.begin(), z.codes.end()), 0);
}

TEST(Fp4Weights, Mxfp4QuantizerFollowsOcpMx) {
  const int n = 4, k = 200;  // 7 blocks, the last one of 8 elements
  std::vector<float> w = synth_gaussian(n, k, 11);
  for (int c = 0; c < 32; ++c) w[c] = 0.0f;                     // row 0, block 0: all zero
  for (int c = 32; c < 64; ++c) w[c] = std::ldexp(w[c], -140);  // tiny: the clamped exponent
  const QuantizedWeights q = quantize_weights(w, n, k, parse_weight_format("mxfp4"), 32);
  EXPECT_EQ(q.codec, WeightCodec::kMxfp4);
  EXPECT_EQ(q.group_size, 32);
  EXPECT_EQ(q.scales[0], 0);  // all-zero block: E8M0 0x00
  for (int r = 0; r < n; ++r) {
    for (int gi = 0; gi < q.groups(); ++gi) {
      double amax = 0;
      for (int c = gi * 32; c < std::min(k, gi * 32 + 32); ++c)
        amax = std::max(amax, std::fabs(static_cast<double>(w[r * k + c])));
      const uint16_t x = q.scales[r * q.groups() + gi];
      if (amax > 0) {
        int e2;
        std::frexp(amax, &e2);  // amax = f * 2^e2, f in [0.5, 1): floor(log2) = e2 - 1
        const int shared = std::clamp(e2 - 1 - 2, -127, 127);
        EXPECT_EQ(x, shared + 127) << r << " " << gi;
      }
      const double X = e8m0_decode(static_cast<uint8_t>(x));
      for (int c = gi * 32; c < std::min(k, gi * 32 + 32); ++c) {
        expect_nearest(w[r * k + c] / X, q.codes[r * k + c]);
        EXPECT_EQ(q.value(r, c) * static_cast<double>(q.scale_value(r, gi)),
                  minifloat_decode(kFp4E2M1, q.codes[r * k + c]) * X);
      }
    }
  }
  for (int g : {16, 64, 128, kWholeRow}) {
    try {
      quantize_weights(w, n, k, parse_weight_format("mxfp4"), g);
      FAIL() << "mxfp4 with group " << g;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("allowed: 32"), std::string::npos) << e.what();
    }
  }
}

TEST(Fp4Weights, GoldenRuleAndLutPlanesAgree) {
  const int m = 3, n = 7, k = 200;
  for (const char* name : {"fp4_e2m1", "mxfp4"}) {
    const QuantizedWeights q =
        quantize_weights(synth_heavy_tailed(n, k, 21, {}), n, k, parse_weight_format(name), 32);
    for (bool fp16 : {false, true}) {
      const std::vector<float> af = synth_gaussian(m, k, 22);
      const Activations a =
          fp16 ? quantize_activations_fp16(af, m, k) : quantize_activations_int8(af, m, k);
      std::vector<int64_t> sums;
      const std::vector<float> out = fp4_gemm(a, q, &sums);
      for (int g : {2, 4}) EXPECT_EQ(fp4_group_sums_lut(a, q, g), sums) << name << " g" << g;
      // The sums are sum a_int * 2v, the rule applies the codec's scale in dequant.h order.
      const std::vector<double> ad = dequantize_activations(a);
      const std::vector<float> ref = fp4_reference(a, q);
      for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
          float acc = 0.0f;
          for (int gi = 0; gi < q.groups(); ++gi) {
            acc = acc +
                  static_cast<float>(sums[(i * n + j) * q.groups() + gi]) * q.scale_value(j, gi);
          }
          EXPECT_EQ(out[i * n + j], acc * activation_scale(a, i));
          double abs_sum = 0;
          for (int c = 0; c < k; ++c)
            abs_sum += std::fabs(ad[i * k + c] * q.value(j, c) * q.scale_value(j, c / 32));
          EXPECT_LE(std::fabs(out[i * n + j] - ref[i * n + j]),
                    exact_path_error_bound(q.groups(), abs_sum))
              << name;
        }
      }
      // The affine kernels refuse FP4 weights, naming the one that runs them.
      try {
        mpgemm_integer(a, q);
        FAIL() << "mpgemm_integer ran " << name;
      } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("fp4_gemm"), std::string::npos) << e.what();
      }
    }
  }
}

using test::codec_error;
using test::config;

TEST(Fp4Weights, LutcoreAndTheArraysRunThemBitmodRefuses) {
  const OpFormat fp4{WeightKind::kSigned, 4, false, 128, WeightCodec::kFp4E2M1};
  const OpFormat mx{WeightKind::kSigned, 4, false, 32, WeightCodec::kMxfp4};
  const HwConfig lc = config("lutcore_m2n64k4");
  EXPECT_EQ(codec_error(lc, fp4), "");
  EXPECT_EQ(codec_error(lc, mx), "");
  // Five planes per beat: the doubled value as 5-bit offset binary.
  EXPECT_EQ(TileLayout(lc, fp4).cycles_per_beat(), 5);
  EXPECT_EQ(TileLayout(lc, OpFormat{WeightKind::kSigned, 4, false, 128}).cycles_per_beat(), 4);
  // The PE arrays run both (docs/fp-weights.md, "The PE arrays"), one K step a beat as for integer
  // codes; mac only with INT8 activations (its FP16 path dequantizes weights to FP16).
  for (const char* array : {"mixpe_8x8", "mac_8x8"}) {
    EXPECT_EQ(codec_error(config(array), fp4), "") << array;
    EXPECT_EQ(codec_error(config(array), mx), "") << array;
    EXPECT_EQ(TileLayout(config(array), mx).cycles_per_beat(), 1) << array;
  }
  const OpFormat mx16{WeightKind::kSigned, 4, true, 32, WeightCodec::kMxfp4};
  EXPECT_EQ(codec_error(config("mixpe_8x8"), mx16), "");
  EXPECT_EQ(codec_error(config("mac_8x8"), mx16),
            "where: weight format mxfp4 with fp16 activations does not run on the mac unit (its "
            "FP16 path dequantizes weights to FP16); allowed: int8 activations");
  const std::string e = codec_error(config("bitmod_4x4"), fp4);
  EXPECT_NE(e.find("where: weight format fp4_e2m1 does not run on the bitmod unit; allowed: "),
            std::string::npos)
      << e;
}

}  // namespace
}  // namespace lowbit
