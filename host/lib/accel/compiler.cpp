// Tiling and code generation for the accelerator top (docs/top.md, "Compiler").
#include "lowbit/compiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "host/lib/accel/codegen.h"
#include "lowbit/error.h"
#include "lowbit/workload.h"
#include "model/arch/memory_system.h"
#include "model/arch/tile_layout.h"
#include "model/formats/weight_kind.h"
#include "model/isa/isa.h"

namespace lowbit {

namespace {

using isa::Instruction;
using isa::Opcode;

using codegen::align_up;
using codegen::bit;
using codegen::kAlign;
using codegen::load;
using codegen::store;

// Semaphores (docs/top.md): full / empty pairs of the double-buffered regions.
enum : int {
  kWFull = 0,    // weight + scale chunk loaded        (load -> core)
  kWEmpty = 1,   // weight + scale chunk consumed      (core -> load)
  kAFull = 2,    // activation epoch loaded            (load -> core)
  kAEmpty = 3,   // activation epoch consumed          (core -> load)
  kOFull = 4,    // output block in the out buffer     (core -> store)
  kOEmpty = 5,   // output block stored                (store -> core)
  kRsFull = 6,   // row scales of an M-block loaded    (load -> core)
  kRsEmpty = 7,  // row scales of an M-block consumed  (core -> load)
};

Instruction ins(Opcode op) {
  Instruction i;
  i.op = op;
  return i;
}

WeightKind kind_of(const QuantizedWeights& w) { return w.kind; }

// One instruction of each kind the code generator emits (fields as in docs/isa.md; the DMA
// instructions in codegen.h).
Instruction block(int m, int n, int kt, uint64_t o, uint64_t ascale, uint64_t wait,
                  uint64_t signal) {
  Instruction i = ins(Opcode::kBlk);
  i.m = static_cast<uint64_t>(m);
  i.n = static_cast<uint64_t>(n);
  i.kt = static_cast<uint64_t>(kt);
  i.o = o;
  i.ascale = ascale;
  i.wait = wait;
  i.signal = signal;
  return i;
}

Instruction tile_op(Opcode op, int k, uint64_t s, uint64_t a, uint64_t w, uint64_t wait,
                    uint64_t signal) {
  Instruction i = ins(op);
  i.k = static_cast<uint64_t>(k);
  i.s = s;
  i.src = a;
  i.w = w;
  i.wait = wait;
  i.signal = signal;
  return i;
}

}  // namespace

nlohmann::ordered_json LayerTiling::to_json() const {
  return {{"layer", name},
          {"m", m},
          {"n", n},
          {"k", k},
          {"group", group},
          {"rows_per_op", rows_per_op},
          {"cols_per_op", cols_per_op},
          {"k_chunk", k_chunk},
          {"act_resident", act_resident},
          {"weight_stationary", weight_stationary},
          {"m_blocks", m_blocks},
          {"n_blocks", n_blocks},
          {"k_chunks", k_chunks},
          {"peak_macs_per_cycle", peak_macs_per_cycle},
          {"weight_bytes", weight_bytes},
          {"scale_bytes", scale_bytes},
          {"act_bytes", act_bytes},
          {"out_bytes", out_bytes},
          {"act_datapath", act_datapath}};
}

CompiledProgram compile(const HwConfig& hw, const std::vector<LayerInput>& layers) {
  return compile(hw, layers, CompileMode::kFull);
}

CompiledProgram compile(const HwConfig& hw, const std::vector<LayerInput>& layers,
                        CompileMode mode) {
  const bool image = mode == CompileMode::kFull;
  CompiledProgram out;
  auto& code = out.program.code;
  auto& dram = out.program.dram;
  const auto& bufs = hw.top.buffers;
  const uint64_t act_cap = bufs[0].bytes(), w_cap = bufs[1].bytes(), s_cap = bufs[2].bytes(),
                 o_cap = bufs[3].bytes();
  const isa::Opcode core_op = hw.unit->opcode();

  struct Placed {
    LayerTiling t;
    OpFormat fmt;
    std::vector<uint64_t> a, rs, o;  // DRAM regions: one, or one per decoder block
    uint64_t w = 0, s = 0;
    std::vector<std::pair<uint64_t, uint64_t>> chunk_w, chunk_s;  // [nb * chunks + c] offsets
    std::vector<int> chunk_k0, chunk_k;
  };
  std::vector<Placed> placed;

  // 1. Tiling and the DRAM image.
  uint64_t image_bytes = 0;
  auto grow = [&](uint64_t bytes) {
    const uint64_t at = align_up(image_bytes);
    image_bytes = at + align_up(bytes);
    if (image) dram.resize(image_bytes, 0);
    return at;
  };
  for (size_t li = 0; li < layers.size(); ++li) {
    const LayerSpec& l = layers[li].spec;
    const LayerData& d = *layers[li].data;
    const QuantizedWeights& W = d.weights;
    const Activations& A = d.acts;
    Placed P;
    P.fmt.kind = kind_of(W);
    P.fmt.bits = W.bits;
    P.fmt.fp16 = A.format == ActFormat::kFp16;
    P.fmt.group = W.group_size;
    P.fmt.codec = W.codec;
    const std::string where = fmt::format("layer '{}'", l.name);
    const TileLayout L(hw, P.fmt);
    if (P.fmt.fp16 && !L.fp16_supported && l.activation_format != "fp16") {
      // FP8 activations travel as their FP16 values (act_format.h): name the layer's format.
      throw InputError(fmt::format(
          "{}: {}: activation format {} runs on the FP16 activation path, which this {} unit is "
          "built without ({}.fp16 = false); allowed: int8 activations, or a config with fp16 = "
          "true",
          hw.source, where, l.activation_format, hw.unit_name(), hw.unit_name()));
    }
    try {
      L.check_codec(fmt::format("{}: {}", hw.source, where));
      L.check_supported(fmt::format("{}: {}", hw.source, where), l.k);
    } catch (const ConfigError& e) {
      throw InputError(e.what());
    }
    if (l.k > 65535) {
      throw InputError(
          fmt::format("{}: k = {} exceeds the blk instruction's 16-bit kt; allowed: "
                      "k <= 65535",
                      where, l.k));
    }
    const int G = W.group_size;
    const int esz = L.act_bytes();
    const int MB = L.rows, NB = L.cols();
    // Act buffer: two data halves below the row-scale area (two M-blocks of FP32 scales).
    const uint64_t rs_area = 2 * align_up(4ull * MB);
    const uint64_t act_half = (act_cap - std::min(act_cap, rs_area)) / 2 / kAlign * kAlign;
    const uint64_t w_half = w_cap / 2, s_half = s_cap / 2, o_half = o_cap / 2;
    if (4ull * MB * NB > o_half) {
      throw InputError(fmt::format(
          "{}: top.buffers.out.kib: an output block of {} x {} FP32 needs {} bytes per half; "
          "allowed: at least {} KiB",
          hw.source, MB, NB, 4ull * MB * NB, (8ull * MB * NB + 1023) / 1024));
    }
    // Largest chunk of whole groups that fits a half of every buffer it uses.
    int groups_total = W.groups();
    int best = 0;
    for (int ng = groups_total; ng >= 1; --ng) {
      const int kc = std::min(l.k, ng * G);
      if (L.chunk_weight_bytes(kc, l.k) > w_half) continue;
      if (L.chunk_scale_bytes(kc) > s_half) continue;
      if (static_cast<uint64_t>(MB) * kc * esz > act_half) continue;
      best = ng;
      break;
    }
    if (best == 0) {
      throw InputError(fmt::format(
          "{}: {}: one weight group (k = {}) does not fit half of a buffer (weight {} B, scale {} "
          "B, act {} B needed); allowed: larger top.buffers.weight.kib / scale.kib / act.kib",
          hw.source, where, std::min(G, l.k), L.chunk_weight_bytes(std::min(G, l.k), l.k),
          L.chunk_scale_bytes(std::min(G, l.k)), uint64_t(MB) * std::min(G, l.k) * esz));
    }
    // As few chunks as that allows, of even size: 31 + 1 groups would leave the last chunk too
    // short to hide the next chunk's loads behind.
    const int n_chunks = (groups_total + best - 1) / best;
    best = (groups_total + n_chunks - 1) / n_chunks;
    const int kc = std::min(l.k, best * G);
    P.t.name = l.name;
    P.t.act_datapath = P.fmt.fp16 ? "fp16" : "int8";
    P.t.m = l.m;
    P.t.n = l.n;
    P.t.k = l.k;
    P.t.group = G;
    P.t.rows_per_op = MB;
    P.t.peak_macs_per_cycle = L.peak_macs_per_cycle();
    P.t.cols_per_op = NB;
    P.t.k_chunk = kc;
    P.t.act_resident = kc == l.k;
    P.t.m_blocks = (l.m + MB - 1) / MB;
    P.t.n_blocks = (l.n + NB - 1) / NB;
    P.t.k_chunks = (l.k + kc - 1) / kc;
    // DRAM image: activations, row scales, weights and scales per (n-block, chunk), outputs.
    // Decoder blocks give each block its own activations and output region.
    if (!layers[li].block_acts.empty() &&
        layers[li].block_acts.size() != static_cast<size_t>(l.repeat)) {
      throw InputError(fmt::format("{}: {} block inputs for repeat {}", where,
                                   layers[li].block_acts.size(), l.repeat));
    }
    std::vector<const Activations*> block_inputs = layers[li].block_acts;
    if (block_inputs.empty()) block_inputs.push_back(&A);
    for (const Activations* in : block_inputs) {
      if (in->m != l.m || in->k != l.k || in->format != A.format) {
        throw InputError(fmt::format("{}: a block's input is not {} x {} in the layer's format",
                                     where, l.m, l.k));
      }
      const uint64_t a_at = grow(static_cast<uint64_t>(l.m) * l.k * esz);
      const uint64_t rs_at = grow(4ull * l.m);
      P.a.push_back(a_at);
      P.rs.push_back(rs_at);
      if (!image) continue;
      if (in->format == ActFormat::kInt8) {
        std::memcpy(dram.data() + a_at, in->int8.data(), in->int8.size());
      } else {
        for (size_t i = 0; i < in->fp16.size(); ++i) {
          dram[a_at + 2 * i] = static_cast<uint8_t>(in->fp16[i] & 0xFF);
          dram[a_at + 2 * i + 1] = static_cast<uint8_t>(in->fp16[i] >> 8);
        }
      }
      for (int i = 0; i < l.m; ++i) {
        // FP16 activations enter the integer datapaths as a * 2^24 (lutcore, mixpe); the mac
        // baseline multiplies FP16 values directly, so its row scale is 1 (docs/mac.md).
        const float sc =
            in->format == ActFormat::kInt8 ? in->row_scales[i] : hw.unit->fp16_row_scale();
        std::memcpy(dram.data() + rs_at + 4 * i, &sc, 4);
      }
    }
    uint64_t wbytes = 0, sbytes = 0;
    for (int c = 0; c < P.t.k_chunks; ++c) {
      const int k0 = c * kc, kk = std::min(kc, l.k - k0);
      P.chunk_k0.push_back(k0);
      P.chunk_k.push_back(kk);
      wbytes += L.chunk_weight_bytes(kk, l.k);
      sbytes += L.chunk_scale_bytes(kk);
    }
    P.w = grow(wbytes * P.t.n_blocks);
    P.s = grow(sbytes * P.t.n_blocks);
    uint64_t wo = P.w, so = P.s;
    for (int nb = 0; nb < P.t.n_blocks; ++nb) {
      for (int c = 0; c < P.t.k_chunks; ++c) {
        const int k0 = P.chunk_k0[c], kk = P.chunk_k[c];
        const uint64_t wb = L.chunk_weight_bytes(kk, l.k), sb = L.chunk_scale_bytes(kk);
        if (image) {
          pack_weight_chunk(L, W, nb * NB, k0, kk, {dram.data() + wo, wb});
          pack_scale_chunk(L, W, nb * NB, k0, kk, {dram.data() + so, sb});
        }
        P.chunk_w.emplace_back(wo, wb);
        P.chunk_s.emplace_back(so, sb);
        wo += wb;
        so += sb;
      }
    }
    for (size_t b = 0; b < P.a.size(); ++b) P.o.push_back(grow(4ull * l.m * l.n));
    // Loop order: M-blocks outside (weights stream once per M-block, activations stay resident)
    // or, when all of K fits one chunk, N-blocks outside (each weight chunk stays on chip for
    // every M-block: weight-stationary, activations stream once per N-block). The compiler takes
    // the order that moves fewer DRAM bytes; decode (one M-block) is always M-outer.
    const uint64_t a_bytes = static_cast<uint64_t>(l.m) * l.k * esz;
    const uint64_t w_all = (wbytes + sbytes) * P.t.n_blocks;
    const uint64_t m_outer = w_all * P.t.m_blocks + a_bytes * (P.t.act_resident ? 1 : P.t.n_blocks);
    const uint64_t n_outer = w_all + a_bytes * P.t.n_blocks;
    P.t.weight_stationary = P.t.k_chunks == 1 && P.t.m_blocks > 1 && n_outer < m_outer;
    const int w_passes = P.t.weight_stationary ? 1 : P.t.m_blocks;
    P.t.weight_bytes = wbytes * P.t.n_blocks * w_passes;
    P.t.scale_bytes = sbytes * P.t.n_blocks * w_passes;
    P.t.act_bytes =
        a_bytes * (P.t.act_resident && !P.t.weight_stationary ? 1 : P.t.n_blocks) + 4ull * l.m;
    P.t.out_bytes = 4ull * l.m * l.n;
    // A layer without decoder block inputs writes one region every block (-1: the layer's golden);
    // decoder blocks, one of them included, each check their own region against their output.
    if (layers[li].block_acts.empty()) {
      out.outputs.push_back({li, P.o[0], l.m, l.n, l.repeat, -1});
    } else {
      for (size_t b = 0; b < P.o.size(); ++b) {
        out.outputs.push_back({li, P.o[b], l.m, l.n, 1, static_cast<int>(b)});
      }
    }
    out.max_repeat = std::max(out.max_repeat, l.repeat);
    placed.push_back(std::move(P));
  }

  // 2. Code: blocks x layers, double-buffered with the semaphores above.
  uint64_t chunk_no = 0, act_epoch = 0, mblock_no = 0, block_no = 0;
  for (int rep = 0; rep < out.max_repeat; ++rep) {
    for (size_t li = 0; li < layers.size(); ++li) {
      const LayerSpec& l = layers[li].spec;
      if (rep >= l.repeat) continue;
      const Placed& P = placed[li];
      const size_t bi = std::min(static_cast<size_t>(rep), P.a.size() - 1);
      const uint64_t a_dram = P.a[bi], rs_dram = P.rs[bi], o_dram = P.o[bi];
      const TileLayout L(hw, P.fmt);
      const int esz = L.act_bytes();
      const int MB = L.rows, NB = L.cols();
      const uint64_t rs_slot = align_up(4ull * MB);
      const uint64_t rs_base = act_cap - 2 * rs_slot;
      const uint64_t act_half = rs_base / 2 / kAlign * kAlign;
      const uint64_t w_half = w_cap / 2, s_half = s_cap / 2, o_half = o_cap / 2;

      Instruction cfg = ins(Opcode::kCfg);
      cfg.wkind = weight_kind_field(P.fmt.kind);
      cfg.wbits = static_cast<uint64_t>(P.fmt.bits);
      cfg.afmt = P.fmt.fp16 ? 1 : 0;
      cfg.group = static_cast<uint64_t>(P.fmt.group);
      cfg.wcodec = static_cast<uint64_t>(P.fmt.codec);
      code.push_back(cfg);
      Instruction ldcfg = ins(Opcode::kLdCfg);
      ldcfg.stride = static_cast<uint64_t>(l.k) * esz;
      code.push_back(ldcfg);
      Instruction stcfg = ins(Opcode::kStCfg);
      stcfg.stride = 4ull * l.n;
      code.push_back(stcfg);

      if (P.t.weight_stationary) {
        // N-blocks outside: one weight chunk (all of K) serves every M-block.
        for (int nb = 0; nb < P.t.n_blocks; ++nb, ++chunk_no) {
          const int n = std::min(NB, l.n - nb * NB);
          const auto [wo, wb] = P.chunk_w[static_cast<size_t>(nb)];
          const auto [so, sb] = P.chunk_s[static_cast<size_t>(nb)];
          const uint64_t w_sram = (chunk_no % 2) * w_half, s_sram = (chunk_no % 2) * s_half;
          code.push_back(
              load(isa::Buffer::kWeight, 1, w_sram, wo, wb, chunk_no >= 2 ? bit(kWEmpty) : 0, 0));
          code.push_back(load(isa::Buffer::kScale, 1, s_sram, so, sb, 0, bit(kWFull)));
          for (int mb = 0; mb < P.t.m_blocks; ++mb, ++mblock_no, ++block_no, ++act_epoch) {
            const int m = std::min(MB, l.m - mb * MB);
            const uint64_t rs_sram = rs_base + (mblock_no % 2) * rs_slot;
            const uint64_t a_sram = (act_epoch % 2) * act_half;
            const uint64_t o_sram = (block_no % 2) * o_half;
            const bool last_mb = mb == P.t.m_blocks - 1;
            code.push_back(load(isa::Buffer::kAct, 1, rs_sram, rs_dram + 4ull * mb * MB, 4ull * m,
                                mblock_no >= 2 ? bit(kRsEmpty) : 0, bit(kRsFull)));
            code.push_back(load(isa::Buffer::kAct, static_cast<uint64_t>(m), a_sram,
                                a_dram + static_cast<uint64_t>(mb) * MB * l.k * esz,
                                static_cast<uint64_t>(l.k) * esz, act_epoch >= 2 ? bit(kAEmpty) : 0,
                                bit(kAFull)));
            code.push_back(block(m, n, l.k, o_sram, rs_sram,
                                 (block_no >= 2 ? bit(kOEmpty) : 0) | bit(kRsFull),
                                 bit(kOFull) | bit(kRsEmpty)));
            code.push_back(tile_op(core_op, l.k, s_sram, a_sram, w_sram,
                                   bit(kAFull) | (mb == 0 ? bit(kWFull) : 0),
                                   bit(kAEmpty) | (last_mb ? bit(kWEmpty) : 0)));
            code.push_back(store(
                static_cast<uint64_t>(m), o_sram,
                o_dram +
                    (static_cast<uint64_t>(mb) * MB * l.n + static_cast<uint64_t>(nb) * NB) * 4,
                4ull * n, bit(kOFull), bit(kOEmpty)));
          }
        }
        if (rep == 0) out.tiling.push_back(P.t);
        continue;
      }
      // M-blocks outside: activations resident per M-block when all of K fits, else per chunk.
      for (int mb = 0; mb < P.t.m_blocks; ++mb, ++mblock_no) {
        const int m = std::min(MB, l.m - mb * MB);
        const uint64_t rs_sram = rs_base + (mblock_no % 2) * rs_slot;
        code.push_back(load(isa::Buffer::kAct, 1, rs_sram, rs_dram + 4ull * mb * MB, 4ull * m,
                            mblock_no >= 2 ? bit(kRsEmpty) : 0, bit(kRsFull)));
        uint64_t resident_half = 0;
        if (P.t.act_resident) {
          resident_half = (act_epoch % 2) * act_half;
          code.push_back(load(isa::Buffer::kAct, static_cast<uint64_t>(m), resident_half,
                              a_dram + static_cast<uint64_t>(mb) * MB * l.k * esz,
                              static_cast<uint64_t>(l.k) * esz, act_epoch >= 2 ? bit(kAEmpty) : 0,
                              bit(kAFull)));
        }
        for (int nb = 0; nb < P.t.n_blocks; ++nb, ++block_no) {
          const int n = std::min(NB, l.n - nb * NB);
          const uint64_t o_sram = (block_no % 2) * o_half;
          const Instruction blk =
              block(m, n, l.k, o_sram, rs_sram,
                    (block_no >= 2 ? bit(kOEmpty) : 0) | (nb == 0 ? bit(kRsFull) : 0),
                    bit(kOFull) | (nb == P.t.n_blocks - 1 ? bit(kRsEmpty) : 0));
          for (int c = 0; c < P.t.k_chunks; ++c, ++chunk_no) {
            const auto [wo, wb] = P.chunk_w[static_cast<size_t>(nb) * P.t.k_chunks + c];
            const auto [so, sb] = P.chunk_s[static_cast<size_t>(nb) * P.t.k_chunks + c];
            const uint64_t w_sram = (chunk_no % 2) * w_half, s_sram = (chunk_no % 2) * s_half;
            code.push_back(
                load(isa::Buffer::kWeight, 1, w_sram, wo, wb, chunk_no >= 2 ? bit(kWEmpty) : 0, 0));
            code.push_back(load(isa::Buffer::kScale, 1, s_sram, so, sb, 0, bit(kWFull)));
            uint64_t a_sram = resident_half;
            bool epoch_end = nb == P.t.n_blocks - 1 && c == P.t.k_chunks - 1;
            if (!P.t.act_resident) {
              a_sram = (act_epoch % 2) * act_half;
              code.push_back(
                  load(isa::Buffer::kAct, static_cast<uint64_t>(m), a_sram,
                       a_dram + (static_cast<uint64_t>(mb) * MB * l.k + P.chunk_k0[c]) * esz,
                       static_cast<uint64_t>(P.chunk_k[c]) * esz, act_epoch >= 2 ? bit(kAEmpty) : 0,
                       bit(kAFull)));
              epoch_end = true;
            }
            if (c == 0) code.push_back(blk);
            const bool needs_act = !P.t.act_resident || (nb == 0 && c == 0);
            code.push_back(tile_op(core_op, P.chunk_k[c], s_sram, a_sram, w_sram,
                                   bit(kWFull) | (needs_act ? bit(kAFull) : 0),
                                   bit(kWEmpty) | (epoch_end ? bit(kAEmpty) : 0)));
            if (epoch_end) ++act_epoch;
          }
          code.push_back(store(
              static_cast<uint64_t>(m), o_sram,
              o_dram + (static_cast<uint64_t>(mb) * MB * l.n + static_cast<uint64_t>(nb) * NB) * 4,
              4ull * n, bit(kOFull), bit(kOEmpty)));
        }
      }
      if (rep == 0) out.tiling.push_back(P.t);
    }
    if (rep == 0) {
      // The program grows by one block's code per repeat: refuse what memory cannot hold now,
      // before the other blocks are emitted (the code, the run's copy and its encoding).
      const double bytes = static_cast<double>(code.size()) * out.max_repeat *
                           (2.0 * sizeof(Instruction) + isa::kInstructionBytes);
      if (bytes + static_cast<double>(image ? image_bytes : 0) > machine_memory_bytes() / 2) {
        size_t li = 0;
        for (size_t i = 0; i < layers.size(); ++i) {
          if (layers[i].spec.repeat == out.max_repeat) li = i;
        }
        throw InputError(fmt::format(
            "workload: layers[{}].repeat: {} blocks of {} instructions need about {:.1f} GiB of "
            "program; allowed: a repeat whose program fits half the machine's {:.1f} GiB",
            li, out.max_repeat, code.size(), bytes / (1u << 30),
            machine_memory_bytes() / (1u << 30)));
      }
    }
  }
  code.push_back(ins(Opcode::kHalt));
  out.dram_image_bytes = image_bytes;
  // Every instruction must encode (field ranges): a compiler bug is caught here, not in the top.
  for (size_t i = 0; i < code.size(); ++i) (void)isa::encode(code[i], i * isa::kInstructionBytes);
  return out;
}

RunMetrics run_metrics(const HwConfig& hw, const Workload& w, const CompiledProgram& cp,
                       double cycles, double dram_bytes) {
  double macs = 0, compute = 0, padded = 0;
  for (size_t i = 0; i < w.layers.size() && i < cp.tiling.size(); ++i) {
    const LayerTiling& t = cp.tiling[i];
    const double rep = w.layers[i].repeat;
    const double layer_macs = static_cast<double>(t.m) * t.n * t.k * rep;
    macs += layer_macs;
    compute += layer_macs / t.peak_macs_per_cycle;
    padded += static_cast<double>(t.m_blocks) * t.rows_per_op * t.n * t.k * rep;
  }
  // The bandwidth the memory system can deliver: min(DRAM peak, DMA window).
  const MemoryBandwidth mb = memory_bandwidth(hw.top);
  const double memory = dram_bytes / mb.deliverable;
  const double bound = std::max(compute, memory);
  const double seconds = cycles / (hw.top.clock_mhz * 1e6);
  const int tokens = w.layers.empty() ? 0 : w.layers.front().m;
  RunMetrics m;
  m.cycles = static_cast<uint64_t>(std::llround(cycles));
  m.seconds = seconds;
  m.clock_mhz = hw.top.clock_mhz;
  m.ops = 2 * macs;
  m.ops_per_second = 2 * macs / seconds;
  m.utilization = compute / cycles;
  m.dram_bytes = dram_bytes;
  m.dram_bandwidth_used_gbps = dram_bytes / seconds / 1e9;
  m.memory_bandwidth_deliverable_gbps = mb.deliverable * hw.top.clock_mhz / 1e3;
  m.memory_bandwidth_limit = mb.deliverable_limit;
  m.weight_port_gbps = mb.weight_port * hw.top.clock_mhz / 1e3;
  m.roofline_compute_cycles = compute;
  m.roofline_memory_cycles = memory;
  m.roofline_bound_cycles = bound;
  m.cycles_over_bound = cycles / bound;
  m.op_row_occupancy = padded > 0 ? macs / padded : 0.0;
  m.tokens_per_second = tokens / seconds;
  return m;
}

}  // namespace lowbit
