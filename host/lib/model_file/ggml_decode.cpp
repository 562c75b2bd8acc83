// ggml block layouts (ggml-common.h) decoded onto QuantizedWeights: codes and scales as stored.
#include "lowbit/ggml_decode.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

#include "byte_cursor.h"
#include "lowbit/error.h"
#include "lowbit/ggml_types.h"
#include "model/formats/bf16.h"
#include "model/formats/fp16.h"

namespace lowbit {
namespace {

uint16_t load_u16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

constexpr int kQK = 32;    // QK4_0 = QK5_0 = QK8_0
constexpr int kQKK = 256;  // QK_K: TQ1_0 / TQ2_0 super-blocks

// Trit n (0 = most significant) of a TQ1_0 byte holding 5 (or 4) base-3 digits as a fixed-point
// fraction q = ceil(digits * 256 / 243): multiplying by 3^n (mod 256) moves digit n to the top,
// and (q * 3) >> 8 reads it (gguf's TQ1_0 definition, ggml-quants.c dequantize_row_tq1_0).
int tq1_trit(uint8_t q, int n) {
  static constexpr uint8_t kPow3[5] = {1, 3, 9, 27, 81};
  const auto shifted = static_cast<uint8_t>(q * kPow3[n]);
  return (static_cast<uint16_t>(shifted) * 3) >> 8;
}

}  // namespace

GgmlMapping ggml_mapping(uint32_t type) {
  switch (static_cast<GgmlType>(type)) {
    case GgmlType::kQ4_0:
    case GgmlType::kQ5_0:
    case GgmlType::kQ8_0:
    case GgmlType::kTQ1_0:
    case GgmlType::kTQ2_0:
      return GgmlMapping::kExact;
    case GgmlType::kF32:
    case GgmlType::kF16:
    case GgmlType::kBF16:
      return GgmlMapping::kFloat;
    default:
      return GgmlMapping::kUnsupported;
  }
}

const char* ggml_supported_types() { return "Q4_0, Q5_0, Q8_0, TQ1_0, TQ2_0, F32, F16, BF16"; }

ExactFormat ggml_exact_format(uint32_t type) {
  switch (static_cast<GgmlType>(type)) {
    case GgmlType::kQ4_0:
      return {"uint4", kQK};
    case GgmlType::kQ5_0:
      return {"uint5", kQK};
    case GgmlType::kQ8_0:
      return {"int8", kQK};
    case GgmlType::kTQ1_0:
    case GgmlType::kTQ2_0:
      return {"ternary", 128};
    default:
      return {"", 0};
  }
}

QuantizedWeights decode_ggml_exact(const GgufTensor& t, const std::string& origin) {
  const auto type = static_cast<GgmlType>(t.type);
  const std::string name = printable(t.name);
  if (ggml_mapping(t.type) != GgmlMapping::kExact || t.dims.size() != 2) {
    throw InputError(
        fmt::format("{}: tensor {}: not a 2-D tensor of an exactly mapped type", origin, name));
  }
  const ExactFormat ef = ggml_exact_format(t.type);
  QuantizedWeights q;
  q.k = static_cast<int>(t.dims[0]);
  q.n = static_cast<int>(t.dims[1]);
  q.group_size = ef.group_size;
  const size_t elems = static_cast<size_t>(q.n) * q.k;
  const size_t groups = static_cast<size_t>(q.n) * q.groups();
  q.codes.resize(elems);
  q.scales.resize(groups);
  q.zeros.assign(groups, 0);
  const GgmlTypeInfo* info = ggml_type_info(t.type);
  const size_t blocks = elems / info->block_elements;
  const auto check_scale = [&](uint16_t d, size_t block) {
    if ((d & 0x7C00) == 0x7C00) {
      throw InputError(
          fmt::format("{}: tensor {}: block {} has an FP16 scale that is inf or NaN "
                      "(0x{:04x}); allowed: finite scales",
                      origin, name, block, d));
    }
  };
  const uint8_t* p = t.data.data();
  uint8_t* codes = q.codes.data();
  switch (type) {
    case GgmlType::kQ4_0:  // {fp16 d; qs[16]}: weight j in the low nibble of qs[j], j+16 high
      q.kind = WeightKind::kUnsigned;
      q.bits = 4;
      q.zeros.assign(groups, 8);
      for (size_t b = 0; b < blocks; ++b, p += 18, codes += kQK) {
        q.scales[b] = load_u16(p);
        check_scale(q.scales[b], b);
        for (int j = 0; j < 16; ++j) {
          codes[j] = p[2 + j] & 0x0F;
          codes[j + 16] = p[2 + j] >> 4;
        }
      }
      break;
    case GgmlType::kQ5_0: {  // {fp16 d; u32 qh; qs[16]}: the fifth bit of weight j is qh bit j
      q.kind = WeightKind::kUnsigned;
      q.bits = 5;
      q.zeros.assign(groups, 16);
      for (size_t b = 0; b < blocks; ++b, p += 22, codes += kQK) {
        q.scales[b] = load_u16(p);
        check_scale(q.scales[b], b);
        uint32_t qh;
        std::memcpy(&qh, p + 2, 4);
        for (int j = 0; j < 16; ++j) {
          codes[j] = static_cast<uint8_t>((p[6 + j] & 0x0F) | (((qh >> j) & 1u) << 4));
          codes[j + 16] = static_cast<uint8_t>((p[6 + j] >> 4) | (((qh >> (j + 16)) & 1u) << 4));
        }
      }
      break;
    }
    case GgmlType::kQ8_0:  // {fp16 d; int8 qs[32]}: offset-binary code q + 128
      q.kind = WeightKind::kSigned;
      q.bits = 8;
      for (size_t b = 0; b < blocks; ++b, p += 34, codes += kQK) {
        q.scales[b] = load_u16(p);
        check_scale(q.scales[b], b);
        for (int j = 0; j < kQK; ++j) codes[j] = static_cast<uint8_t>(p[2 + j] ^ 0x80u);
      }
      break;
    case GgmlType::kTQ2_0:  // {qs[64]; fp16 d}: weight 128h + 32l + m in bits 2l of qs[32h + m]
      q.kind = WeightKind::kTernary;
      q.bits = 2;
      for (size_t b = 0; b < blocks; ++b, p += 66, codes += kQKK) {
        const uint16_t d = load_u16(p + 64);
        check_scale(d, b);
        q.scales[2 * b] = q.scales[2 * b + 1] = d;
        for (int h = 0; h < 2; ++h) {
          for (int l = 0; l < 4; ++l) {
            for (int m = 0; m < 32; ++m) {
              const int c = (p[32 * h + m] >> (2 * l)) & 3;
              if (c == 3) {
                throw InputError(fmt::format(
                    "{}: tensor {}: block {} holds TQ2_0 code 3 (weight 2); allowed: 0, 1, 2 "
                    "(ternary)",
                    origin, name, b));
              }
              codes[128 * h + 32 * l + m] = static_cast<uint8_t>(c);
            }
          }
        }
      }
      break;
    case GgmlType::kTQ1_0:  // {qs[48]; qh[4]; fp16 d}: 5 trits per qs byte, 4 per qh byte
      q.kind = WeightKind::kTernary;
      q.bits = 2;
      for (size_t b = 0; b < blocks; ++b, p += 54, codes += kQKK) {
        const uint16_t d = load_u16(p + 52);
        check_scale(d, b);
        q.scales[2 * b] = q.scales[2 * b + 1] = d;
        // weights 0..159: trit n of qs[m], m < 32, is weight 32n + m
        for (int n = 0; n < 5; ++n) {
          for (int m = 0; m < 32; ++m) codes[32 * n + m] = static_cast<uint8_t>(tq1_trit(p[m], n));
        }
        // weights 160..239: trit n of qs[32 + m], m < 16, is weight 160 + 16n + m
        for (int n = 0; n < 5; ++n) {
          for (int m = 0; m < 16; ++m) {
            codes[160 + 16 * n + m] = static_cast<uint8_t>(tq1_trit(p[32 + m], n));
          }
        }
        // weights 240..255: trit n of qh[j] is weight 240 + 4n + j
        for (int n = 0; n < 4; ++n) {
          for (int j = 0; j < 4; ++j) {
            codes[240 + 4 * n + j] = static_cast<uint8_t>(tq1_trit(p[48 + j], n));
          }
        }
      }
      break;
    default:
      break;
  }
  return q;
}

std::vector<float> decode_ggml_floats(const GgufTensor& t, const std::string& origin) {
  const auto type = static_cast<GgmlType>(t.type);
  std::vector<float> out(static_cast<size_t>(t.elements));
  const uint8_t* p = t.data.data();
  for (size_t i = 0; i < out.size(); ++i) {
    switch (type) {
      case GgmlType::kF32:
        std::memcpy(&out[i], p + 4 * i, 4);
        break;
      case GgmlType::kF16:
        out[i] = fp16_to_float(load_u16(p + 2 * i));
        break;
      case GgmlType::kBF16:
        out[i] = bf16_to_float(load_u16(p + 2 * i));
        break;
      default:
        throw InputError(fmt::format("{}: tensor {}: {} is not a float type", origin,
                                     printable(t.name), ggml_type_name(t.type)));
    }
    if (!std::isfinite(out[i])) {
      throw InputError(
          fmt::format("{}: tensor {}: element {} is not finite; allowed: finite "
                      "weights",
                      origin, printable(t.name), i));
    }
  }
  return out;
}

}  // namespace lowbit
