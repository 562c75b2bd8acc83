// The causal attention program of a prefill (attention_compiler.h, compile_prefill_attention).
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "host/lib/accel/codegen.h"
#include "lowbit/attention_compiler.h"
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

// Semaphores. The KV write (first, every KV head) and the attention (then) reuse the same four
// load / vector / store pairs; each phase leaves every count it uses at zero, and the attention's
// first load waits for the KV write's last store (kWritten), so no count crosses the phases.
enum : int {
  kChunkFull = 0,   // a KV chunk landed                       (load -> vector)
  kChunkEmpty = 1,  // a KV chunk half consumed                (vector -> load)
  kInFull = 2,      // queries / FP32 k, v rows landed         (load -> vector)
  kInEmpty = 3,     // queries / FP32 rows consumed            (vector -> load)
  kOutFull = 4,     // contexts / stored rows ready            (vector -> store)
  kOutEmpty = 5,    // contexts / stored rows stored           (store -> vector)
  kWritten = 6,     // the whole KV write is in DRAM           (store -> load)
};

Instruction load(uint64_t sram, uint64_t dram, uint64_t bytes, uint64_t wait, uint64_t signal) {
  return codegen::load(isa::Buffer::kOut, 1, sram, dram, bytes, wait, signal);
}

Instruction store(uint64_t sram, uint64_t dram, uint64_t bytes, uint64_t wait, uint64_t signal) {
  return codegen::store(1, sram, dram, bytes, wait, signal);
}

Instruction vec(uint64_t op, uint64_t len, uint64_t passes, uint64_t x, uint64_t y, uint64_t z,
                bool acc, uint64_t wait, uint64_t signal) {
  return codegen::vec(op, len, passes, x, y, z, acc, wait, signal);
}

// Bytes of the scores of query rows r0 .. r1 - 1: row i holds qpk rows of i + 1 scores.
uint64_t scores_bytes(uint64_t qpk, uint64_t r0, uint64_t r1) {
  return 4 * qpk * ((r1 * (r1 + 1) - r0 * (r0 + 1)) / 2);
}

}  // namespace

