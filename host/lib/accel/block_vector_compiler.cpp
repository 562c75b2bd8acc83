// A decode block's vector operators other than attention (block_vector_compiler.h).
#include "lowbit/block_vector_compiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <initializer_list>
#include <stdexcept>
#include <vector>

#include "host/lib/accel/codegen.h"
#include "lowbit/error.h"
#include "model/isa/isa.h"
#include "model/kernels/decoder_block.h"

namespace lowbit {
namespace {

using codegen::align_up;
using codegen::bit;
using isa::Instruction;
using isa::Opcode;

enum Unit : int { kLoadUnit, kVectorUnit, kStoreUnit, kUnits };

// One semaphore per ordered pair of units that hand a buffer region over (-1: never needed).
constexpr int kSem[kUnits][kUnits] = {
    // consumer:  load vector store
    /* load   */ {-1, 0, -1},
    /* vector */ {1, -1, 2},
    /* store  */ {3, 4, -1},  // store -> load: a region (or h in DRAM) read back
};

struct Access {
  int buf;  // isa::Buffer
  uint64_t begin, end;
  bool write;
};

struct Record {
  Unit unit;
  size_t index;  // in the program
  Access a;
};

// Emits the program and orders every access to a buffer region (or DRAM range) after the
// conflicting accesses of the other units (read after write, write after read, write after
// write). What an instruction may rely on: the instructions its waits name completed, and so did
// everything those relied on, and everything the previous instruction of its own queue relied on
// (queues start in order). A needed producer already covered that way costs no token; otherwise
// the producer signals the pair's semaphore and the consumer waits on it, so every pair's tokens
// are signalled and consumed in the same order (the queues complete in order, as the attention
// program also relies on).
class Emitter {
 public:
  explicit Emitter(std::vector<Instruction>& code) : m_code(code) {}

  void emit(Unit u, Instruction in, std::initializer_list<Access> accesses) {
    std::array<int64_t, kUnits> need{-1, -1, -1};
    for (const Access& n : accesses) {
      for (const Record& r : m_log) {
        if (r.unit == u || r.a.buf != n.buf || r.a.end <= n.begin || n.end <= r.a.begin) continue;
        if (!r.a.write && !n.write) continue;
        need[r.unit] = std::max<int64_t>(need[r.unit], static_cast<int64_t>(r.index));
      }
    }
    std::array<int64_t, kUnits> done = m_last[u] >= 0 ? m_done[static_cast<size_t>(m_last[u])]
                                                      : std::array<int64_t, kUnits>{-1, -1, -1};
    // The vector unit first: its waits usually cover the loads a store or load would need.
    for (int p : {kVectorUnit, kStoreUnit, kLoadUnit}) {
      if (need[p] < 0 || need[p] <= done[p]) continue;
      const int s = kSem[p][u];
      if (s < 0) throw std::logic_error("block vector program: unexpected hand-over");
      const auto n = static_cast<size_t>(need[p]);
      m_code[n].signal |= bit(s);
      in.wait |= bit(s);
      for (int q = 0; q < kUnits; ++q) done[q] = std::max(done[q], m_done[n][q]);
      done[p] = std::max(done[p], need[p]);
    }
    for (const Access& n : accesses) m_log.push_back({u, m_code.size(), n});
    m_last[u] = static_cast<int64_t>(m_code.size());
    m_done.push_back(done);
    m_code.push_back(in);
  }

