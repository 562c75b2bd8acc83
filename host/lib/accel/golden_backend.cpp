// golden backend: executes a program functionally (untimed), computing each output block with the
// dequant.h order from the buffer contents: the compiler and the operand layout checked without
// tiles.
#include <fmt/format.h>

#include <array>
#include <cstring>
#include <stdexcept>

#include "backends.h"
#include "golden_code_cache.h"
#include "model/arch/tile_layout.h"
#include "model/formats/weight_kind.h"
#include "model/kernels/dequant.h"
#include "model/kernels/fp4_gemm.h"
#include "model/kernels/mac_fp16.h"
#include "model/kernels/mpgemm.h"
#include "model/kernels/vector_exec.h"

namespace lowbit {
namespace {

inline uint16_t u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

// sum over [k0, k1) of a * u in int32 (exact while |sum| < 2^31: 128 x 255 x 2^16). GCC's -O2
// vectorizer (cost model "very cheap") leaves this loop scalar; the dynamic model vectorizes it
// (Clang vectorizes it at -O2).
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("tree-vectorize", "vect-cost-model=dynamic")))
#endif
int32_t
dot_i8_u8(const int8_t* a, const uint8_t* u, int k0, int k1) {
  int32_t s = 0;
  for (int kk = k0; kk < k1; ++kk) s += static_cast<int32_t>(a[kk]) * u[kk];
  return s;
}

// The same with FP16 activations as exact integers (a * 2^24, at most 2^40: int64 is exact).
int64_t dot_i64_u8(const int64_t* a, const uint8_t* u, int k0, int k1) {
  int64_t s = 0;
  for (int kk = k0; kk < k1; ++kk) s += a[kk] * u[kk];
  return s;
}

/// What it is: an ISA interpreter over byte buffers with the golden arithmetic (exact integer group
/// sums S_g, then out + float(S_g) * scale per group, then times the row scale; FP16 activations
/// as a * 2^24). The mac core with FP16 activations uses mac_fp16's rule instead (docs/mac.md).
class GoldenAccelerator final : public Accelerator {
 public:
  explicit GoldenAccelerator(const HwConfig& hw) : m_hw(hw) {
    for (int b = 0; b < isa::kNumBuffers; ++b) m_buf[b].assign(hw.top.buffers[b].bytes(), 0);
  }
  std::string backend() const override { return "golden"; }
  const HwConfig& config() const override { return m_hw; }
  bool timed() const override { return false; }
  nlohmann::ordered_json stats() const override { return nlohmann::ordered_json::object(); }
  nlohmann::ordered_json describe_stats() const override {
    return nlohmann::ordered_json::object();
  }

