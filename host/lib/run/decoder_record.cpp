// The "decoder" block of a run's record (decoder_record.h).
#include "decoder_record.h"

#include <fmt/format.h>

#include "lowbit/decoder_context.h"
#include "model/arch/dram_presets.h"
#include "model/arch/memory_system.h"
#include "model/arch/vector_timing.h"
#include "model/cost/dram_energy.h"

namespace lowbit {

using OJ = nlohmann::ordered_json;

namespace {

// energy.vector_unit: the unit's energy over the step and how it was priced (docs/decoder.md,
// "Vector unit energy and area"), or why it is not in the total.
OJ vector_unit_record(const VectorUnitCost* c, const DecoderStepFigures& f, int blocks,
                      GateAct gate) {
  if (c == nullptr || !f.vector_block) {
    return "not characterized at this node: no FP32 add / multiply primitives in its "
           "characterization (excluded from the total)";
  }
  OJ by_op, per_op, mix;
  for (int i = 0; i < kVectorOps; ++i) {
    const auto op = static_cast<VectorOp>(i);
    const VectorLaneOpMix& m = vector_lane_op_mix(op, gate);
    by_op[vector_op_name(op)] = f.vector_block->op_pj[static_cast<size_t>(i)] * blocks;
    per_op[vector_op_name(op)] = c->lane_op_pj(op, gate);
    mix[vector_op_name(op)] = {{"fp32_mul", m.fp32_mul},
                               {"fp32_add", m.fp32_add},
                               {"buffer_read_bytes", m.read_bytes},
                               {"buffer_write_bytes", m.write_bytes},
                               {"what", m.what}};
  }
  return {{"pj", *f.vector_dynamic_pj + *f.vector_leakage_pj},
          {"dynamic_pj", *f.vector_dynamic_pj},
          {"leakage_pj", *f.vector_leakage_pj},
          {"blocks_pj_by_operator", by_op},
          {"blocks_kv_buffer_pj", f.vector_block->kv_buffer_pj * blocks},
          {"pj_per_lane_op", per_op},
          {"lane_op_mix", mix},
          {"area_um2", c->area_um2},
          {"boundary",
           "inside: the lanes' FP32 multiplies and adds (registered, clock included), exp and "
           "reciprocal as FP32 multiply-add sequences, the out-buffer bytes the lanes read and "
           "write and the KV bytes through that buffer, the lanes' leakage over the step; "
           "outside: per-row scalars (one per row of >= head_dim lane operations), the KV "
           "store's format conversion, control, and the DRAM hand-off of the block vector "
           "program; area: lanes x (FP32 adder + multiplier) only, the special-function "
           "pipelines and control are not in it (a lower bound)"},
          {"source", c->source}};
}

}  // namespace

const char* decoder_attention_mapping() {
  return "QK^T and PV on the vector unit (FP32 lanes): their operands are the FP32 query or "
         "softmax row and the KV cache (FP16, or INT8 / INT4 with FP16 scales along head_dim), "
         "and the mpGEMM cores take only low-bit weights with per-group scales along K against "
         "INT8 / FP16 activations; the cores run the seven linear layers";
}

OJ decoder_record(const Workload& w, const HwConfig& hw, const DecoderChain& chain,
                  std::optional<double> linear_cycles, std::optional<double> linear_energy_pj,
                  const VectorUnitCost* vector_cost,
                  const std::optional<AttentionMeasure>& measured,
                  const std::optional<BlockVectorMeasure>& other_measured,
                  const std::optional<BlockVectorMeasure>& head_measured) {
  // A program that did not fit leaves the operator-level attention (and says why, below).
  const std::optional<AttentionMeasure> attention =
      measured && measured->skipped.empty() ? measured : std::nullopt;
  const std::optional<BlockVectorMeasure> other =
      other_measured && other_measured->skipped.empty() ? other_measured : std::nullopt;
  const std::optional<BlockVectorMeasure> head =
      head_measured && head_measured->skipped.empty() ? head_measured : std::nullopt;
  const DecoderSpec& d = *w.decoder;
  const LayerSpec& q = w.layers[0];
  const KvCacheSpec kv = hw.vector.kv_cache();
  const int blocks = q.repeat;
  OJ j;
  const int model_blocks = d.model_blocks > 0 ? d.model_blocks : blocks;
  j["phase"] = d.prefill ? "prefill" : "decode";
  j["context"] = d.context;
  j["batch"] = d.prefill ? 1 : q.m;
  if (d.prefill) j["prompt_tokens"] = q.m;
  j["blocks"] = blocks;
  j["model_blocks"] = model_blocks;
  j["heads"] = d.heads;
  j["kv_heads"] = d.kv_heads;
  j["head_dim"] = d.head_dim;
  if (d.sub_norms) {
    j["sub_norms"] =
        "RMSNorm of the attention context before o and of silu(gate) x up before down (BitNet "
        "b1.58), each with its own gain";
  }
  j["ffn_activation"] = gate_act_name(d.ffn_act);
  j["kv_cache"] = {{"format", kv_format_name(kv.format)},
                   {"group", kv.group},
                   {"read_bytes", chain.work.kv_read_bytes},
                   {"write_bytes", chain.work.kv_write_bytes}};
  j["weights_shared_by_blocks"] = true;
  j["lm_head"] = d.vocab > 0 ? OJ({{"vocab", d.vocab},
                                   {"rows", chain.lm_head_input.m},
                                   {"embedding_bytes_read", 2ull * q.m * q.k}})
                             : OJ(nullptr);
  j["attention_mapping"] = decoder_attention_mapping();
  OJ checks;
  for (int i = 0; i < kVectorOps; ++i) {
    if (static_cast<VectorOp>(i) == VectorOp::kRequant) continue;
    checks[vector_op_name(static_cast<VectorOp>(i))] = {
        {"elements_checked", chain.check.checked[i]},
        {"worst_error_over_bound", chain.check.worst_ratio[i]}};
  }
  j["vector_checks"] = checks;
  j["vector_checks_ok"] = chain.check.ok();
  j["block0_rel_l2_vs_float64"] = chain.block0_rel_l2_vs_float64;
  j["block0_rule"] = chain.block0_rule;
  j["block0_within_rule"] = chain.block0_within_rule;
  j["block0_requant_codes"] = {{"compared", chain.block0_codes_compared},
                               {"one_step_apart_aligned", chain.block0_codes_one_step},
                               {"further_apart", chain.block0_codes_far}};
  if (!linear_cycles) {
    j["timing"] = nullptr;
    return j;
  }
  const MemoryBandwidth mb = memory_bandwidth(hw.top);
  const VectorTiming t = vector_timing(hw.vector, chain.block_work, mb.deliverable);
  // Once per step: the final RMSNorm before the LM head, and the embedding gather (one FP16 row
  // of hidden values per token read from DRAM; the rows are block 0's synthesized input).
  const VectorTiming th = vector_timing(hw.vector, chain.head_work, mb.deliverable);
  // Decode: every sequence of the batch runs the measured attention program's work.
  const double sequences = d.prefill ? 1.0 : q.m;
  std::optional<double> measured_phase;
  if (attention) measured_phase = sequences * static_cast<double>(attention->cycles);
  // The other vector operators work row by row: the measured program is one row's (decode: a
  // sequence's token; prefill: prompt row 0), run once per row of the block.
  const double other_rows = q.m;
  std::optional<double> measured_other;
  if (other) measured_other = other_rows * static_cast<double>(other->cycles);
  // The LM head's final RMSNorm and requantization: one row's program, once per row that
  // produces a token (decode: every sequence; prefill: the last prompt row).
  const double head_rows = d.prefill ? 1.0 : q.m;
  std::optional<double> measured_head;
  if (head) measured_head = head_rows * static_cast<double>(head->cycles);
  const auto head_op = [&](int i) {
    return head ? head_rows * static_cast<double>(head->op_cycles[i]) : th.op_cycles[i];
  };
  // Energy counts the KV bytes the measured attention program moved (a prefill's passes re-read K
  // and V when the out buffer holds few query rows; a decode's equal the model's, tested).
  BlockWork priced = chain.block_work;
  if (attention) {
    priced.kv_read_bytes = static_cast<uint64_t>(sequences) * attention->kv_read_bytes;
    priced.kv_write_bytes = static_cast<uint64_t>(sequences) * attention->kv_write_bytes;
  }
  const DecoderStepFigures f =
      decoder_step_figures(w, hw, priced, chain.head_work, *linear_cycles, linear_energy_pj,
                           vector_cost, measured_phase, measured_other, measured_head);
  const double embedding_cycles = f.embedding_cycles;
  double nonlinear = 0;
  OJ ops;
  for (int i = 0; i < kVectorOps; ++i) {
    const auto op = static_cast<VectorOp>(i);
    const bool attention_op =
        op == VectorOp::kScores || op == VectorOp::kSoftmax || op == VectorOp::kContext;
    const double per_block = other && !attention_op
                                 ? other_rows * static_cast<double>(other->op_cycles[i])
                                 : t.op_cycles[i];
    ops[vector_op_name(op)] = per_block * blocks + head_op(i);
    if (op == VectorOp::kScores || op == VectorOp::kContext) continue;
    // With the measured programs the blocks' share and the head's are added whole below.
    nonlinear +=
        (other && !attention_op ? 0.0 : t.op_cycles[i] * blocks) + (head ? 0.0 : th.op_cycles[i]);
  }
  // Measured: the other operators' whole program per block and the final RMSNorm's per row
  // (their DMA waits included).
  if (other) nonlinear += *measured_other * blocks;
  if (head) nonlinear += *measured_head;
  const double attention_matmuls =
      attention
          ? sequences * static_cast<double>(attention->scores_cycles + attention->context_cycles) *
                blocks
          : (t.op_cycles[static_cast<int>(VectorOp::kScores)] +
             t.op_cycles[static_cast<int>(VectorOp::kContext)]) *
                blocks;
  if (attention) {
    ops[vector_op_name(VectorOp::kScores)] =
        sequences * static_cast<double>(attention->scores_cycles) * blocks;
    ops[vector_op_name(VectorOp::kSoftmax)] =
        sequences * static_cast<double>(attention->softmax_cycles) * blocks +
        head_op(static_cast<int>(VectorOp::kSoftmax));
    ops[vector_op_name(VectorOp::kContext)] =
        sequences * static_cast<double>(attention->context_cycles) * blocks;
  }
  const double phase = measured_phase ? *measured_phase : t.attention_cycles;
  const double total = f.cycles;
  const double hz = hw.top.clock_mhz * 1e6;
  const double seconds = f.seconds;
  j["timing"] = {
      {"model",
       fmt::format(
           "linear layers: SystemC program (cycle-level); attention phase (QK^T, softmax, PV and "
           "the KV read): {}; RMSNorm, rotary, SiLU x gate, residuals and requantization: {}; "
           "serial with the linear layers; the LM head's final RMSNorm and requantization: {}",
           attention ? (d.prefill ? "SystemC program of the vector unit: the prompt's KV write "
                                    "and its causal attention with the KV stream through the DMA "
                                    "and DRAM model, one per block"
                                  : "SystemC program of the vector unit with the KV stream "
                                    "through the DMA and DRAM model and the new token's KV "
                                    "write, one per sequence and block")
                     : "operator-level model (docs/decoder.md)",
           other ? fmt::format("SystemC program of the vector unit (the linear layers' outputs "
                               "loaded from DRAM, the requantized rows stored to DRAM), one per {} "
                               "and block",
                               d.prefill ? "prompt row" : "sequence")
                 : "operator-level model (docs/decoder.md)",
           head ? "SystemC program of the vector unit, one per row that produces a token"
           : chain.has_lm_head ? "operator-level model (docs/decoder.md)"
                               : "none (no LM head)")},
      {"vector_lanes", hw.vector.lanes},
      {"cycles", total},
      {"seconds_per_token_step", seconds},
      {"tokens_per_second", f.tokens_per_second},
      {"breakdown_cycles",
       {{"linear", *linear_cycles},
        {"attention_matmuls", attention_matmuls},
        {"kv_traffic", t.kv_cycles * blocks},
        {"nonlinear", nonlinear},
        {"embedding", embedding_cycles},
        {"attention_phase", phase * blocks},
        {"other_vector_phase",
         (measured_other ? *measured_other : t.total_cycles - t.attention_cycles) * blocks},
        {"attention_phase_bound_by",
         attention ? "measured (SystemC)"
                   : (t.kv_cycles >= t.attention_cycles ? "kv_traffic" : "vector")}}},
      {"vector_op_cycles", ops}};
  if (measured && !measured->skipped.empty()) {
    j["timing"]["attention_systemc"] = measured->to_json();
  }
  if (other_measured) {
    OJ b = other_measured->to_json();
    if (other) {
      const double formula = t.total_cycles - t.attention_cycles;
      OJ formula_ops;
      for (int i = 0; i < kVectorOps; ++i) {
        const auto op = static_cast<VectorOp>(i);
        if (op == VectorOp::kScores || op == VectorOp::kSoftmax || op == VectorOp::kContext) {
          continue;
        }
        formula_ops[vector_op_name(op)] = t.op_cycles[i] / other_rows;
      }
      b["runs_per_block"] = q.m;
      b["operator_level_vector_cycles"] = formula_ops;
      b["operator_level_cycles_per_sequence_block"] = formula / other_rows;
      b["operator_level_error"] = (formula - *measured_other) / *measured_other;
    }
    j["timing"]["block_vector_systemc"] = b;
  }
  if (head_measured) {
    OJ h;
    if (head) {
      h = {{"cycles_per_row", head->cycles},
           {"rows", static_cast<int>(head_rows)},
           {"vector_cycles",
            {{"rmsnorm", head->op_cycles[static_cast<int>(VectorOp::kRmsNorm)]},
             {"requantize", head->op_cycles[static_cast<int>(VectorOp::kRequant)]}}},
           {"operator_level_cycles_per_row", th.total_cycles / head_rows},
           {"results_verified", head->verified}};
    } else {
      h = {{"skipped", head_measured->skipped}};
    }
    j["timing"]["final_norm_systemc"] = h;
  }
  if (attention) {
    // The same step with the operator-level attention phase: what the analytic tier and the
    // context chart compute (docs/decoder.md), kept to state their error against this run.
    const DecoderStepFigures fo = decoder_step_figures(
        w, hw, chain.block_work, chain.head_work, *linear_cycles, linear_energy_pj, vector_cost);
    j["timing"]["cycles_operator_level"] = fo.cycles;
    OJ a = attention->to_json();
    a["operator_level_attention_phase"] = t.attention_cycles;
    a["measured_attention_phase"] = phase;
    a["operator_level_error"] = (t.attention_cycles - phase) / phase;
    a["kv_read_bytes_operator_level"] = chain.block_work.kv_read_bytes / sequences;
    a["kv_write_bytes_operator_level"] = chain.block_work.kv_write_bytes / sequences;
    j["timing"]["attention_systemc"] = a;
  }
  if (d.prefill) {
    j["timing"]["time_to_first_token_s"] = seconds;
    j["timing"]["prompt_tokens_per_second"] = q.m / seconds;
  }
  if (model_blocks != blocks) {
    j["timing"]["whole_model"] = {
        {"blocks", model_blocks},
        {"scaling",
         "the blocks' cycles (linear, split from the LM head's by MACs, and vector) x "
         "model_blocks / blocks; the LM head, final RMSNorm and embedding once"},
        {"cycles", f.model_cycles},
        {"seconds_per_token_step", f.model_cycles / hz},
        {"tokens_per_second", f.model_tokens_per_second}};
    if (d.prefill) {
      j["timing"]["whole_model"]["prompt_tokens_per_second"] = q.m * hz / f.model_cycles;
    }
  }
  const DramPreset* dp = find_dram_preset(hw.top.dram_preset);
  const DramEnergySpec& es = dram_energy_spec(dp ? dp->energy_spec : kDramHorowitzLow.name);
  const double kv_pj = f.kv_dram_pj;
  const double emb_pj = f.embedding_dram_pj;
  OJ energy = {{"kv_dram_pj", kv_pj},
               {"kv_bytes_priced", attention ? "moved by the SystemC attention program"
                                             : "the operator-level model's"},
               {"embedding_dram_pj", emb_pj},
               {"dram_energy_spec", es.name},
               {"linear_pj", linear_energy_pj ? OJ(*linear_energy_pj) : OJ(nullptr)},
               {"vector_unit", vector_unit_record(vector_cost, f, blocks, d.ffn_act)}};
  energy["joules_per_token"] = f.joules_per_token ? OJ(*f.joules_per_token) : OJ(nullptr);
  if (d.prefill) {
    const double vector_pj = f.vector_dynamic_pj.value_or(0) + f.vector_leakage_pj.value_or(0);
    energy["joules_per_prefill"] =
        linear_energy_pj ? OJ((*linear_energy_pj + kv_pj + emb_pj + vector_pj) * 1e-12)
                         : OJ(nullptr);
  }
  if (model_blocks != blocks && f.model_joules_per_token) {
    energy["model_joules_per_token"] = *f.model_joules_per_token;
  }
  j["energy"] = energy;
  return j;
}

}  // namespace lowbit