AttentionProgram compile_prefill_attention(const HwConfig& hw, const AttentionShape& s) {
  if (s.heads <= 0 || s.kv_heads <= 0 || s.heads % s.kv_heads != 0 || s.head_dim <= 0 ||
      s.head_dim % 2 != 0 || s.context < 1) {
    throw std::invalid_argument("compile_prefill_attention: inconsistent shapes");
  }
  const uint64_t qpk = static_cast<uint64_t>(s.heads / s.kv_heads);
  const uint64_t d = static_cast<uint64_t>(s.head_dim), P = static_cast<uint64_t>(s.context);
  const uint64_t kvh = static_cast<uint64_t>(s.kv_heads);
  const uint64_t vb = s.kv.vector_bytes(s.head_dim);
  const int out_kib = hw.top.buffers[static_cast<int>(isa::Buffer::kOut)].kib;
  const uint64_t reach = std::min<uint64_t>(
      hw.top.buffers[static_cast<int>(isa::Buffer::kOut)].bytes(), isa::kVecAddressMax + 1);
  // Query rows per pass: the most whose queries Q [rows][qpk][d], scores S (row i: [qpk][i + 1];
  // sized for the last rows, the longest) and contexts C [rows][qpk][d] take at most half the
  // reach, the other half for two KV chunk halves. More rows per pass, fewer passes over K and V.
  const auto region = [&](uint64_t rows) {
    return align_up(4 * rows * qpk * d) + align_up(scores_bytes(qpk, P - rows, P)) +
           align_up(4 * rows * qpk * d);
  };
  uint64_t rows = 0;
  while (rows < P && region(rows + 1) <= reach / 2) ++rows;
  if (rows == 0 && region(1) + 2 * align_up(vb) <= reach) rows = 1;
  // As many passes as that needs, with the rows spread evenly over them (a pass reads K and V up
  // to its last row: no short last pass that reads them all again for a few rows).
  if (rows > 0) rows = (P + (P + rows - 1) / rows - 1) / ((P + rows - 1) / rows);
  const uint64_t c_off = rows > 0 ? align_up(4 * rows * qpk * d) : 0;
  const uint64_t s_off = c_off + align_up(4 * rows * qpk * d);
  const uint64_t kv_off = s_off + align_up(rows > 0 ? scores_bytes(qpk, P - rows, P) : 0);
  const uint64_t half = kv_off < reach ? (reach - kv_off) / 2 / kAlign * kAlign : 0;
  const uint64_t chunk = std::min<uint64_t>(P, half / vb);
  // The KV write: `batch` prompt rows of one KV head's FP32 k and v at a time (X [2][batch][d]),
  // stored in the cache format (N [2][batch][vb]); the region is the attention's, used before it.
  const uint64_t batch = std::min<uint64_t>(
      {P, reach / (align_up(8 * d) + align_up(2 * vb) + 2 * kAlign), isa::kVecPassesMax});
  if (rows == 0 || chunk == 0 || batch == 0 || P > isa::kVecLenMax || qpk > 255) {
    throw InputError(fmt::format(
        "top.buffers.out.kib: {} KiB (vec reach {} bytes) cannot hold one query row's causal "
        "attention over a prompt of {} tokens ({} query heads x {} scores, queries, contexts, and "
        "two KV chunks of {} B); allowed: a larger out buffer or a shorter prompt",
        out_kib, reach, P, qpk, P, vb));
  }
  AttentionProgram ap;
  ap.chunk_positions = static_cast<int>(chunk);
  ap.chunks_per_head = static_cast<int>((P + chunk - 1) / chunk);
  ap.query_rows = static_cast<int>(rows);
  ap.kv_write_rows = static_cast<int>(batch);
  ap.q_dram = 0;
  ap.kv_src_dram = align_up(4 * kvh * P * qpk * d);
  ap.k_dram = align_up(ap.kv_src_dram + 4 * kvh * 2 * P * d);
  ap.v_dram = align_up(ap.k_dram + kvh * P * vb);
  ap.ctx_dram = align_up(ap.v_dram + kvh * P * vb);
  ap.program.dram.assign(ap.ctx_dram + 4 * kvh * P * qpk * d, 0);
  auto& code = ap.program.code;

  code.push_back(codegen::vcfg_attention(d, static_cast<uint64_t>(s.kv.format),
                                         static_cast<uint64_t>(s.kv.group), qpk));

  // KV write of every KV head (the k and v rows of the prompt, from k_proj / v_proj): per batch,
  // load the FP32 k rows and v rows, two kvstores, two stores to the rows' cache positions.
  const uint64_t x_off = 0, n_off = align_up(8 * batch * d);
  const uint64_t batches = (P + batch - 1) / batch;
  for (uint64_t g = 0; g < kvh; ++g) {
    for (uint64_t b = 0; b < batches; ++b) {
      const bool first = g == 0 && b == 0, last = g + 1 == kvh && b + 1 == batches;
      const uint64_t p0 = b * batch, n = std::min(batch, P - p0);
      const uint64_t src = ap.kv_src_dram + 4 * (g * 2 * P + p0) * d;
      code.push_back(load(x_off, src, 4 * n * d, first ? 0 : bit(kInEmpty), bit(kInFull)));
      code.push_back(load(x_off + 4 * n * d, src + 4 * P * d, 4 * n * d, 0, bit(kInFull)));
      // Each kvstore takes one kInFull: the k rows' load issued first, so whichever load's
      // completion it takes, its rows are in the buffer; the second takes the other.
      Instruction kk = vec(isa::kVopKvStore, d, n, x_off, n_off, 0, false,
                           bit(kInFull) | (first ? 0 : bit(kOutEmpty)), 0);
      Instruction kv = vec(isa::kVopKvStore, d, n, x_off + 4 * n * d, n_off + n * vb, 0, false,
                           bit(kInFull), bit(kOutFull) | (last ? 0 : bit(kInEmpty)));
      code.push_back(kk);
      code.push_back(kv);
      code.push_back(store(n_off, ap.k_dram + (g * P + p0) * vb, n * vb, bit(kOutFull), 0));
      code.push_back(store(n_off + n * vb, ap.v_dram + (g * P + p0) * vb, n * vb, 0,
                           last ? bit(kWritten) : bit(kOutEmpty)));
      ap.kv_write_bytes += 2 * n * vb;
    }
  }

  // Attention: per KV head and pass of `rows` query rows r0 .. r1 - 1, K streamed over positions
  // 0 .. r1 - 1 (row i's scores from the chunks at or before i), a softmax per row over its i + 1
  // scores, V streamed the same way (the context accumulated per chunk), the contexts stored.
  const auto s_row = [&](uint64_t r0, uint64_t i) { return s_off + scores_bytes(qpk, r0, i); };
  uint64_t t = 0;  // chunk counter: chunk t uses half t % 2 and waits for chunk t - 2's half
  // One pass's stream of K or V over positions 0 .. r1 - 1: each chunk loaded into the half it
  // takes (chunk t waits for chunk t - 2's half to be consumed), then one `vec` per query row at
  // or after the chunk's first position and query head: emit(i, h, p0, len, half, wait, signal).
  // The chunk's first vec waits for its load (and `first_wait(p0)`), its last frees the half (and
  // gives `last_signal(p0, n)`).
  const auto stream = [&](uint64_t base, uint64_t r0, uint64_t r1, auto first_wait,
                          auto last_signal, auto emit) {
    for (uint64_t p0 = 0; p0 < r1; p0 += chunk, ++t) {
      const uint64_t n = std::min(chunk, r1 - p0);
      const uint64_t sram = kv_off + (t % 2) * half;
      code.push_back(
          load(sram, base + p0 * vb, n * vb, t >= 2 ? bit(kChunkEmpty) : 0, bit(kChunkFull)));
      ap.kv_read_bytes += n * vb;
      const uint64_t i0 = std::max(r0, p0);
      for (uint64_t i = i0; i < r1; ++i) {
        for (uint64_t h = 0; h < qpk; ++h) {
          const uint64_t wait = i == i0 && h == 0 ? bit(kChunkFull) | first_wait(p0) : 0;
          const uint64_t signal =
              i + 1 == r1 && h + 1 == qpk ? bit(kChunkEmpty) | last_signal(p0, n) : 0;
          emit(i, h, p0, std::min(n, i + 1 - p0), sram, wait, signal);
        }
      }
    }
  };
  const uint64_t passes = (P + rows - 1) / rows;
  for (uint64_t g = 0; g < kvh; ++g) {
    const uint64_t kbase = ap.k_dram + g * P * vb, vbase = ap.v_dram + g * P * vb;
    for (uint64_t pass = 0; pass < passes; ++pass) {
      const bool first = g == 0 && pass == 0, last = g + 1 == kvh && pass + 1 == passes;
      const uint64_t r0 = pass * rows, r1 = std::min(P, r0 + rows);
      code.push_back(load(0, ap.q_dram + 4 * (g * P + r0) * qpk * d, 4 * (r1 - r0) * qpk * d,
                          first ? bit(kWritten) : bit(kInEmpty), bit(kInFull)));
      // Scores: the pass's first chunk also waits for its queries; the last frees them.
      stream(
          kbase, r0, r1, [&](uint64_t p0) { return p0 == 0 ? bit(kInFull) : 0; },
          [&](uint64_t p0, uint64_t n) { return p0 + n == r1 && !last ? bit(kInEmpty) : 0; },
          [&](uint64_t i, uint64_t h, uint64_t p0, uint64_t len, uint64_t sram, uint64_t wait,
              uint64_t signal) {
            const uint64_t row = (i - r0) * qpk + h;
            code.push_back(vec(static_cast<uint64_t>(VectorOp::kScores), len, 1, 4 * row * d,
                               s_row(r0, i) + 4 * (h * (i + 1) + p0), sram, false, wait, signal));
          });
      for (uint64_t i = r0; i < r1; ++i) {
        code.push_back(vec(static_cast<uint64_t>(VectorOp::kSoftmax), i + 1, qpk, s_row(r0, i),
                           s_row(r0, i), 0, false, 0, 0));
      }
      // Contexts: the first chunk waits for the previous pass's contexts to be stored; the last
      // hands these to the store.
      stream(
          vbase, r0, r1, [&](uint64_t p0) { return p0 == 0 && !first ? bit(kOutEmpty) : 0; },
          [&](uint64_t p0, uint64_t n) { return p0 + n == r1 ? bit(kOutFull) : 0; },
          [&](uint64_t i, uint64_t h, uint64_t p0, uint64_t len, uint64_t sram, uint64_t wait,
              uint64_t signal) {
            const uint64_t row = (i - r0) * qpk + h;
            code.push_back(vec(static_cast<uint64_t>(VectorOp::kContext), len, 1,
                               s_row(r0, i) + 4 * (h * (i + 1) + p0), c_off + 4 * row * d, sram,
                               p0 > 0, wait, signal));
          });
      code.push_back(store(c_off, ap.ctx_dram + 4 * (g * P + r0) * qpk * d, 4 * (r1 - r0) * qpk * d,
                           bit(kOutFull), last ? 0 : bit(kOutEmpty)));
    }
  }
  codegen::finish(code);
  return ap;
}

}  // namespace lowbit
