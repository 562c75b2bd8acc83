// `--dump`: per layer A, W codes, scales, zeros and O as .npy, and manifest.json.
#include "run_dump.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "lowbit/atomic_file.h"
#include "lowbit/error.h"
#include "lowbit/npy.h"
#include "lowbit/output_path.h"
#include "model/arch/tile_layout.h"
#include "model/quant/act_format.h"
#include "model/quant/act_quant.h"

namespace lowbit {
namespace {

// A's codes (and row scales) under `p` + "A*.npy".
void dump_acts(const std::filesystem::path& dir, const std::string& p, const Activations& a,
               const ActivationFormat& af) {
  const auto m = static_cast<size_t>(a.m), k = static_cast<size_t>(a.k);
  if (a.format == ActFormat::kInt8) {
    write_npy<int8_t>(dir / (p + "A.npy"), a.int8, {m, k});
    write_npy<float>(dir / (p + "A_scale.npy"), a.row_scales, {m});
  } else {
    write_npy_fp16(dir / (p + "A.npy"), a.fp16, {m, k});
  }
  if (af.fp8) {
    // The FP8 codes themselves; A holds the same values as FP16 (what the units receive).
    std::vector<uint8_t> codes(a.fp16.size());
    for (size_t i = 0; i < codes.size(); ++i) {
      codes[i] = static_cast<uint8_t>(fp8_code_of_fp16(*af.fp8, a.fp16[i]));
    }
    write_npy<uint8_t>(dir / (p + "A_codes.npy"), codes, {m, k});
  }
}

void check_layer_name(const std::filesystem::path& dir, const LayerSpec& l) {
  // Workload layer names are checked on parse; this guards every other path in.
  if (!is_safe_file_name(l.name)) {
    throw InputError(fmt::format("{}: --dump: layer name '{}' cannot name a file; allowed: {}",
                                 dir.string(), l.name, "[A-Za-z0-9_.-], not starting with '.'"));
  }
}

// The layer's weight codes, scales and zero points, and its manifest entry (without O).
void dump_weights(const std::filesystem::path& dir, const LayerSpec& l, const LayerData& d,
                  const std::string& rounding, nlohmann::ordered_json& manifest) {
  const auto n = static_cast<size_t>(l.n), k = static_cast<size_t>(l.k);
  const auto g = static_cast<size_t>(d.weights.groups());
  const std::string p = l.name + "_";
  const ActivationFormat& af = activation_format(l.activation_format);
  write_npy<uint8_t>(dir / (p + "W_codes.npy"), d.weights.codes, {n, k});
  if (d.weights.codec == WeightCodec::kMxfp4) {
    // MX block scales: the E8M0 codes themselves (uint8), decoded by the manifest's rule.
    std::vector<uint8_t> e8m0(d.weights.scales.size());
    for (size_t i = 0; i < e8m0.size(); ++i) e8m0[i] = static_cast<uint8_t>(d.weights.scales[i]);
    write_npy<uint8_t>(dir / (p + "W_scales.npy"), e8m0, {n, g});
  } else {
    write_npy_fp16(dir / (p + "W_scales.npy"), d.weights.scales, {n, g});
  }
  write_npy<uint8_t>(dir / (p + "W_zeros.npy"), d.weights.zeros, {n, g});
  manifest["layers"].push_back({{"name", l.name},
                                {"weight_format", l.weight_format},
                                {"bits", d.weights.bits},
                                {"group_size", d.weights.group_size},
                                {"activation_format", l.activation_format},
                                {"activation_decoding", std::string(af.decoding)},
                                {"O_rounding", rounding}});
  if (weight_codec_is_fp4(d.weights.codec)) {
    // The decoding rule of FP4 codes and their scales (docs/fp-weights.md).
    manifest["layers"].back()["weight_decoding"] =
        std::string(
            "W_codes: OCP FP4 E2M1, sign = bit 3, e = bits 2..1, m = bit 0; value = (-1)^sign * "
            "(e == 0 ? m / 2 : 2^(e - 1) * (1 + m / 2)) (codes 0x0 and 0x8 are +0 and -0); "
            "real weight = value * scale of its group; ") +
        (d.weights.codec == WeightCodec::kMxfp4
             ? "W_scales: E8M0 codes x (uint8), scale = 2^(x - 127), one per block of 32 "
               "elements along K (OCP MX v1.0)"
             : "W_scales: FP16 scale per group");
  }
  if (!l.model_tensor.empty()) {
    manifest["layers"].back()["model_tensor"] = l.model_tensor;
    manifest["layers"].back()["model_type"] = l.model_type;
  }
}

void dump_layer(const std::filesystem::path& dir, const LayerSpec& l, const LayerData& d,
                const std::vector<float>& out, const std::string& rounding,
                nlohmann::ordered_json& manifest) {
  check_layer_name(dir, l);
  dump_acts(dir, l.name + "_", d.acts, activation_format(l.activation_format));
  dump_weights(dir, l, d, rounding, manifest);
  write_npy<float>(dir / (l.name + "_O.npy"), out,
                   {static_cast<size_t>(l.m), static_cast<size_t>(l.n)});
}

// The rule by which the configured hardware rounds O (the golden its stores must match).
std::string rounding_rule(const HwConfig& hw, const LayerData& d, bool integer_exact) {
  if (!integer_exact &&
      hw.unit->group_rule(d.acts.format == ActFormat::kFp16) == GroupRule::kMacFp16) {
    return "mac_fp16_gemm (docs/mac.md): w16 = fp16(w * scale) RNE; exact FP16 x FP16 products "
           "summed in binary32 RNE in K order within a group from +0; groups added in order in "
           "binary32 RNE; O = out * act_scale";
  }
  if (weight_codec_is_fp4(d.weights.codec)) {
    return "fp4 integer-exact (docs/fp-weights.md): exact integer group sums of A times twice the "
           "E2M1 value, dequantized once per group in binary32 in dequant.h order with the scale "
           "of the doubled value (FP16 scale / 2, or 2^(x - 128) for E8M0 code x); O = out * "
           "act_scale; a NaN is 0x7FC00000";
  }
  return "integer-exact (docs/kernels.md, golden (b)): exact integer group sums, dequantized "
         "once per group in binary32 in dequant.h order; O = out * act_scale";
}

}  // namespace

void dump_run(const std::filesystem::path& dir, const Workload& w, const HwConfig& hw,
              const std::string& backend, const std::vector<std::unique_ptr<LayerData>>& data,
              const std::vector<std::vector<float>>& outs, bool integer_exact) {
  // O is what the configured hardware produces (the output its stores are compared with bit for
  // bit), so its rounding rule depends on the config (docs/top.md, "--dump").
  nlohmann::ordered_json manifest = {
      {"description",
       "lowbit run --dump: NumPy arrays per layer. Weight value = f(code, zero) by "
       "format (docs/kernels.md); real weight = scale * value; O = A x W^T as the "
       "configured hardware computes it (rounding rule per layer)."},
      {"config", hw.name.empty() ? hw.source : hw.name},
      {"config_source", hw.source},
      {"core", hw.unit_name()},
      {"backend", backend},
      {"layers", nlohmann::json::array()}};
  std::filesystem::create_directories(dir);
  for (size_t i = 0; i < w.layers.size(); ++i) {
    dump_layer(dir, w.layers[i], *data[i], outs[i], rounding_rule(hw, *data[i], integer_exact),
               manifest);
  }
  write_file_atomic(dir / "manifest.json", manifest.dump(2) + "\n");
}

void dump_decoder_run(const std::filesystem::path& dir, const Workload& w, const HwConfig& hw,
                      const std::string& backend,
                      const std::vector<std::unique_ptr<LayerData>>& data,
                      const DecoderChain& chain) {
  const DecoderSpec& d = *w.decoder;
  const KvCacheSpec kv = hw.vector.kv_cache();
  nlohmann::ordered_json manifest = {
      {"description",
       "lowbit run --dump of whole decoder blocks: the weights of every linear layer once (the "
       "blocks share one synthesized image), then per block b and layer blk<b>_<layer>_A.npy "
       "(and _A_scale.npy for INT8: the layer's input as the vector unit requantized it) and "
       "blk<b>_<layer>_O.npy (O = A x W^T as the configured hardware computes it, the array every "
       "store of that block was compared with bit for bit). Weight value = f(code, zero) by "
       "format (docs/kernels.md); real weight = scale * value."},
      {"config", hw.name.empty() ? hw.source : hw.name},
      {"config_source", hw.source},
      {"core", hw.unit_name()},
      {"backend", backend},
      {"decoder",
       {{"phase", d.prefill ? "prefill" : "decode"},
        {"context", d.context},
        {"blocks", chain.inputs.size()},
        {"hidden", w.layers[0].k},
        {"heads", d.heads},
        {"kv_heads", d.kv_heads},
        {"head_dim", d.head_dim},
        {"kv_cache", {{"format", kv_format_name(kv.format)}, {"group", kv.group}}},
        {"weights_shared_by_blocks", true}}},
      {"vector_operators",
       "RMSNorm, rotary, QK^T, softmax, PV, SiLU x gate, residual adds: the FP32 kernels of "
       "model/kernels/vector_ops.h (binary32, round to nearest even, no FMA, in the order each "
       "states), each checked on every element against float64 by its rule (docs/decoder.md, "
       "\"Error rules\"); requantization: the activation quantizers (INT8 per-row absmax with an "
       "FP32 division, or FP16 RNE)"},
      {"block0_arrays",
       "blk0_x.npy: block 0's FP32 input [rows][hidden]; blk0_attention.npy: its attention "
       "context before requantization [rows][heads x head_dim]; blk0_out.npy: its output, the "
       "next block's input before RMSNorm [rows][hidden]"},
      {"layers", nlohmann::json::array()}};
  manifest["decoder"]["ffn_activation"] = gate_act_name(d.ffn_act);
  if (d.sub_norms) {
    manifest["decoder"]["sub_norms"] =
        "RMSNorm (own gain) of the attention context before o's requantization and of silu(gate) "
        "x up before down's (BitNet b1.58); blk0_attention.npy is before it";
  }
  std::filesystem::create_directories(dir);
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const LayerSpec& l = w.layers[i];
    check_layer_name(dir, l);
    dump_weights(dir, l, *data[i], rounding_rule(hw, *data[i], false), manifest);
    const ActivationFormat& af = activation_format(l.activation_format);
    const auto n = static_cast<size_t>(l.n);
    if (i < static_cast<size_t>(kBlockLinears)) {
      for (size_t b = 0; b < chain.inputs.size(); ++b) {
        const std::string p = fmt::format("blk{}_{}_", b, l.name);
        const Activations& a = chain.inputs[b][i];
        dump_acts(dir, p, a, af);
        write_npy<float>(dir / (p + "O.npy"), chain.outputs[b][i], {static_cast<size_t>(a.m), n});
      }
      manifest["layers"].back()["files"] = "W: " + l.name + "_W_*.npy; per block: blk<b>_" +
                                           l.name + "_A*.npy, blk<b>_" + l.name + "_O.npy";
    } else if (chain.has_lm_head) {
      dump_acts(dir, l.name + "_", chain.lm_head_input, af);
      write_npy<float>(dir / (l.name + "_O.npy"), chain.lm_head_output,
                       {static_cast<size_t>(chain.lm_head_input.m), n});
      manifest["layers"].back()["files"] = l.name + "_W_*.npy, " + l.name +
                                           "_A*.npy (the final RMSNorm's rows, requantized), " +
                                           l.name + "_O.npy";
    }
  }
  const auto rows = [](const std::vector<float>& v, int width) {
    return std::vector<size_t>{v.size() / static_cast<size_t>(width), static_cast<size_t>(width)};
  };
  const int hidden = w.layers[0].k;
  write_npy<float>(dir / "blk0_x.npy", chain.block0_input, rows(chain.block0_input, hidden));
  write_npy<float>(dir / "blk0_attention.npy", chain.block0_attention,
                   rows(chain.block0_attention, d.heads * d.head_dim));
  write_npy<float>(dir / "blk0_out.npy", chain.block0_output, rows(chain.block0_output, hidden));
  write_file_atomic(dir / "manifest.json", manifest.dump(2) + "\n");
}

}  // namespace lowbit