 private:
  std::vector<Instruction>& m_code;
  std::vector<Record> m_log;
  std::vector<std::array<int64_t, kUnits>> m_done;  // per instruction: what completed before it
  std::array<int64_t, kUnits> m_last{-1, -1, -1};   // each queue's latest instruction
};

constexpr int kOutBuf = static_cast<int>(isa::Buffer::kOut);
constexpr int kActBuf = static_cast<int>(isa::Buffer::kAct);
constexpr int kDram = 100;  // DRAM itself: h is stored and read back

Access rd(int buf, uint64_t off, uint64_t bytes) { return {buf, off, off + bytes, false}; }
Access wr(int buf, uint64_t off, uint64_t bytes) { return {buf, off, off + bytes, true}; }

}  // namespace

BlockVectorProgram compile_block_vector_ops(const HwConfig& hw, const BlockVectorShape& s) {
  if (s.hidden <= 0 || s.ffn <= 0 || s.heads <= 0 || s.kv_heads <= 0 || s.head_dim <= 0 ||
      s.head_dim % 2 != 0 || s.heads % s.kv_heads != 0) {
    throw std::invalid_argument("compile_block_vector_ops: inconsistent shapes");
  }
  const uint64_t H = static_cast<uint64_t>(s.hidden), F = static_cast<uint64_t>(s.ffn);
  const uint64_t d = static_cast<uint64_t>(s.head_dim);
  const uint64_t qdim = static_cast<uint64_t>(s.heads) * d;
  const uint64_t kvdim = static_cast<uint64_t>(s.kv_heads) * d;
  const bool fp16 = s.act_format == ActFormat::kFp16;
  const auto& out_cfg = hw.top.buffers[kOutBuf];
  const auto& act_cfg = hw.top.buffers[kActBuf];
  const uint64_t reach = std::min<uint64_t>(out_cfg.bytes(), isa::kVecAddressMax + 1);
  const uint64_t act_reach = std::min<uint64_t>(act_cfg.bytes(), isa::kVecAddressMax + 1);
  if (F > isa::kVecLenMax || qdim + kvdim > isa::kVecLenMax) {
    throw InputError(fmt::format(
        "decoder: ffn {} or q + k width {} is past the vec length limit; allowed: at most {}", F,
        qdim + kvdim, isa::kVecLenMax));
  }
  const auto too_small = [&](uint64_t need) {
    return InputError(fmt::format(
        "top.buffers.out.kib: {} KiB (vec reach {} bytes) cannot hold a block's vector rows "
        "({} bytes needed: hidden {}, ffn {}, q + k {}); allowed: a larger out buffer",
        out_cfg.kib, reach, need, H, F, qdim + kvdim));
  };

  BlockVectorProgram bp;
  // DRAM image: inputs, then outputs; tensors loaded together are contiguous.
  uint64_t at = 0;
  const auto place = [&](uint64_t bytes) {
    const uint64_t a = at;
    at = align_up(at + bytes);
    return a;
  };
  bp.x_dram = place(8 * H);
  bp.gain1_dram = bp.x_dram + 4 * H;
  bp.q_dram = place(4 * (qdim + kvdim + d));
  bp.k_dram = bp.q_dram + 4 * qdim;
  bp.rotary_dram = bp.k_dram + 4 * kvdim;
  bp.attention_dram = place(4 * qdim);
  bp.o_dram = place(4 * H);
  bp.gain2_dram = place(4 * H);
  if (s.sub_norms) {
    bp.attn_sub_gain_dram = place(4 * qdim);
    bp.ffn_sub_gain_dram = place(4 * F);
  }
  bp.gate_dram = place(4 * F);
  bp.up_dram = place(4 * F);
  bp.h_dram = place(8 * H);
  bp.down_dram = bp.h_dram + 4 * H;
  bp.qk_rot_dram = place(4 * (qdim + kvdim));
  const auto requant_region = [&](uint64_t n) {
    RequantRegion r;
    r.bytes = fp16 ? 2 * n : align_up(n) + 4;
    r.codes = place(r.bytes);
    r.scale = fp16 ? 0 : r.codes + align_up(n);
    return r;
  };
  bp.a_qkv = requant_region(H);
  bp.a_o = requant_region(qdim);
  bp.a_ffn = requant_region(H);
  bp.a_down = requant_region(F);
  bp.out_dram = place(4 * H);
  bp.program.dram.assign(at, 0);

  auto& code = bp.program.code;
  Emitter e(code);
  Instruction cfg;
  cfg.op = Opcode::kVcfg;
  cfg.hd = d;
  cfg.kvfmt = 0;
  cfg.kvgroup = 0;
  cfg.qpk = static_cast<uint64_t>(s.heads / s.kv_heads);
  cfg.afmt = fp16 ? 1 : 0;
  cfg.eps = std::bit_cast<uint32_t>(s.norm_eps);
  cfg.gact = static_cast<uint64_t>(s.ffn_act);
  e.emit(kVectorUnit, cfg, {});

  // Out-buffer regions: a cursor that wraps to `floor` (what must stay) when a region does not
  // fit; the hand-over rules above make any overlap safe, distinct regions let loads run ahead.
  uint64_t cursor = 0;
  const auto alloc = [&](uint64_t bytes, uint64_t floor) {
    uint64_t r = cursor + bytes <= reach ? cursor : floor;
    if (r < floor) r = floor;
    if (r + bytes > reach) throw too_small(floor + bytes);
    cursor = align_up(r + bytes);
    return r;
  };
  uint64_t act_at = 0;
  const auto ld = [&](uint64_t sram, uint64_t dram, uint64_t bytes) {
    e.emit(kLoadUnit, codegen::load(isa::Buffer::kOut, 1, sram, dram, bytes, 0, 0),
           {wr(kOutBuf, sram, bytes), rd(kDram, dram, bytes)});
    bp.input_bytes += bytes;
  };
  const auto st = [&](uint64_t sram, uint64_t dram, uint64_t bytes) {
    e.emit(kStoreUnit, codegen::store(1, sram, dram, bytes, 0, 0),
           {rd(kOutBuf, sram, bytes), wr(kDram, dram, bytes)});
    bp.output_bytes += bytes;
  };
  const auto op = [&](VectorOp o, uint64_t len, uint64_t x, uint64_t y, uint64_t z,
                      std::initializer_list<Access> acc) {
    e.emit(kVectorUnit, codegen::vec(static_cast<uint64_t>(o), len, 1, x, y, z, false, 0, 0), acc);
  };
  // requant of an FP32 row at `x` into the act buffer, then its store to `r`.
  const auto requant = [&](uint64_t x, uint64_t n, const RequantRegion& r) {
    const uint64_t codes = act_at, scale = fp16 ? 0 : act_at + (r.scale - r.codes);
    act_at = align_up(act_at + r.bytes);
    if (act_at > act_reach) {
      throw InputError(fmt::format(
          "top.buffers.act.kib: {} KiB cannot hold a block's requantized rows ({} bytes); "
          "allowed: a larger act buffer",
          act_cfg.kib, act_at));
    }
    e.emit(
        kVectorUnit,
        codegen::vec(static_cast<uint64_t>(VectorOp::kRequant), n, 1, x, codes, scale, false, 0, 0),
        {rd(kOutBuf, x, 4 * n), wr(kActBuf, codes, r.bytes)});
    e.emit(kStoreUnit, codegen::store(1, codes, r.codes, r.bytes, 0, 0, isa::Buffer::kAct),
           {rd(kActBuf, codes, r.bytes), wr(kDram, r.codes, r.bytes)});
    bp.output_bytes += r.bytes;
  };

  // RMSNorm before attention, requantized for q, k, v. x stays until the first residual.
  const uint64_t X = alloc(8 * H, 0), G1 = X + 4 * H;
  ld(X, bp.x_dram, 8 * H);
  const uint64_t keep_x = align_up(4 * H);
  const uint64_t N1 = alloc(4 * H, keep_x);
  op(VectorOp::kRmsNorm, H, X, N1, G1, {rd(kOutBuf, X, 8 * H), wr(kOutBuf, N1, 4 * H)});
  requant(N1, H, bp.a_qkv);
  // Rotary of q and k (one row of whole head vectors, the table of the row's position).
  const uint64_t qkb = 4 * (qdim + kvdim);
  const uint64_t QK = alloc(qkb + 4 * d, keep_x);
  ld(QK, bp.q_dram, qkb + 4 * d);
  op(VectorOp::kRotary, qdim + kvdim, QK, QK, QK + qkb,
     {rd(kOutBuf, QK, qkb + 4 * d), wr(kOutBuf, QK, qkb)});
  st(QK, bp.qk_rot_dram, qkb);
  // The attention context (BitNet: its sub-layer RMSNorm, in place), requantized for o.
  const uint64_t A = alloc(4 * qdim, keep_x);
  ld(A, bp.attention_dram, 4 * qdim);
  if (s.sub_norms) {
    const uint64_t GA = alloc(4 * qdim, keep_x);
    ld(GA, bp.attn_sub_gain_dram, 4 * qdim);
    op(VectorOp::kRmsNorm, qdim, A, A, GA,
       {rd(kOutBuf, A, 4 * qdim), rd(kOutBuf, GA, 4 * qdim), wr(kOutBuf, A, 4 * qdim)});
  }
  requant(A, qdim, bp.a_o);
  // h = x + o, stored (read back with down's output at the end); RMSNorm, requantized for gate,
  // up.
  const uint64_t O = alloc(4 * H, keep_x);
  ld(O, bp.o_dram, 4 * H);
  op(VectorOp::kResidual, H, X, X, O,
     {rd(kOutBuf, O, 4 * H), rd(kOutBuf, X, 4 * H), wr(kOutBuf, X, 4 * H)});
  st(X, bp.h_dram, 4 * H);
  const uint64_t G2 = alloc(4 * H, keep_x);
  ld(G2, bp.gain2_dram, 4 * H);
  const uint64_t N2 = alloc(4 * H, keep_x);
  op(VectorOp::kRmsNorm, H, X, N2, G2,
     {rd(kOutBuf, X, 4 * H), rd(kOutBuf, G2, 4 * H), wr(kOutBuf, N2, 4 * H)});
  requant(N2, H, bp.a_ffn);
  // SiLU x gate: the gate row whole (its requantization needs the row), up in chunks that fill
  // two halves of the rest.
  cursor = 0;
  const uint64_t GATE = alloc(4 * F, 0);
  const uint64_t half =
      cursor < reach ? (reach - cursor) / 2 / codegen::kAlign * codegen::kAlign : 0;
  const uint64_t chunk = std::min<uint64_t>(F, half / 4);
  if (chunk == 0) throw too_small(align_up(4 * F) + 2 * codegen::kAlign);
  bp.ffn_chunk = static_cast<int>(chunk);
  bp.ffn_chunks = static_cast<int>((F + chunk - 1) / chunk);
  ld(GATE, bp.gate_dram, 4 * F);
  const uint64_t halves = cursor;
  uint64_t t = 0;
  for (uint64_t p0 = 0; p0 < F; p0 += chunk, ++t) {
    const uint64_t n = std::min(chunk, F - p0), U = halves + (t % 2) * half;
    ld(U, bp.up_dram + 4 * p0, 4 * n);
    op(VectorOp::kSiluGate, n, GATE + 4 * p0, GATE + 4 * p0, U,
       {rd(kOutBuf, U, 4 * n), rd(kOutBuf, GATE + 4 * p0, 4 * n),
        wr(kOutBuf, GATE + 4 * p0, 4 * n)});
  }
  if (s.sub_norms) {
    // BitNet: the product's sub-layer RMSNorm (in place), its gain where up's chunks were.
    if (4 * F > 2 * half) throw too_small(2 * align_up(4 * F));
    ld(halves, bp.ffn_sub_gain_dram, 4 * F);
    op(VectorOp::kRmsNorm, F, GATE, GATE, halves,
       {rd(kOutBuf, GATE, 4 * F), rd(kOutBuf, halves, 4 * F), wr(kOutBuf, GATE, 4 * F)});
  }
  requant(GATE, F, bp.a_down);
  // out = h + down.
  cursor = align_up(halves + 2 * half);
  const uint64_t HD = alloc(8 * H, 0);
  ld(HD, bp.h_dram, 8 * H);
  op(VectorOp::kResidual, H, HD, HD, HD + 4 * H, {rd(kOutBuf, HD, 8 * H), wr(kOutBuf, HD, 4 * H)});
  st(HD, bp.out_dram, 4 * H);

  codegen::finish(code);
  return bp;
}

FinalNormProgram compile_final_norm(const HwConfig& hw, int hidden, ActFormat act_format,
                                    float norm_eps) {
  if (hidden <= 0) throw std::invalid_argument("compile_final_norm: hidden must be positive");
  const uint64_t H = static_cast<uint64_t>(hidden);
  const bool fp16 = act_format == ActFormat::kFp16;
  const auto& out_cfg = hw.top.buffers[kOutBuf];
  const auto& act_cfg = hw.top.buffers[kActBuf];
  const uint64_t reach = std::min<uint64_t>(out_cfg.bytes(), isa::kVecAddressMax + 1);
  const uint64_t act_reach = std::min<uint64_t>(act_cfg.bytes(), isa::kVecAddressMax + 1);
  FinalNormProgram fp;
  fp.x_dram = 0;
  fp.gain_dram = 4 * H;
  fp.a_head.bytes = fp16 ? 2 * H : align_up(H) + 4;
  fp.a_head.codes = align_up(8 * H);
  fp.a_head.scale = fp16 ? 0 : fp.a_head.codes + align_up(H);
  fp.program.dram.assign(fp.a_head.codes + fp.a_head.bytes, 0);
  const uint64_t X = 0, N = align_up(8 * H);
  if (N + 4 * H > reach || H > isa::kVecLenMax) {
    throw InputError(fmt::format(
        "top.buffers.out.kib: {} KiB (vec reach {} bytes) cannot hold the final RMSNorm's row, "
        "gain and output ({} bytes, hidden {}); allowed: a larger out buffer",
        out_cfg.kib, reach, N + 4 * H, H));
  }
  if (fp.a_head.bytes > act_reach) {
    throw InputError(fmt::format(
        "top.buffers.act.kib: {} KiB cannot hold the LM head's requantized row ({} bytes); "
        "allowed: a larger act buffer",
        act_cfg.kib, fp.a_head.bytes));
  }
  auto& code = fp.program.code;
  Emitter e(code);
  Instruction cfg;
  cfg.op = Opcode::kVcfg;
  cfg.hd = 2;  // no attention operator runs; any legal head dimension
  cfg.qpk = 1;
  cfg.afmt = fp16 ? 1 : 0;
  cfg.eps = std::bit_cast<uint32_t>(norm_eps);
  e.emit(kVectorUnit, cfg, {});
  e.emit(kLoadUnit, codegen::load(isa::Buffer::kOut, 1, X, fp.x_dram, 8 * H, 0, 0),
         {wr(kOutBuf, X, 8 * H), rd(kDram, fp.x_dram, 8 * H)});
  e.emit(
      kVectorUnit,
      codegen::vec(static_cast<uint64_t>(VectorOp::kRmsNorm), H, 1, X, N, X + 4 * H, false, 0, 0),
      {rd(kOutBuf, X, 8 * H), wr(kOutBuf, N, 4 * H)});
  const uint64_t scale = fp16 ? 0 : fp.a_head.scale - fp.a_head.codes;
  e.emit(kVectorUnit,
         codegen::vec(static_cast<uint64_t>(VectorOp::kRequant), H, 1, N, 0, scale, false, 0, 0),
         {rd(kOutBuf, N, 4 * H), wr(kActBuf, 0, fp.a_head.bytes)});
  e.emit(kStoreUnit,
         codegen::store(1, 0, fp.a_head.codes, fp.a_head.bytes, 0, 0, isa::Buffer::kAct),
         {rd(kActBuf, 0, fp.a_head.bytes), wr(kDram, fp.a_head.codes, fp.a_head.bytes)});
  codegen::finish(code);
  return fp;
}

}  // namespace lowbit
