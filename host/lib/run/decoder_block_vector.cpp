// A decode block's other vector operators on the SystemC top (decoder_block_vector.h).
#include "decoder_block_vector.h"

#include <fmt/format.h>

#include <cstring>
#include <span>
#include <vector>

#include "lowbit/block_vector_compiler.h"
#include "lowbit/error.h"
#include "model/isa/isa.h"
#include "model/kernels/vector_ops.h"

namespace lowbit {

nlohmann::ordered_json BlockVectorMeasure::to_json() const {
  if (!skipped.empty()) return {{"skipped", skipped}};
  nlohmann::ordered_json ops;
  for (int i = 0; i < kVectorOps; ++i) {
    const auto op = static_cast<VectorOp>(i);
    if (op == VectorOp::kScores || op == VectorOp::kSoftmax || op == VectorOp::kContext) continue;
    ops[vector_op_name(op)] = op_cycles[i];
  }
  return {{"cycles_per_sequence_block", cycles},
          {"vector_cycles", ops},
          {"dram_bytes_read", dram_bytes_read},
          {"dram_bytes_written", dram_bytes_written},
          {"ffn_chunk_elements", ffn_chunk},
          {"ffn_chunks", ffn_chunks},
          {"results_verified", verified},
          {"first_mismatch", first_mismatch.empty() ? nlohmann::ordered_json(nullptr)
                                                    : nlohmann::ordered_json(first_mismatch)}};
}

namespace {

void put(std::vector<uint8_t>& img, uint64_t at, std::span<const float> v) {
  std::memcpy(img.data() + at, v.data(), 4 * v.size());
}

// Row 0 of a requantized activation: its codes (and, INT8, its row scale) as the program stores
// them; the padding between codes and scale is not compared.
struct RequantExpect {
  std::vector<uint8_t> codes, scale;
};
RequantExpect requant_expect(const Activations& a) {
  const size_t k = static_cast<size_t>(a.k);
  RequantExpect e;
  if (a.format == ActFormat::kFp16) {
    e.codes.resize(2 * k);
    std::memcpy(e.codes.data(), a.fp16.data(), 2 * k);
  } else {
    e.codes.resize(k);
    std::memcpy(e.codes.data(), a.int8.data(), k);
    e.scale.resize(4);
    std::memcpy(e.scale.data(), a.row_scales.data(), 4);
  }
  return e;
}

// The vector unit's cycles per operator and the DRAM bytes of the program `acc` just ran.
void read_program_stats(Accelerator& acc, BlockVectorMeasure& m) {
  const auto st = acc.stats();
  for (int i = 0; i < kVectorOps; ++i) {
    m.op_cycles[i] =
        st["vector"][std::string(isa::vector_op_symbols()[i]) + "_cycles"].get<uint64_t>();
  }
  m.dram_bytes_read = st["dram"]["bytes_read"].get<uint64_t>();
  m.dram_bytes_written = st["dram"]["bytes_written"].get<uint64_t>();
}

}  // namespace

std::optional<BlockVectorMeasure> measure_block_vector(Accelerator& acc, const Workload& w,
                                                       const HwConfig& hw,
                                                       const DecoderChain& chain) {
  if (!w.decoder || !acc.timed() || chain.inputs.empty()) {
    return std::nullopt;
  }
  const DecoderSpec& dspec = *w.decoder;
  const DecodeStepSpec step = decoder_step_spec(w, hw.vector.kv_cache(), dspec.context);
  const DecoderShape& sh = step.shape;
  const BlockVectorShape s{sh.hidden,   sh.ffn,       sh.heads,
                           sh.kv_heads, sh.head_dim,  chain.inputs[0][0].format,
                           sh.norm_eps, sh.sub_norms, sh.ffn_act};
  BlockVectorMeasure m;
  BlockVectorProgram bp;
  try {
    bp = compile_block_vector_ops(hw, s);
  } catch (const InputError& e) {
    m.skipped = e.what();
    return m;
  }
  const size_t H = static_cast<size_t>(sh.hidden), F = static_cast<size_t>(sh.ffn);
  const size_t d = static_cast<size_t>(sh.head_dim);
  const size_t qdim = static_cast<size_t>(sh.heads) * d,
               kvdim = static_cast<size_t>(sh.kv_heads) * d;
  const auto row0 = [](const std::vector<float>& v, size_t n) {
    return std::span<const float>(v.data(), n);
  };
  const auto& out0 = chain.outputs[0];
  const auto lin = [&](BlockLinear l, size_t n) { return row0(out0[static_cast<int>(l)], n); };
  const DecoderGains g = decoder_gains(w);
  std::vector<float> cos_t, sin_t;
  // Row 0 of sequence 0: decode's token at position L - 1, a prefill's first prompt row at 0.
  rotary_table(dspec.prefill ? 0 : step.context - 1, sh.head_dim, sh.rope_theta, cos_t, sin_t);
  auto& img = bp.program.dram;
  put(img, bp.x_dram, row0(chain.block0_input, H));
  put(img, bp.gain1_dram, g.norm1);
  put(img, bp.q_dram, lin(BlockLinear::kQ, qdim));
  put(img, bp.k_dram, lin(BlockLinear::kK, kvdim));
  put(img, bp.rotary_dram, cos_t);
  put(img, bp.rotary_dram + 4 * (d / 2), sin_t);
  put(img, bp.attention_dram, row0(chain.block0_attention, qdim));
  put(img, bp.o_dram, lin(BlockLinear::kO, H));
  put(img, bp.gain2_dram, g.norm2);
  if (sh.sub_norms) {
    put(img, bp.attn_sub_gain_dram, g.attn_sub);
    put(img, bp.ffn_sub_gain_dram, g.ffn_sub);
  }
  put(img, bp.gate_dram, lin(BlockLinear::kGate, F));
  put(img, bp.up_dram, lin(BlockLinear::kUp, F));
  put(img, bp.down_dram, lin(BlockLinear::kDown, H));

  // What every store must hold: the chain's requantized inputs of the linear layers and its
  // FP32 rows; rotated q / k and h by the same kernels on the same rows.
  struct Expect {
    const char* name;
    uint64_t dram;
    std::vector<uint8_t> bytes;
  };
  const auto floats = [](std::span<const float> v) {
    std::vector<uint8_t> b(4 * v.size());
    std::memcpy(b.data(), v.data(), b.size());
    return b;
  };
  std::vector<float> qk(qdim + kvdim);
  std::memcpy(qk.data(), lin(BlockLinear::kQ, qdim).data(), 4 * qdim);
  std::memcpy(qk.data() + qdim, lin(BlockLinear::kK, kvdim).data(), 4 * kvdim);
  for (size_t h = 0; h < (qdim + kvdim) / d; ++h) {
    rotary_f32(std::span<float>(qk).subspan(h * d, d), cos_t, sin_t);
  }
  std::vector<float> hrow(H);
  residual_add_f32(row0(chain.block0_input, H), lin(BlockLinear::kO, H), hrow);
  const auto& in0 = chain.inputs[0];
  std::vector<Expect> expect = {
      {"rotated q and k", bp.qk_rot_dram, floats(qk)},
      {"h = x + o", bp.h_dram, floats(hrow)},
      {"block output", bp.out_dram, floats(row0(chain.block0_output, H))}};
  const auto requant_row = [&](const char* name, BlockLinear l, const RequantRegion& r) {
    RequantExpect e = requant_expect(in0[static_cast<int>(l)]);
    expect.push_back({name, r.codes, std::move(e.codes)});
    if (!e.scale.empty()) expect.push_back({name, r.scale, std::move(e.scale)});
  };
  requant_row("requantized input of q/k/v", BlockLinear::kQ, bp.a_qkv);
  requant_row("requantized attention (o's input)", BlockLinear::kO, bp.a_o);
  requant_row("requantized input of gate/up", BlockLinear::kGate, bp.a_ffn);
  requant_row("requantized silu(gate) x up (down's input)", BlockLinear::kDown, bp.a_down);
  constexpr uint64_t kStores = 7;  // four requantized rows, rotated q and k, h, the output
  uint64_t stores = 0;
  m.cycles = acc.run(bp.program, [&](uint64_t, const uint8_t*, uint64_t) { ++stores; });
  m.verified = true;
  for (const Expect& e : expect) {
    if (std::memcmp(img.data() + e.dram, e.bytes.data(), e.bytes.size()) != 0) {
      m.verified = false;
      m.first_mismatch = e.name;
      break;
    }
  }
  if (stores != kStores) {
    m.verified = false;
    if (m.first_mismatch.empty()) {
      m.first_mismatch = fmt::format("{} stores, {} expected", stores, kStores);
    }
  }
  read_program_stats(acc, m);
  m.ffn_chunk = bp.ffn_chunk;
  m.ffn_chunks = bp.ffn_chunks;
  return m;
}

std::optional<BlockVectorMeasure> measure_final_norm(Accelerator& acc, const Workload& w,
                                                     const HwConfig& hw,
                                                     const DecoderChain& chain) {
  if (!w.decoder || !acc.timed() || !chain.has_lm_head) return std::nullopt;
  const int H = w.layers[0].k;
  BlockVectorMeasure m;
  FinalNormProgram fp;
  try {
    fp = compile_final_norm(hw, H, chain.lm_head_input.format,
                            static_cast<float>(w.decoder->norm_eps));
  } catch (const InputError& e) {
    m.skipped = e.what();
    return m;
  }
  auto& img = fp.program.dram;
  put(img, fp.x_dram, std::span<const float>(chain.lm_head_norm_input.data(), H));
  put(img, fp.gain_dram, decoder_norm_gain(w, 3));
  const RequantExpect e = requant_expect(chain.lm_head_input);
  uint64_t stores = 0;
  m.cycles = acc.run(fp.program, [&](uint64_t, const uint8_t*, uint64_t) { ++stores; });
  m.verified = stores == 1 &&
               std::memcmp(img.data() + fp.a_head.codes, e.codes.data(), e.codes.size()) == 0 &&
               (e.scale.empty() ||
                std::memcmp(img.data() + fp.a_head.scale, e.scale.data(), e.scale.size()) == 0);
  if (!m.verified) m.first_mismatch = "the LM head's requantized input row";
  read_program_stats(acc, m);
  return m;
}

}  // namespace lowbit
