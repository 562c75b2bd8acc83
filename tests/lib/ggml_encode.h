// Test-side ggml block encoders (Q4_0, Q5_0, Q8_0, TQ1_0, TQ2_0), written from ggml-common.h's
// block structs: codes and FP16 scales in, file bytes out, so tests know what a file holds.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace lowbit::test {

inline void put_u16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v & 0xFF));
  out.push_back(static_cast<uint8_t>(v >> 8));
}

/// Q4_0: per 32 codes u in 0..15 {fp16 d; qs[16]}, u[j] low nibble and u[j+16] high nibble of
/// qs[j].
inline std::vector<uint8_t> encode_q4_0(const std::vector<uint8_t>& codes,
                                        const std::vector<uint16_t>& scales) {
  std::vector<uint8_t> out;
  for (size_t b = 0; b < scales.size(); ++b) {
    put_u16(out, scales[b]);
    const uint8_t* u = &codes[32 * b];
    for (int j = 0; j < 16; ++j) out.push_back(static_cast<uint8_t>(u[j] | (u[j + 16] << 4)));
  }
  return out;
}

/// Q5_0: per 32 codes u in 0..31 {fp16 d; u32 qh; qs[16]}: low nibbles as Q4_0, bit 4 of u[j] is
/// bit j of qh.
inline std::vector<uint8_t> encode_q5_0(const std::vector<uint8_t>& codes,
                                        const std::vector<uint16_t>& scales) {
  std::vector<uint8_t> out;
  for (size_t b = 0; b < scales.size(); ++b) {
    put_u16(out, scales[b]);
    const uint8_t* u = &codes[32 * b];
    uint32_t qh = 0;
    for (int j = 0; j < 32; ++j) qh |= static_cast<uint32_t>((u[j] >> 4) & 1) << j;
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(qh >> (8 * i)));
    for (int j = 0; j < 16; ++j) {
      out.push_back(static_cast<uint8_t>((u[j] & 0xF) | ((u[j + 16] & 0xF) << 4)));
    }
  }
  return out;
}

/// Q8_0: per 32 values q in -128..127 {fp16 d; int8 qs[32]}.
inline std::vector<uint8_t> encode_q8_0(const std::vector<int8_t>& q,
                                        const std::vector<uint16_t>& scales) {
  std::vector<uint8_t> out;
  for (size_t b = 0; b < scales.size(); ++b) {
    put_u16(out, scales[b]);
    for (int j = 0; j < 32; ++j) out.push_back(static_cast<uint8_t>(q[32 * b + j]));
  }
  return out;
}

/// TQ2_0: per 256 trits t in 0..2 {qs[64]; fp16 d}: t[128h + 32l + m] in bits 2l of qs[32h + m].
inline std::vector<uint8_t> encode_tq2_0(const std::vector<uint8_t>& trits,
                                         const std::vector<uint16_t>& scales) {
  std::vector<uint8_t> out;
  for (size_t b = 0; b < scales.size(); ++b) {
    const uint8_t* t = &trits[256 * b];
    for (int h = 0; h < 2; ++h) {
      for (int m = 0; m < 32; ++m) {
        uint8_t q = 0;
        for (int l = 0; l < 4; ++l) q |= static_cast<uint8_t>(t[128 * h + 32 * l + m] << (2 * l));
        out.push_back(q);
      }
    }
    put_u16(out, scales[b]);
  }
  return out;
}

/// TQ1_0: per 256 trits {qs[48]; qh[4]; fp16 d}. A byte holds 5 trits (4 in qh, then a 0 digit)
/// as the base-3 number q (first trit most significant) stored as ceil(q * 256 / 243).
/// Trits: qs[m] (m < 32) holds t[32n + m], qs[32 + m] (m < 16) holds t[160 + 16n + m], qh[j]
/// holds t[240 + 4n + j], n = digit position.
inline std::vector<uint8_t> encode_tq1_0(const std::vector<uint8_t>& trits,
                                         const std::vector<uint16_t>& scales) {
  const auto pack = [](const uint8_t* t, int stride, int digits) {
    unsigned q = 0;
    for (int n = 0; n < 5; ++n) q = q * 3 + (n < digits ? t[stride * n] : 0);
    return static_cast<uint8_t>((q * 256 + 242) / 243);
  };
  std::vector<uint8_t> out;
  for (size_t b = 0; b < scales.size(); ++b) {
    const uint8_t* t = &trits[256 * b];
    for (int m = 0; m < 32; ++m) out.push_back(pack(t + m, 32, 5));
    for (int m = 0; m < 16; ++m) out.push_back(pack(t + 160 + m, 16, 5));
    for (int j = 0; j < 4; ++j) out.push_back(pack(t + 240 + j, 4, 4));
    put_u16(out, scales[b]);
  }
  return out;
}

}  // namespace lowbit::test
