// The attention program of a decode token (attention_compiler.h).
#include "lowbit/attention_compiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "host/lib/accel/codegen.h"
#include "lowbit/error.h"
#include "model/isa/isa.h"
#include "model/kernels/decoder_block.h"

namespace lowbit {
namespace {

using isa::Instruction;
using isa::Opcode;

using codegen::align_up;
using codegen::bit;
using codegen::kAlign;

// Semaphores of the attention program.
enum : int {
  kChunkFull = 0,   // a KV chunk landed                   (load -> vector)
  kChunkEmpty = 1,  // a KV chunk half consumed            (vector -> load)
  kQFull = 2,       // a group's queries landed            (load -> vector)
  kQEmpty = 3,      // a group's queries consumed          (vector -> load)
  kCFull = 4,       // a group's context is complete       (vector -> store)
  kCEmpty = 5,      // a group's context stored            (store -> vector)
  kRowsReady = 6,   // the new k, v in the cache format    (vector -> store)
  kRowStored = 7,   // a new k or v row in DRAM            (store -> load)
};

// The attention program moves whole vectors: one row per DMA, through the out buffer.
Instruction dma(Opcode op, uint64_t sram, uint64_t dram, uint64_t bytes, uint64_t wait,
                uint64_t signal) {
  return op == Opcode::kLoad ? codegen::load(isa::Buffer::kOut, 1, sram, dram, bytes, wait, signal)
                             : codegen::store(1, sram, dram, bytes, wait, signal);
}

Instruction vec(VectorOp op, uint64_t len, uint64_t passes, uint64_t x, uint64_t y, uint64_t z,
                bool acc, uint64_t wait, uint64_t signal) {
  return codegen::vec(static_cast<uint64_t>(op), len, passes, x, y, z, acc, wait, signal);
}

}  // namespace

AttentionProgram compile_decode_attention(const HwConfig& hw, const AttentionShape& s) {
  if (s.heads <= 0 || s.kv_heads <= 0 || s.heads % s.kv_heads != 0 || s.head_dim <= 0 ||
      s.head_dim % 2 != 0 || s.context < 1) {
    throw std::invalid_argument("compile_decode_attention: inconsistent shapes");
  }
  const uint64_t qpk = static_cast<uint64_t>(s.heads / s.kv_heads);
  const uint64_t d = static_cast<uint64_t>(s.head_dim), L = static_cast<uint64_t>(s.context);
  const uint64_t vb = s.kv.vector_bytes(s.head_dim);
  // Out buffer: Q [qpk + 2][d] (the new k, v last), N [2] stored vectors, S [qpk][L], C [qpk][d],
  // then two KV chunk halves.
  const uint64_t reach = std::min<uint64_t>(
      hw.top.buffers[static_cast<int>(isa::Buffer::kOut)].bytes(), isa::kVecAddressMax + 1);
  const uint64_t q_off = 0, n_off = align_up(4 * (qpk + 2) * d);
  const uint64_t s_off = n_off + align_up(2 * vb), c_off = s_off + align_up(4 * qpk * L);
  const uint64_t kv_off = c_off + align_up(4 * qpk * d);
  const uint64_t half = kv_off < reach ? (reach - kv_off) / 2 / kAlign * kAlign : 0;
  const uint64_t chunk = std::min<uint64_t>(L, half / vb);
  if (chunk == 0 || L > isa::kVecLenMax || qpk > 255) {
    throw InputError(fmt::format(
        "top.buffers.out.kib: {} KiB (vec reach {} bytes) cannot hold a group's attention at "
        "context {} ({} query heads x {} scores, and two KV chunks of {} B); allowed: a larger "
        "out buffer or a shorter context",
        hw.top.buffers[static_cast<int>(isa::Buffer::kOut)].kib, reach, L, qpk, L, vb));
  }
  AttentionProgram ap;
  ap.chunk_positions = static_cast<int>(chunk);
  ap.chunks_per_head = static_cast<int>((L + chunk - 1) / chunk);
  const uint64_t kvh = static_cast<uint64_t>(s.kv_heads);
  ap.q_dram = 0;
  ap.k_dram = align_up(4 * kvh * (qpk + 2) * d);
  ap.v_dram = align_up(ap.k_dram + kvh * L * vb);
  ap.ctx_dram = align_up(ap.v_dram + kvh * L * vb);
  ap.program.dram.assign(ap.ctx_dram + 4 * s.heads * d, 0);
  auto& code = ap.program.code;

  code.push_back(codegen::vcfg_attention(d, static_cast<uint64_t>(s.kv.format),
                                         static_cast<uint64_t>(s.kv.group), qpk));

  // The chunk stream (K then V of every group) alternates between the two halves; chunk t > 1
  // waits for the half chunk t - 2 used.
  uint64_t t = 0;
  const auto load_chunk = [&](uint64_t dram, uint64_t positions, bool last) {
    const uint64_t sram = kv_off + (t % 2) * half;
    code.push_back(dma(Opcode::kLoad, sram, dram, positions * vb,
                       (t >= 2 ? bit(kChunkEmpty) : 0) | (last ? bit(kRowStored) : 0),
                       bit(kChunkFull)));
    ap.kv_read_bytes += positions * vb;
    return sram;
  };
  // The vector side is emitted after the loads of its chunk; the queues keep each unit's order and
  // the semaphores pair them (a load runs ahead by at most the two halves).
  for (uint64_t g = 0; g < kvh; ++g) {
    code.push_back(dma(Opcode::kLoad, q_off, ap.q_dram + 4 * g * (qpk + 2) * d, 4 * (qpk + 2) * d,
                       g > 0 ? bit(kQEmpty) : 0, bit(kQFull)));
    const uint64_t kbase = ap.k_dram + g * L * vb, vbase = ap.v_dram + g * L * vb;
    // The KV write: the new k and v in the cache format, stored at position L - 1; the chunk
    // holding that position is loaded after the store (kRowStored).
    Instruction kvs = vec(VectorOp::kRequant, d, 2, q_off + 4 * qpk * d, n_off, 0, false,
                          bit(kQFull), bit(kRowsReady));
    kvs.vop = isa::kVopKvStore;
    code.push_back(kvs);
    code.push_back(
        dma(Opcode::kStore, n_off, kbase + (L - 1) * vb, vb, bit(kRowsReady), bit(kRowStored)));
    code.push_back(dma(Opcode::kStore, n_off + vb, vbase + (L - 1) * vb, vb, 0, bit(kRowStored)));
    ap.kv_write_bytes += 2 * vb;
    for (uint64_t p0 = 0; p0 < L; p0 += chunk, ++t) {
      const uint64_t n = std::min(chunk, L - p0);
      const uint64_t sram = load_chunk(kbase + p0 * vb, n, p0 + n == L);
      for (uint64_t h = 0; h < qpk; ++h) {
        const uint64_t wait = h == 0 ? bit(kChunkFull) : 0;  // kvstore took kQFull
        uint64_t signal = h + 1 == qpk ? bit(kChunkEmpty) : 0;
        if (h + 1 == qpk && p0 + n == L) signal |= bit(kQEmpty);
        // One query head at a time: its scores of this chunk go to row h of S at column p0.
        Instruction v = vec(VectorOp::kScores, n, 1, q_off + 4 * h * d, s_off + 4 * (h * L + p0),
                            sram, false, wait, signal);
        code.push_back(v);
      }
    }
    code.push_back(vec(VectorOp::kSoftmax, L, qpk, s_off, s_off, 0, false, 0, 0));
    for (uint64_t p0 = 0; p0 < L; p0 += chunk, ++t) {
      const uint64_t n = std::min(chunk, L - p0);
      const uint64_t sram = load_chunk(vbase + p0 * vb, n, p0 + n == L);
      for (uint64_t h = 0; h < qpk; ++h) {
        uint64_t wait = h == 0 ? bit(kChunkFull) : 0;
        if (h == 0 && p0 == 0 && g > 0) wait |= bit(kCEmpty);
        uint64_t signal = h + 1 == qpk ? bit(kChunkEmpty) : 0;
        if (h + 1 == qpk && p0 + n == L) signal |= bit(kCFull);
        code.push_back(vec(VectorOp::kContext, n, 1, s_off + 4 * (h * L + p0), c_off + 4 * h * d,
                           sram, p0 > 0, wait, signal));
      }
    }
    code.push_back(dma(Opcode::kStore, c_off, ap.ctx_dram + 4 * g * qpk * d, 4 * qpk * d,
                       bit(kCFull), bit(kCEmpty)));
  }
  codegen::finish(code);
  return ap;
}

}  // namespace lowbit