  uint64_t run(Program& p, const StoreHook& on_store) override {
    uint64_t stride[2] = {0, 0};
    OpFormat fmt;
    struct Block {
      int m = 0, n = 0, kt = 0, k_done = 0, groups_done = 0;
      uint32_t o = 0;
      std::vector<float> out;
      std::vector<float> ascale;
    } blk;
    bool open = false;
    VectorUnitState vstate;
    for (size_t pc = 0; pc < p.code.size(); ++pc) {
      const isa::Instruction& in = p.code[pc];
      const uint64_t addr = pc * isa::kInstructionBytes;
      auto bad = [&](const std::string& what) {
        throw std::runtime_error(fmt::format(
            "illegal instruction at address 0x{:x} (instruction {}): {}", addr, pc, what));
      };
      switch (in.op) {
        case isa::Opcode::kHalt:
          return 0;
        case isa::Opcode::kNop:
        case isa::Opcode::kSync:
          break;
        case isa::Opcode::kLdCfg:
          stride[0] = in.stride;
          break;
        case isa::Opcode::kStCfg:
          stride[1] = in.stride;
          break;
        case isa::Opcode::kLoad:
        case isa::Opcode::kStore: {
          const bool st = in.op == isa::Opcode::kStore;
          auto& buf = m_buf[in.buf];
          if (in.sram + in.rows * in.bytes > buf.size()) bad("field 'sram': past the buffer");
          if (in.dram + (in.rows - 1) * stride[st] + in.bytes > p.dram.size()) {
            bad("field 'dram': past the DRAM image");
          }
          for (uint64_t r = 0; r < in.rows; ++r) {
            uint8_t* s = buf.data() + in.sram + r * in.bytes;
            uint8_t* d = p.dram.data() + in.dram + r * stride[st];
            if (st) {
              std::memcpy(d, s, in.bytes);
              if (on_store) on_store(in.dram + r * stride[st], s, in.bytes);
            } else {
              std::memcpy(s, d, in.bytes);
            }
          }
          break;
        }
        case isa::Opcode::kCfg:
          fmt.kind = weight_kind_from_field(in.wkind);
          fmt.bits = static_cast<int>(in.wbits);
          fmt.fp16 = in.afmt == 1;
          fmt.group = static_cast<int>(in.group);
          fmt.codec = static_cast<WeightCodec>(in.wcodec);
          break;
        case isa::Opcode::kBlk: {
          blk = Block{};
          blk.m = static_cast<int>(in.m);
          blk.n = static_cast<int>(in.n);
          blk.kt = static_cast<int>(in.kt);
          blk.o = static_cast<uint32_t>(in.o);
          blk.out.assign(static_cast<size_t>(blk.m) * blk.n, 0.0f);
          for (int i = 0; i < blk.m; ++i) {
            float s;
            std::memcpy(&s, m_buf[0].data() + in.ascale + 4 * i, 4);
            blk.ascale.push_back(s);
          }
          open = true;
          break;
        }
        case isa::Opcode::kVcfg:
          vector_configure(in, vstate, addr);
          break;
        case isa::Opcode::kVec: {
          const VectorBuffers vb{m_buf[3], m_buf[0]};
          vector_check(in, vstate, vb, addr);
          for (uint64_t pass = 0; pass < in.passes; ++pass) vector_run_pass(in, vstate, vb, pass);
          break;
        }
        default: {  // a tile op of any unit (the compiler emits the configured unit's)
          if (!isa::is_tile_op(in.op)) bad("unknown opcode");
          if (!open) bad("a tile op without an open block (blk)");
          m_pc = pc;
          chunk(in, fmt, blk.m, blk.n, blk.kt, blk.out);
          blk.k_done += static_cast<int>(in.k);
          if (blk.k_done >= blk.kt) {
            for (int i = 0; i < blk.m; ++i) {
              for (int j = 0; j < blk.n; ++j) {
                float o =
                    dequant_finish(blk.out[static_cast<size_t>(i) * blk.n + j], blk.ascale[i]);
                if (weight_codec_is_fp4(fmt.codec)) o = fp4_canonical_nan(o);
                std::memcpy(m_buf[3].data() + blk.o + (static_cast<size_t>(i) * blk.n + j) * 4, &o,
                            4);
              }
            }
            open = false;
          }
          break;
        }
      }
    }
    throw std::runtime_error("the program ends without a halt instruction");
  }

 private:
  // The weight values of every code of a format for one group byte, and whether they are
  // slope x code + offset.
  struct Values {
    std::vector<int> value;
    bool affine = false;
    int64_t slope = 0, offset = 0;
  };

