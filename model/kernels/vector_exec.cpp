// Functional execution of vcfg / vec (vector_exec.h): operands from the buffers, the FP32 kernels.
#include "model/kernels/vector_exec.h"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

#include "model/kernels/decoder_block.h"
#include "model/kernels/vector_ops.h"

namespace lowbit {
namespace {

[[noreturn]] void illegal(uint64_t address, const char* field, const std::string& what) {
  throw isa::IllegalInstruction(fmt::format("address 0x{:x} (instruction {}): field '{}': {}",
                                            address, address / isa::kInstructionBytes, field,
                                            what));
}

VectorOp op_of(const isa::Instruction& in) { return static_cast<VectorOp>(in.vop); }

std::vector<float> read_f32(std::span<const uint8_t> buf, uint64_t off, size_t n) {
  std::vector<float> v(n);
  std::memcpy(v.data(), buf.data() + off, n * 4);
  return v;
}
void write_f32(std::span<uint8_t> buf, uint64_t off, std::span<const float> v) {
  std::memcpy(buf.data() + off, v.data(), v.size() * 4);
}

// The bytes of a KV head's `len` stored vectors (K or V of one KV head).
uint64_t kv_head_bytes(const isa::Instruction& in, const VectorUnitState& st) {
  return in.len * st.kv.vector_bytes(st.head_dim);
}

}  // namespace

void vector_configure(const isa::Instruction& in, VectorUnitState& st, uint64_t address) {
  const int hd = static_cast<int>(in.hd);
  if (hd % 2 != 0) {
    illegal(address, "hd", fmt::format("{} is odd; allowed: an even head dimension", hd));
  }
  const auto fmt_kv = static_cast<KvFormat>(in.kvfmt);
  const int group = static_cast<int>(in.kvgroup);
  if (fmt_kv == KvFormat::kFp16 && group != 0) {
    illegal(address, "kvgroup",
            fmt::format("{} with kvfmt=fp16, which has no scales; allowed: 0", group));
  }
  if (group != 0 && hd % group != 0) {
    illegal(address, "kvgroup",
            fmt::format("{} does not divide hd={}; allowed: 0 or a divisor of hd", group, hd));
  }
  st.configured = true;
  st.head_dim = hd;
  st.kv = {fmt_kv, group};
  st.q_per_kv = static_cast<int>(in.qpk);
  st.act_format = in.afmt == 1 ? ActFormat::kFp16 : ActFormat::kInt8;
  st.eps = std::bit_cast<float>(static_cast<uint32_t>(in.eps));
  st.gate_act = static_cast<GateAct>(in.gact);
}

uint64_t vector_pass_lane_ops(const isa::Instruction& in, const VectorUnitState& st) {
  if (in.vop == isa::kVopKvStore) return in.len;
  switch (op_of(in)) {
    case VectorOp::kRmsNorm:
      return 2 * in.len;
    case VectorOp::kSoftmax:
      return 3 * in.len;
    case VectorOp::kScores:
    case VectorOp::kContext:
      return in.len * static_cast<uint64_t>(st.head_dim);
    default:
      return in.len;
  }
}

void vector_check(const isa::Instruction& in, const VectorUnitState& st, const VectorBuffers& b,
                  uint64_t address) {
  if (!st.configured) {
    illegal(address, "opcode", "vec before any vcfg; allowed: a vcfg first");
  }
  const uint64_t P = in.passes, n = in.len, d = static_cast<uint64_t>(st.head_dim);
  const auto inside = [&](const char* field, uint64_t off, uint64_t bytes, bool act) {
    const uint64_t cap = act ? b.act.size() : b.out.size();
    if (off + bytes > cap) {
      illegal(address, field,
              fmt::format("0x{:x} + {} bytes runs past the {} buffer's {} bytes; allowed: an "
                          "operand inside the buffer",
                          off, bytes, act ? "act" : "out", cap));
    }
  };
  const uint64_t kv_heads = (P + st.q_per_kv - 1) / st.q_per_kv;
  if (in.vop == isa::kVopKvStore) {
    if (n != d) {
      illegal(address, "len",
              fmt::format("{} for kvstore; allowed: hd={} (one head vector per pass)", n, d));
    }
    inside("x", in.x, 4 * P * n, false);
    inside("y", in.y, P * st.kv.vector_bytes(st.head_dim), false);
    return;
  }
  switch (op_of(in)) {
    case VectorOp::kRmsNorm:
    case VectorOp::kSoftmax:
    case VectorOp::kSiluGate:
    case VectorOp::kResidual:
      inside("x", in.x, 4 * P * n, false);
      inside("y", in.y, 4 * P * n, false);
      if (op_of(in) == VectorOp::kRmsNorm) inside("z", in.z, 4 * n, false);
      if (op_of(in) == VectorOp::kSiluGate || op_of(in) == VectorOp::kResidual) {
        inside("z", in.z, 4 * P * n, false);
      }
      break;
    case VectorOp::kRotary:
      if (n % d != 0) {
        illegal(address, "len",
                fmt::format("{} is not a multiple of hd={}; allowed: whole head vectors", n, d));
      }
      inside("x", in.x, 4 * P * n, false);
      inside("y", in.y, 4 * P * n, false);
      inside("z", in.z, 4 * P * d, false);
      break;
    case VectorOp::kScores:
      inside("x", in.x, 4 * P * d, false);
      inside("z", in.z, kv_heads * kv_head_bytes(in, st), false);
      inside("y", in.y, 4 * P * n, false);
      break;
    case VectorOp::kContext:
      inside("x", in.x, 4 * P * n, false);
      inside("z", in.z, kv_heads * kv_head_bytes(in, st), false);
      inside("y", in.y, 4 * P * d, false);
      break;
    case VectorOp::kRequant: {
      inside("x", in.x, 4 * P * n, false);
      const uint64_t code = st.act_format == ActFormat::kFp16 ? 2 : 1;
      inside("y", in.y, code * P * n, true);
      if (st.act_format == ActFormat::kInt8) inside("z", in.z, 4 * P, true);
      break;
    }
  }
}

void vector_run_pass(const isa::Instruction& in, const VectorUnitState& st, VectorBuffers b,
                     uint64_t pass) {
  const size_t n = in.len, d = static_cast<size_t>(st.head_dim);
  const uint64_t row = 4 * pass * n;  // byte offset of this pass's row of len FP32 values
  if (in.vop == isa::kVopKvStore) {
    kv_store_vector(read_f32(b.out, in.x + row, n), st.kv,
                    b.out.data() + in.y + pass * st.kv.vector_bytes(st.head_dim));
    return;
  }
  switch (op_of(in)) {
    case VectorOp::kRmsNorm: {
      const auto x = read_f32(b.out, in.x + row, n), g = read_f32(b.out, in.z, n);
      std::vector<float> y(n);
      rmsnorm_f32(x, g, st.eps, y);
      write_f32(b.out, in.y + row, y);
      break;
    }
    case VectorOp::kRotary: {
      auto x = read_f32(b.out, in.x + row, n);
      const auto t = read_f32(b.out, in.z + 4 * pass * d, d);
      const std::span<const float> c(t.data(), d / 2), s(t.data() + d / 2, d / 2);
      for (size_t h = 0; h < n / d; ++h) rotary_f32(std::span<float>(x).subspan(h * d, d), c, s);
      write_f32(b.out, in.y + row, x);
      break;
    }
    case VectorOp::kScores: {
      const auto q = read_f32(b.out, in.x + 4 * pass * d, d);
      const uint8_t* kv = b.out.data() + in.z + (pass / st.q_per_kv) * kv_head_bytes(in, st);
      const uint64_t vb = st.kv.vector_bytes(st.head_dim);
      const float inv_sqrt_d = static_cast<float>(1.0 / std::sqrt(static_cast<double>(d)));
      std::vector<float> k(d), y(n);
      for (size_t p = 0; p < n; ++p) {
        kv_load_vector(kv + p * vb, st.kv, k);
        y[p] = dot_f32(q, k) * inv_sqrt_d;
      }
      write_f32(b.out, in.y + row, y);
      break;
    }
    case VectorOp::kSoftmax: {
      auto x = read_f32(b.out, in.x + row, n);
      softmax_f32(x);
      write_f32(b.out, in.y + row, x);
      break;
    }
    case VectorOp::kContext: {
      const auto p = read_f32(b.out, in.x + row, n);
      const uint8_t* kv = b.out.data() + in.z + (pass / st.q_per_kv) * kv_head_bytes(in, st);
      const uint64_t vb = st.kv.vector_bytes(st.head_dim);
      std::vector<float> v(n * d);
      for (size_t i = 0; i < n; ++i) {
        kv_load_vector(kv + i * vb, st.kv, std::span<float>(v).subspan(i * d, d));
      }
      std::vector<float> ctx =
          in.acc ? read_f32(b.out, in.y + 4 * pass * d, d) : std::vector<float>(d, 0.0f);
      context_accumulate_f32(p, v, ctx);
      write_f32(b.out, in.y + 4 * pass * d, ctx);
      break;
    }
    case VectorOp::kSiluGate:
    case VectorOp::kResidual: {
      const auto x = read_f32(b.out, in.x + row, n), z = read_f32(b.out, in.z + row, n);
      std::vector<float> y(n);
      if (op_of(in) == VectorOp::kSiluGate) {
        gate_f32(st.gate_act, x, z, y);
      } else {
        residual_add_f32(x, z, y);
      }
      write_f32(b.out, in.y + row, y);
      break;
    }
    case VectorOp::kRequant: {
      const Activations a =
          requantize(read_f32(b.out, in.x + row, n), 1, static_cast<int>(n), st.act_format);
      if (st.act_format == ActFormat::kFp16) {
        std::memcpy(b.act.data() + in.y + 2 * pass * n, a.fp16.data(), 2 * n);
      } else {
        std::memcpy(b.act.data() + in.y + pass * n, a.int8.data(), n);
        std::memcpy(b.act.data() + in.z + 4 * pass, a.row_scales.data(), 4);
      }
      break;
    }
  }
}

}  // namespace lowbit
