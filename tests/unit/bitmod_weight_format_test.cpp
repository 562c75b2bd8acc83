// The BitMoD weight formats bitmod_w3 / bitmod_w4 in the kit: the format registry, the quantizer
// behind quantize_weights, the container (type ids in the group byte), the golden paths, and what
// the unit registry and the operand codec accept or refuse (docs/bitmod.md, "End to end").
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "codec_test_util.h"
#include "model/arch/config_error.h"
#include "model/arch/hw_config.h"
#include "model/arch/tile_layout.h"
#include "model/arch/unit_registry.h"
#include "model/formats/bitmod_unified.h"
#include "model/formats/fp16.h"
#include "model/kernels/bitmod_gemm.h"
#include "model/kernels/mpgemm.h"
#include "model/quant/act_quant.h"
#include "model/quant/bitmod_quant.h"
#include "model/quant/group_quant.h"
#include "model/quant/synth.h"
#include "model/quant/weight_format.h"

namespace lowbit {
namespace {

TEST(BitmodWeightFormat, RegisteredOnceWithTheirCodec) {
  for (int b : {3, 4}) {
    const std::string name = "bitmod_w" + std::to_string(b);
    const WeightFormat f = parse_weight_format(name);
    EXPECT_EQ(f.codec, WeightCodec::kBitmod);
    EXPECT_EQ(f.bits, b);
    EXPECT_EQ(f.name(), name);
    const auto& all = all_weight_format_names();
    EXPECT_EQ(std::count(all.begin(), all.end(), name), 1);
    // The affine list (every kernel of mpgemm.h and every other unit) does not have them.
    const auto& affine = weight_format_names();
    EXPECT_EQ(std::count(affine.begin(), affine.end(), name), 0);
  }
  // Beside the affine list: bitmod_w3, bitmod_w4, fp4_e2m1, mxfp4.
  EXPECT_EQ(all_weight_format_names().size(), weight_format_names().size() + 4);
  try {
    parse_weight_format("bitmod_w5");
    FAIL() << "bitmod_w5 parsed";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("bitmod_w3, bitmod_w4"), std::string::npos) << e.what();
  }
}

TEST(BitmodWeightFormat, QuantizeWeightsIsTheBitmodQuantizer) {
  const int n = 6, k = 300;  // a short last group
  const std::vector<float> w = synth_heavy_tailed(n, k, 5, {});
  for (int b : {3, 4}) {
    for (int g : {32, 128, kWholeRow}) {
      const QuantizedWeights q =
          quantize_weights(w, n, k, parse_weight_format("bitmod_w" + std::to_string(b)), g);
      const BitmodWeights ref = bitmod_quantize(w, n, k, b, {}, g == kWholeRow ? k : g);
      EXPECT_EQ(q.codec, WeightCodec::kBitmod);
      EXPECT_EQ(q.bits, b);
      EXPECT_EQ(q.group_size, ref.group_size);
      EXPECT_EQ(q.codes, ref.codes);
      EXPECT_EQ(q.scales, ref.scales);
      ASSERT_EQ(q.zeros.size(), ref.types.size());
      for (size_t i = 0; i < ref.types.size(); ++i) {
        EXPECT_EQ(q.zeros[i], static_cast<uint8_t>(ref.types[i]));
      }
      // value() decodes by the group's type; the round trip gives the quantizer's weights back.
      for (int r = 0; r < n; ++r) {
        for (int c = 0; c < k; c += 7) {
          const size_t gi = static_cast<size_t>(r) * ref.groups() + c / ref.group_size;
          EXPECT_EQ(q.value(r, c), std::lround(bitmod_decode(
                                       ref.types[gi], ref.codes[static_cast<size_t>(r) * k + c])));
        }
      }
      const BitmodWeights back = bitmod_from_quantized(q);
      EXPECT_EQ(back.types, ref.types);
      EXPECT_EQ(dequantize_weights(q), bitmod_dequantize(ref));
    }
  }
}

TEST(BitmodWeightFormat, ContainerChecksTypeIds) {
  QuantizedWeights q =
      quantize_weights(synth_gaussian(2, 64, 3), 2, 64, parse_weight_format("bitmod_w4"), 32);
  EXPECT_NO_THROW(check_quantized_weights(q));
  QuantizedWeights bad = q;
  bad.zeros[1] = kBitmodTypeCount;  // not a datatype
  EXPECT_THROW(check_quantized_weights(bad), std::invalid_argument);
  bad = q;
  bad.zeros[0] = static_cast<uint8_t>(BitmodType::kFp3EaPos);  // a 3-bit type in 4-bit weights
  EXPECT_THROW(check_quantized_weights(bad), std::invalid_argument);
  EXPECT_THROW(bitmod_from_quantized(quantize_weights(synth_gaussian(2, 64, 3), 2, 64,
                                                      parse_weight_format("int4"), 32)),
               std::invalid_argument);
}

TEST(BitmodWeightFormat, GoldenPathsAgreeAndAffineKernelsRefuse) {
  const int m = 3, n = 5, k = 260;
  for (const char* name : {"bitmod_w3", "bitmod_w4"}) {
    for (bool fp16 : {false, true}) {
      const QuantizedWeights q =
          quantize_weights(synth_heavy_tailed(n, k, 9, {}), n, k, parse_weight_format(name), 128);
      const std::vector<float> af = synth_gaussian(m, k, 10);
      const Activations a =
          fp16 ? quantize_activations_fp16(af, m, k) : quantize_activations_int8(af, m, k);
      const BitmodWeights bw = bitmod_from_quantized(q);
      std::vector<int64_t> sums;
      const std::vector<float> out = bitmod_gemm(a, bw, &sums);
      EXPECT_EQ(bitmod_group_sums_bit_serial(a, bw), sums) << name << " fp16 " << fp16;
      // The exact path is within the documented bound of the reference (docs/kernels.md).
      const std::vector<float> ref = bitmod_reference(a, bw);
      const std::vector<double> ad = dequantize_activations(a);
      for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
          double abs_sum = 0;
          for (int c = 0; c < k; ++c) {
            const double wv =
                fp16_to_float(q.scales[static_cast<size_t>(j) * q.groups() + c / 128]) *
                q.value(j, c);
            abs_sum += std::fabs(ad[static_cast<size_t>(i) * k + c] * wv);
          }
          const size_t o = static_cast<size_t>(i) * n + j;
          EXPECT_LE(std::fabs(static_cast<double>(out[o]) - ref[o]),
                    exact_path_error_bound(q.groups(), abs_sum) + std::fabs(ref[o]) * 0x1p-24);
        }
      }
      EXPECT_THROW(mpgemm_integer(a, q), std::invalid_argument);
      EXPECT_THROW(mpgemm_reference(a, q), std::invalid_argument);
    }
  }
}