  // One K chunk: per group, the exact integer sums and one dequant step per output.
  void chunk(const isa::Instruction& in, const OpFormat& f, int m, int n, int kt,
             std::vector<float>& out) {
    const TileLayout L(m_hw, f);
    const int k = static_cast<int>(in.k);
    const int G = f.group;
    const int esz = L.act_bytes();
    const uint8_t* act = m_buf[0].data() + in.src;
    const uint8_t* s = m_buf[2].data() + in.s;
    const int cols = L.cols();
    const bool mac_fp16 = m_hw.unit->group_rule(f.fp16) == GroupRule::kMacFp16;
    const size_t mk = static_cast<size_t>(m) * k;
    m_a.resize(mk);
    m_a8.resize(mk);
    for (size_t e = 0; e < mk; ++e) {
      const uint8_t* p = act + e * esz;
      m_a[e] = f.fp16 ? fp16_to_fixed(u16(p)) : static_cast<int64_t>(static_cast<int8_t>(p[0]));
      m_a8[e] = static_cast<int8_t>(p[0]);
    }
    const std::vector<uint8_t>& codes = chunk_codes(in, L, n, kt);
    const int groups = (k + G - 1) / G;
    // sum(a) per row and group (the offset term of an affine weight map).
    m_groups = groups;
    m_asum.assign(static_cast<size_t>(m) * groups, 0);
    for (int i = 0; i < m; ++i) {
      for (int kk = 0; kk < k; ++kk) {
        m_asum[static_cast<size_t>(i) * groups + kk / G] += m_a[static_cast<size_t>(i) * k + kk];
      }
    }
    for (int j = 0; j < n; ++j) {
      const uint8_t* cj = &codes[static_cast<size_t>(j) * k];
      for (int gi = 0; gi < groups; ++gi) {
        const uint8_t* rec = s + static_cast<size_t>(gi) * cols * 3;
        const uint16_t scale = u16(rec + 2 * j);
        // The unit's decoding of (code, group byte): the kind's affine map, or bitmod's
        // per-group datatype id (IUnitSpec::weight_value, a function of its arguments: memoized
        // per group byte for the format).
        const Values& v = values(f, rec[2 * cols + j]);
        const int k0 = gi * G, k1 = std::min(k, k0 + G);
        // FP4 codecs: the doubled value's FP32 group scale (model/formats/fp_weight.h).
        const bool fp4 = weight_codec_is_fp4(f.codec);
        const float gscale = fp4 ? weight_group_scale(f.codec, scale) : 0.0f;
        for (int i = 0; i < m; ++i) {
          float& o = out[static_cast<size_t>(i) * n + j];
          const int64_t* ai = &m_a[static_cast<size_t>(i) * k];
          if (mac_fp16) {
            // mac baseline, FP16 mode (mac_fp16.h): weight dequantized to FP16, exact product,
            // FP32 group accumulator, then out + acc_g.
            float acc = 0.0f;
            for (int kk = k0; kk < k1; ++kk) {
              const float wf = fp16_to_float(mac_weight_fp16(v.value[cj[kk]], scale));
              const float af = static_cast<float>(ai[kk]) * 0x1p-24f;
              acc = acc + af * wf;
            }
            o = o + acc;
          } else {
            const int64_t sum = group_sum(v, f.fp16, i, k, G, k0, k1, cj);
            o = fp4 ? o + int_to_fp32(sum) * gscale : dequant_step(o, sum, scale);
          }
        }
      }
    }
  }

  // Sum over [k0, k1) of a * value(code), exact. Values affine in the code (every kind's map):
  // slope x sum(a * code) + offset x sum(a), the first an INT8 x code dot product when the
  // activations are INT8; otherwise value by value.
  int64_t group_sum(const Values& v, bool fp16, int i, int k, int G, int k0, int k1,
                    const uint8_t* cj) const {
    const size_t row = static_cast<size_t>(i) * k;
    if (!v.affine) {
      int64_t sum = 0;
      for (int kk = k0; kk < k1; ++kk) sum += m_a[row + kk] * v.value[cj[kk]];
      return sum;
    }
    const int64_t dot =
        fp16 ? dot_i64_u8(&m_a[row], cj, k0, k1) : dot_i8_u8(&m_a8[row], cj, k0, k1);
    const int64_t asum = m_asum[static_cast<size_t>(i) * m_groups + k0 / G];
    return v.slope * dot + v.offset * asum;
  }

