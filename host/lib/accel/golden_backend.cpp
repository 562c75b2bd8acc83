// golden backend: executes a program functionally (untimed), computing each output block with the
// dequant.h order from the buffer contents: the compiler and the operand layout checked without
// tiles.
#include <fmt/format.h>

#include <array>
#include <cstring>
#include <stdexcept>

#include "backends.h"
#include "model/arch/tile_layout.h"
#include "model/formats/weight_kind.h"
#include "model/kernels/dequant.h"
#include "model/kernels/fp4_gemm.h"
#include "model/kernels/mac_fp16.h"
#include "model/kernels/mpgemm.h"

namespace lowbit {
namespace {

inline uint16_t u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

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
        default: {  // a tile op of any unit (the compiler emits the configured unit's)
          if (!isa::is_tile_op(in.op)) bad("unknown opcode");
          if (!open) bad("a tile op without an open block (blk)");
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
  // One K chunk: per group, the exact integer sums and one dequant step per output.
  void chunk(const isa::Instruction& in, const OpFormat& f, int m, int n, int kt,
             std::vector<float>& out) {
    const TileLayout L(m_hw, f);
    const int k = static_cast<int>(in.k);
    const int G = f.group;
    const int esz = L.act_bytes();
    const uint8_t* act = m_buf[0].data() + in.src;
    const uint8_t* w = m_buf[1].data() + in.w;
    const uint8_t* s = m_buf[2].data() + in.s;
    const int cols = L.cols(), T = L.tiles, Nt = L.tile_cols, Kt = L.beat_k;
    const uint32_t bb = L.beat_bytes();
    const int gt = L.beats_for_group(std::min(G, kt));
    const bool mac_fp16 = m_hw.unit->group_rule(f.fp16) == GroupRule::kMacFp16;
    std::vector<int64_t> a(static_cast<size_t>(m) * k);
    for (int i = 0; i < m; ++i) {
      for (int kk = 0; kk < k; ++kk) {
        const uint8_t* e = act + (static_cast<size_t>(i) * k + kk) * esz;
        a[static_cast<size_t>(i) * k + kk] =
            f.fp16 ? fp16_to_fixed(u16(e)) : static_cast<int64_t>(static_cast<int8_t>(e[0]));
      }
    }
    auto code = [&](int col, int kk) -> uint32_t {  // chunk-local kk
      const int t = col / Nt, j = col % Nt;
      const int gi = kk / G, off = kk % G;
      // Beats of the groups before this one: whole groups (padded ones where the unit pads).
      const uint64_t beat =
          static_cast<uint64_t>(gi) * (L.geo.pad_short_group ? gt : L.beats_for_group(G)) +
          off / Kt;
      return L.read_code(w + (beat * T + t) * bb, j, off % Kt);
    };
    const int groups = (k + G - 1) / G;
    std::vector<int> wv(static_cast<size_t>(k));
    for (int j = 0; j < n; ++j) {
      for (int gi = 0; gi < groups; ++gi) {
        const uint8_t* rec = s + static_cast<size_t>(gi) * cols * 3;
        const uint16_t scale = u16(rec + 2 * j);
        const uint8_t zero = rec[2 * cols + j];
        const int k0 = gi * G, k1 = std::min(k, k0 + G);
        // The unit's decoding of (code, group byte): the kind's affine map, or bitmod's per-group
        // datatype id (IUnitSpec::weight_value).
        for (int kk = k0; kk < k1; ++kk) {
          wv[kk] = weight_codec_is_fp4(f.codec)
                       ? fp4_e2m1_doubled(code(j, kk))
                       : m_hw.unit->weight_value(f.kind, f.bits, code(j, kk), zero);
        }
        // FP4 codecs: the doubled value's FP32 group scale (model/formats/fp_weight.h).
        const float gscale = weight_group_scale(f.codec, scale);
        for (int i = 0; i < m; ++i) {
          float& o = out[static_cast<size_t>(i) * n + j];
          if (mac_fp16) {
            // mac baseline, FP16 mode (mac_fp16.h): weight dequantized to FP16, exact product,
            // FP32 group accumulator, then out + acc_g.
            float acc = 0.0f;
            for (int kk = k0; kk < k1; ++kk) {
              const float wf = fp16_to_float(mac_weight_fp16(wv[kk], scale));
              const float af = static_cast<float>(a[static_cast<size_t>(i) * k + kk]) * 0x1p-24f;
              acc = acc + af * wf;
            }
            o = o + acc;
          } else {
            int64_t sum = 0;
            for (int kk = k0; kk < k1; ++kk) sum += a[static_cast<size_t>(i) * k + kk] * wv[kk];
            o = o + int_to_fp32(sum) * gscale;
          }
        }
      }
    }
  }

  HwConfig m_hw;
  std::array<std::vector<uint8_t>, isa::kNumBuffers> m_buf;
};

}  // namespace

std::unique_ptr<Accelerator> make_golden_accelerator(const HwConfig& hw, const ConnectOptions&) {
  return std::make_unique<GoldenAccelerator>(hw);
}

}  // namespace lowbit