using test::codec_error;
using test::config;

TEST(BitmodWeightFormat, UnitsRunOneCodec) {
  const HwConfig bm = config("bitmod_4x4");
  const HwConfig mx = config("mixpe_8x8");
  EXPECT_EQ(bm.unit->weight_codec(), WeightCodec::kBitmod);
  EXPECT_EQ(mx.unit->weight_codec(), WeightCodec::kAffine);
  const OpFormat bw4{WeightKind::kSigned, 4, false, 128, WeightCodec::kBitmod};
  const OpFormat int4{WeightKind::kSigned, 4, false, 128, WeightCodec::kAffine};
  EXPECT_EQ(codec_error(bm, bw4), "");
  EXPECT_EQ(codec_error(mx, int4), "");
  EXPECT_EQ(codec_error(mx, bw4),
            "where: weight format bitmod_w4 does not run on the mixpe unit; allowed: a config of "
            "unit bitmod");
  const std::string e = codec_error(bm, int4);
  EXPECT_EQ(e.rfind("where: weight format int4 does not run on the bitmod unit; allowed: "
                    "bitmod_w3, bitmod_w4",
                    0),
            0u)
      << e;
  // Every unit but bitmod decodes the affine codec.
  for (const IUnitSpec* u : unit_specs()) {
    EXPECT_EQ(u->weight_codec() == WeightCodec::kBitmod, u->name() == "bitmod") << u->name();
  }
}

TEST(BitmodWeightFormat, UnitGeometryAndGoldenRule) {
  const HwConfig bm = config("bitmod_4x4");
  const OpFormat bw3{WeightKind::kSigned, 3, false, 128, WeightCodec::kBitmod};
  const TileLayout L(bm, bw3);
  EXPECT_EQ(L.cycles_per_beat(), 2);
  EXPECT_DOUBLE_EQ(L.peak_macs_per_cycle(), 4.0 * 4 / 2);
  EXPECT_NO_THROW(L.check_supported("where", 32767));
  EXPECT_THROW(L.check_supported("where", 32768), ConfigError);  // 65536 beats
  // The group byte's low nibble is the type id (the RTL ignores the high one).
  const auto fp4 = static_cast<uint32_t>(BitmodType::kFp4EaNeg);
  for (uint32_t code = 0; code < 16; ++code) {
    EXPECT_EQ(bm.unit->weight_value(WeightKind::kSigned, 4, code, 0xA0 | fp4),
              bitmod_value_int(fp4, code));
    EXPECT_EQ(bm.unit->weight_value(WeightKind::kSigned, 4, code, 13), 0);
  }
  // A group of G weights is 2 G beats; consecutive drains start max(R + 1, gap + 1) apart (gap
  // 2 min(S, 6) + 1 with the drain pipeline of S = dequant_stages): G >= ceil(that / 2) hides it.
  EXPECT_EQ(bm.unit->min_dequant_group(bm.unit_params, 4), 7);  // bitmod_4x4: S = 6, 14 beats
  nlohmann::json flat = bm.unit_params;
  flat["dequant_stages"] = 0;
  EXPECT_EQ(bm.unit->min_dequant_group(flat, 4), 3);  // R + 1 = 5 beats
}

}  // namespace
}  // namespace lowbit