  // The chunk's codes [column][chunk-local kk], decoded from its beat records (the operand
  // codec's code_bit map) or taken from the cache when the same bytes were decoded before.
  const std::vector<uint8_t>& chunk_codes(const isa::Instruction& in, const TileLayout& L, int n,
                                          int kt) {
    const int k = static_cast<int>(in.k);
    const int G = L.fmt.group;
    const int T = L.tiles, Nt = L.tile_cols, Kt = L.beat_k;
    const uint32_t bb = L.beat_bytes();
    const int gt = L.beats_for_group(std::min(G, kt));
    const uint64_t beats_per_group = L.geo.pad_short_group ? gt : L.beats_for_group(G);
    const int groups = (k + G - 1) / G;
    const uint64_t last_beats = static_cast<uint64_t>((k - (groups - 1) * G + Kt - 1) / Kt);
    const uint64_t span = ((groups - 1) * beats_per_group + last_beats) * T * bb;
    const uint8_t* w = m_buf[1].data() + in.w;
    if (in.w + span > m_buf[1].size()) {
      throw std::runtime_error(fmt::format(
          "illegal instruction at address 0x{:x} (instruction {}): field 'w': the chunk's {} "
          "weight bytes from {} run past the weight buffer ({} bytes)",
          m_pc * isa::kInstructionBytes, m_pc, span, in.w, m_buf[1].size()));
    }
    // Everything the decoding depends on besides the bytes.
    const uint64_t key = (static_cast<uint64_t>(n) << 40) ^ (static_cast<uint64_t>(k) << 20) ^
                         (static_cast<uint64_t>(kt) << 4) ^
                         (static_cast<uint64_t>(L.fmt.bits) << 1) ^
                         (static_cast<uint64_t>(G) << 58) ^
                         static_cast<uint64_t>(L.geo.layout == WeightLayout::kBitPlanes);
    if (const std::vector<uint8_t>* hit = m_cache.find(w, span, key)) return *hit;
    const int rec_codes = Nt * Kt;
    // Bit-plane records whose planes start on byte boundaries: 8 codes per byte and plane.
    const bool planes_by_byte = L.geo.layout == WeightLayout::kBitPlanes && rec_codes % 8 == 0;
    m_rec.assign(static_cast<size_t>(rec_codes) + 8, 0);
    m_codes.assign(static_cast<size_t>(n) * k, 0);
    for (int gi = 0; gi < groups; ++gi) {
      const int k0 = gi * G, k1 = std::min(k, k0 + G);
      const uint64_t nbeats = static_cast<uint64_t>((k1 - k0 + Kt - 1) / Kt);
      for (uint64_t bt = 0; bt < nbeats; ++bt) {
        const int kb = k0 + static_cast<int>(bt) * Kt;
        const int lanes = std::min(Kt, k1 - kb);
        for (int t = 0; t < T && t * Nt < n; ++t) {
          const uint8_t* rec =
              w + ((static_cast<uint64_t>(gi) * beats_per_group + bt) * T + t) * bb;
          if (planes_by_byte) {
            decode_planes(rec, L.fmt.bits, rec_codes);
          } else {
            for (int x = 0; x < rec_codes; ++x) m_rec[x] = decode(L, rec, x / Kt, x % Kt);
          }
          const int tcols = std::min(Nt, n - t * Nt);
          for (int j = 0; j < tcols; ++j) {
            uint8_t* dst = &m_codes[static_cast<size_t>(t * Nt + j) * k + kb];
            const uint8_t* src = &m_rec[static_cast<size_t>(j) * Kt];
            for (int l = 0; l < lanes; ++l) dst[l] = src[l];
          }
        }
      }
    }
    m_cache.add(w, span, key, m_codes);
    return m_codes;
  }

  // Codes x < count of a bit-plane record (bit p of code x at bit p * count + x; count % 8 == 0)
  // into m_rec: each record byte spreads to 8 codes' bit p at once.
  void decode_planes(const uint8_t* rec, int bits, int count) {
    static const std::array<uint64_t, 256> spread = [] {
      std::array<uint64_t, 256> v{};
      for (int b = 0; b < 256; ++b) {
        for (int i = 0; i < 8; ++i) v[b] |= static_cast<uint64_t>((b >> i) & 1) << (8 * i);
      }
      return v;
    }();
    const int bytes = count / 8;
    for (int q = 0; q < bytes; ++q) {
      uint64_t c = 0;
      for (int p = 0; p < bits; ++p) c |= spread[rec[p * bytes + q]] << p;
      for (int i = 0; i < 8; ++i)
        m_rec[static_cast<size_t>(q) * 8 + i] = static_cast<uint8_t>(c >> (8 * i));
    }
  }

  // The code of tile column `col`, lane `lane` of a beat record (TileLayout::read_code inline).
  static uint32_t decode(const TileLayout& L, const uint8_t* rec, int col, int lane) {
    if (L.geo.layout == WeightLayout::kPackedCodes) {
      return read_bits(rec, L.code_bit(0, col, lane), L.fmt.bits);
    }
    uint32_t u = 0;
    for (int p = 0; p < L.fmt.bits; ++p) {
      const uint64_t pos = L.code_bit(p, col, lane);
      u |= static_cast<uint32_t>((rec[pos >> 3] >> (pos & 7)) & 1) << p;
    }
    return u;
  }

  // weight_value(kind, bits, code, group byte) for every code of the format and this group byte.
  const Values& values(const OpFormat& f, uint8_t group_byte) {
    if (f.kind != m_vt_kind || f.bits != m_vt_bits || f.codec != m_vt_codec) {
      m_vt_kind = f.kind;
      m_vt_bits = f.bits;
      m_vt_codec = f.codec;
      m_vt.assign(256, Values{});
    }
    Values& v = m_vt[group_byte];
    if (v.value.empty()) {
      const uint32_t count = 1u << f.bits;
      for (uint32_t c = 0; c < count; ++c) {
        // FP4 codes: the doubled E2M1 value (the group byte is not part of the code's value).
        v.value.push_back(weight_codec_is_fp4(f.codec)
                              ? fp4_e2m1_doubled(c)
                              : m_hw.unit->weight_value(f.kind, f.bits, c, group_byte));
      }
      v.offset = v.value[0];
      v.slope = count > 1 ? v.value[1] - v.value[0] : 0;
      v.affine = true;
      for (uint32_t c = 0; c < count; ++c) {
        v.affine = v.affine && v.value[c] == v.offset + v.slope * static_cast<int64_t>(c);
      }
    }
    return v;
  }

  HwConfig m_hw;
  std::array<std::vector<uint8_t>, isa::kNumBuffers> m_buf;
  std::vector<uint8_t> m_rec;    ///< one beat record's codes [tile column][lane]
  std::vector<uint8_t> m_codes;  ///< the current chunk's codes [column][kk] (at most 8 bits)
  std::vector<int64_t> m_a;      ///< the chunk's activations as exact integers [row][kk]
  std::vector<int8_t> m_a8;      ///< their INT8 codes (INT8 activations)
  std::vector<int64_t> m_asum;   ///< [row][group] sum of the chunk's activations
  int m_groups = 0;
  WeightKind m_vt_kind{};
  int m_vt_bits = -1;
  WeightCodec m_vt_codec{};
  std::vector<Values> m_vt;  ///< [group byte] weight values of (m_vt_kind, m_vt_bits)
  size_t m_pc = 0;           ///< the tile op being run (for its error message)
  GoldenCodeCache m_cache{uint64_t{512} << 20};
};

}  // namespace

std::unique_ptr<Accelerator> make_golden_accelerator(const HwConfig& hw, const ConnectOptions&) {
  return std::make_unique<GoldenAccelerator>(hw);
}

}  // namespace lowbit
