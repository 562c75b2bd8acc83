// Workload JSON parsing and validation (schema: docs/workloads.md).
#include "lowbit/workload.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <system_error>

#include "lowbit/error.h"
#include "lowbit/model_workload.h"
#include "lowbit/output_path.h"
#include "model/json/json_input.h"
#include "model/quant/act_format.h"
#include "model/quant/fp4_quant.h"
#include "model/quant/weight_format.h"

namespace lowbit {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& origin, const std::string& key, const std::string& msg) {
  throw InputError(fmt::format("{}: {}: {}", origin, key, msg));
}

void check_keys(const json& obj, const std::string& origin, const std::string& where,
                const std::vector<std::string>& allowed) {
  if (!obj.is_object()) {
    fail(origin, where.empty() ? "(top)" : where, "is not a JSON object; allowed: a JSON object");
  }
  for (const auto& [key, value] : obj.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      fail(origin, where.empty() ? key : where + "." + key,
           fmt::format("unknown key; allowed: {}", fmt::join(allowed, ", ")));
    }
  }
}

int get_int(const json& obj, const char* key, int lo, int hi, const std::string& origin,
            const std::string& path, int fallback) {
  if (!obj.contains(key)) return fallback;
  const json& v = obj.at(key);
  if (!v.is_number_integer())
    fail(origin, path,
         fmt::format("{} is not an integer; allowed: an integer in [{}, {}]", v.dump(), lo, hi));
  // Unsigned values above INT64_MAX must not wrap to negative numbers in the message.
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi))
    fail(origin, path, fmt::format("{} is out of range; allowed: [{}, {}]", v.dump(), lo, hi));
  const auto x = v.get<int64_t>();
  if (x < lo || x > hi)
    fail(origin, path, fmt::format("{} is out of range; allowed: [{}, {}]", x, lo, hi));
  return static_cast<int>(x);
}

std::string get_choice(const json& obj, const char* key, const std::vector<std::string>& allowed,
                       const std::string& origin, const std::string& path,
                       const std::string& fallback) {
  if (!obj.contains(key)) return fallback;
  const json& v = obj.at(key);
  if (!v.is_string() ||
      std::find(allowed.begin(), allowed.end(), v.get<std::string>()) == allowed.end()) {
    fail(origin, path,
         fmt::format("{} is not allowed; allowed: {}", v.dump(), fmt::join(allowed, ", ")));
  }
  return v.get<std::string>();
}

const std::vector<std::string>& allowed_group_sizes_text() {
  static const std::vector<std::string> v = {"32", "64", "128", "0 (whole row)"};
  return v;
}

const std::vector<std::string> kLayerKeys = {
    "name",         "m",    "n",     "k", "weight_format", "group_size", "activation_format",
    "distribution", "seed", "repeat"};

LayerSpec parse_layer(const json& obj, const LayerSpec& defaults, const std::string& origin,
                      const std::string& where, bool need_shape) {
  check_keys(obj, origin, where, kLayerKeys);
  LayerSpec l = defaults;
  auto path = [&](const char* key) { return where + "." + key; };
  if (obj.contains("name")) {
    // Layer names name --dump files: they must never leave the dump folder.
    if (!obj["name"].is_string() || !is_safe_file_name(obj["name"].get<std::string>())) {
      fail(origin, path("name"),
           fmt::format("{} is not a layer name; allowed: 1 to 128 characters of [A-Za-z0-9_.-], "
                       "not starting with '.'",
                       obj["name"].dump()));
    }
    l.name = obj["name"].get<std::string>();
  }
  l.m = get_int(obj, "m", 1, 1 << 16, origin, path("m"), l.m);
  l.n = get_int(obj, "n", 1, 1 << 20, origin, path("n"), l.n);
  l.k = get_int(obj, "k", 1, 1 << 20, origin, path("k"), l.k);
  l.weight_format = get_choice(obj, "weight_format", allowed_weight_formats(), origin,
                               path("weight_format"), l.weight_format);
  l.activation_format = get_choice(obj, "activation_format", allowed_activation_formats(), origin,
                                   path("activation_format"), l.activation_format);
  l.distribution = get_choice(obj, "distribution", {"gaussian", "heavy_tailed"}, origin,
                              path("distribution"), l.distribution);
  if (obj.contains("group_size")) {
    const json& g = obj["group_size"];
    if (!g.is_number_integer() || (g != 0 && g != 32 && g != 64 && g != 128)) {
      fail(origin, path("group_size"),
           fmt::format("{} is not allowed; allowed: {}", g.dump(),
                       fmt::join(allowed_group_sizes_text(), ", ")));
    }
    l.group_size = g.get<int>();
  }
  // mxfp4's group is the OCP MX block (model/quant/fp4_quant.h): any other explicit size is an
  // error, and an unset one becomes 32.
  if (l.weight_format == "mxfp4") {
    if (obj.contains("group_size") && l.group_size != kMxfp4GroupSize) {
      fail(origin, path("group_size"),
           fmt::format("{} is not allowed with weight_format mxfp4; allowed: 32 (the OCP MX block)",
                       obj["group_size"].dump()));
    }
    l.group_size = kMxfp4GroupSize;
  }
  if (obj.contains("seed")) {
    const json& s = obj["seed"];
    if (!s.is_number_unsigned() && !(s.is_number_integer() && s.get<int64_t>() >= 0)) {
      fail(origin, path("seed"),
           fmt::format("{} is not allowed; allowed: an integer in [0, 18446744073709551615]",
                       s.dump()));
    }
    l.seed = obj["seed"].get<uint64_t>();
  }
  l.repeat = get_int(obj, "repeat", 1, 1 << 20, origin, path("repeat"), l.repeat);
  if (need_shape) {
    for (const char* key : {"n", "k"}) {
      if (!obj.contains(key) && !(key[0] == 'n' ? defaults.n : defaults.k)) {
        fail(origin, path(key),
             "is required (layer shape out_features n, in_features k); allowed: an integer in [1, "
             "1048576]");
      }
    }
  }
  return l;
}

constexpr int kMaxContext = 1 << 17;

// The `decoder` object, checked against the layers it turns into blocks.
DecoderSpec parse_decoder(const json& obj, const std::vector<LayerSpec>& layers,
                          const std::string& origin) {
  check_keys(obj, origin, "decoder",
             {"heads", "kv_heads", "head_dim", "context", "rope_theta", "norm_eps", "phase",
              "sub_norms", "ffn_activation"});
  DecoderSpec d;
  if (obj.contains("phase")) {
    const json& ph = obj.at("phase");
    if (!ph.is_string() ||
        (ph.get<std::string>() != "decode" && ph.get<std::string>() != "prefill")) {
      fail(origin, "decoder.phase",
           fmt::format("{} is not allowed; allowed: \"decode\", \"prefill\"", ph.dump()));
    }
    d.prefill = ph.get<std::string>() == "prefill";
    if (d.prefill && obj.contains("context")) {
      fail(origin, "decoder.context",
           "is not used with phase \"prefill\" (the prompt of m tokens is the context); allowed: "
           "omit it");
    }
  }
  if (obj.contains("sub_norms")) {
    const json& sn = obj.at("sub_norms");
    if (!sn.is_boolean()) {
      fail(origin, "decoder.sub_norms",
           fmt::format("{} is not allowed; allowed: true (BitNet b1.58's sub-layer norms), false",
                       sn.dump()));
    }
    d.sub_norms = sn.get<bool>();
  }
  if (obj.contains("ffn_activation")) {
    const json& fa = obj.at("ffn_activation");
    const bool relu2 = fa.is_string() && fa.get<std::string>() == "relu2";
    if (!relu2 && !(fa.is_string() && fa.get<std::string>() == "silu")) {
      fail(origin, "decoder.ffn_activation",
           fmt::format("{} is not allowed; allowed: \"silu\" (Llama, BitNet b1.58 3B), \"relu2\" "
                       "(squared ReLU, BitNet b1.58 2B4T)",
                       fa.dump()));
    }
    d.ffn_act = relu2 ? GateAct::kRelu2 : GateAct::kSilu;
  }
  for (const char* key : {"heads", "kv_heads", "head_dim"}) {
    if (!obj.contains(key)) {
      fail(origin, fmt::format("decoder.{}", key), "is required; allowed: an integer in [1, 4096]");
    }
  }
  d.heads = get_int(obj, "heads", 1, 4096, origin, "decoder.heads", 0);
  d.kv_heads = get_int(obj, "kv_heads", 1, 4096, origin, "decoder.kv_heads", 0);
  d.head_dim = get_int(obj, "head_dim", 2, 4096, origin, "decoder.head_dim", 0);
  d.context = get_int(obj, "context", 1, kMaxContext, origin, "decoder.context", d.context);
  for (const char* key : {"rope_theta", "norm_eps"}) {
    if (!obj.contains(key)) continue;
    const json& v = obj.at(key);
    if (!v.is_number() || !(v.get<double>() > 0) || v.get<double>() > 1e9) {
      fail(origin, fmt::format("decoder.{}", key),
           fmt::format("{} is not allowed; allowed: a number in (0, 1e9]", v.dump()));
    }
    (key[0] == 'r' ? d.rope_theta : d.norm_eps) = v.get<double>();
  }
  if (d.heads % d.kv_heads != 0) {
    fail(origin, "decoder.kv_heads",
         fmt::format("{} does not divide heads = {}; allowed: a divisor of heads", d.kv_heads,
                     d.heads));
  }
  if (d.head_dim % 2 != 0) {
    fail(origin, "decoder.head_dim",
         fmt::format("{} is odd; allowed: an even number (rotary pairs)", d.head_dim));
  }
  static const char* const kNames[7] = {"q_proj",    "k_proj",  "v_proj",   "o_proj",
                                        "gate_proj", "up_proj", "down_proj"};
  if (layers.size() != 7 && layers.size() != 8) {
    fail(origin, "decoder",
         fmt::format("needs the seven layers {} in that order, optionally then lm_head; the "
                     "workload has {} layers",
                     fmt::join(kNames, ", "), layers.size()));
  }
  const int h = layers[0].k, f = layers[4].n, q = d.heads * d.head_dim,
            kv = d.kv_heads * d.head_dim;
  const int want[7][2] = {{q, h}, {kv, h}, {kv, h}, {h, q}, {f, h}, {f, h}, {h, f}};
  for (size_t i = 0; i < 7; ++i) {
    const LayerSpec& l = layers[i];
    if (l.name != kNames[i] || l.n != want[i][0] || l.k != want[i][1] || l.m != layers[0].m ||
        l.repeat != layers[0].repeat || l.activation_format != layers[0].activation_format) {
      fail(origin, fmt::format("layers[{}]", i),
           fmt::format("'{}' ({} x {}, m {}, repeat {}) does not fit decoder blocks; allowed: {} "
                       "with n = {}, k = {} (heads {}, kv_heads {}, head_dim {}), the m, repeat "
                       "and activation_format of layers[0]",
                       l.name, l.n, l.k, l.m, l.repeat, kNames[i], want[i][0], want[i][1], d.heads,
                       d.kv_heads, d.head_dim));
    }
  }
  if (layers.size() == 8) {
    // The LM head after the final RMSNorm: hidden -> vocab, once per step (not per block), on
    // the rows that produce a token (decode: every sequence; prefill: the prompt's last row).
    const LayerSpec& l = layers[7];
    const int rows = d.prefill ? 1 : layers[0].m;
    if (l.name != "lm_head" || l.k != h || l.n < 2 || l.m != rows || l.repeat != 1 ||
        l.activation_format != layers[0].activation_format) {
      fail(origin, "layers[7]",
           fmt::format("'{}' ({} x {}, m {}, repeat {}) is not an LM head; allowed: lm_head with "
                       "k = {} (hidden), n = the vocabulary, m = {}, repeat 1 and the "
                       "activation_format of layers[0]",
                       l.name, l.n, l.k, l.m, l.repeat, h, rows));
    }
    d.vocab = l.n;
  }
  if (d.prefill) {
    if (layers[0].m > kMaxContext) {
      fail(origin, "defaults.m",
           fmt::format("{} prompt tokens is out of range for a prefill; allowed: [1, {}]",
                       layers[0].m, kMaxContext));
    }
    d.context = layers[0].m;
  }
  return d;
}

}  // namespace

const std::vector<std::string>& linear_only_not_modelled() {
  static const std::vector<std::string> v = {"attention score and context matmuls (QK^T, PV)",
                                             "softmax",
                                             "RMSNorm",
                                             "rotary embeddings",
                                             "SiLU and the gate product",
                                             "residual adds",
                                             "embedding and LM head"};
  return v;
}

void set_decoder_context(Workload& w, int context, const std::string& origin) {
  if (!w.decoder) {
    throw InputError(
        fmt::format("{}: --context: workload '{}' has no decoder section; allowed: a workload with "
                    "\"decoder\" (docs/decoder.md), e.g. llama2_7b_decode_w2a8",
                    origin, w.name));
  }
  if (w.decoder->prefill) {
    throw InputError(fmt::format(
        "{}: --context: workload '{}' is a prefill (its prompt is the context); allowed: --prompt "
        "P, or a decode workload",
        origin, w.name));
  }
  if (context < 1 || context > kMaxContext) {
    throw InputError(fmt::format("{}: --context: {} is out of range; allowed: [1, {}]", origin,
                                 context, kMaxContext));
  }
  w.decoder->context = context;
}

void set_decoder_prompt(Workload& w, int prompt, const std::string& origin) {
  if (!w.decoder || !w.decoder->prefill) {
    throw InputError(fmt::format(
        "{}: --prompt: workload '{}' is not a prefill; allowed: a workload with \"decoder\": "
        "{{\"phase\": \"prefill\"}} (docs/decoder.md), e.g. llama2_7b_prefill_w4a8",
        origin, w.name));
  }
  if (prompt < 1 || prompt > kMaxContext) {
    throw InputError(fmt::format("{}: --prompt: {} is out of range; allowed: [1, {}]", origin,
                                 prompt, kMaxContext));
  }
  for (size_t i = 0; i < w.layers.size() && i < 7; ++i) w.layers[i].m = prompt;
  w.decoder->context = prompt;
}

void set_decoder_blocks(Workload& w, int blocks, const std::string& origin) {
  if (!w.decoder) {
    throw InputError(fmt::format(
        "{}: --decoder-blocks: workload '{}' has no decoder section; allowed: a workload with "
        "\"decoder\" (docs/decoder.md)",
        origin, w.name));
  }
  const int all = w.decoder->model_blocks > 0 ? w.decoder->model_blocks : w.layers[0].repeat;
  if (blocks < 1 || blocks > all) {
    throw InputError(fmt::format("{}: --decoder-blocks: {} is out of range; allowed: [1, {}]",
                                 origin, blocks, all));
  }
  w.decoder->model_blocks = all;
  for (size_t i = 0; i < w.layers.size() && i < 7; ++i) w.layers[i].repeat = blocks;
}

const std::vector<std::string>& allowed_weight_formats() { return all_weight_format_names(); }

const std::vector<std::string>& allowed_activation_formats() { return activation_format_names(); }

// The `model` object: {"file": path, "blocks": "0-3", "layers": ["q_proj", ...]}.
static ModelSelection parse_model(const json& obj, const std::string& origin,
                                  const std::filesystem::path& base_dir) {
  check_keys(obj, origin, "model", {"file", "blocks", "layers"});
  ModelSelection sel;
  if (!obj.contains("file") || !obj["file"].is_string() || obj["file"].get<std::string>().empty()) {
    fail(origin, "model.file", "is required: a GGUF or safetensors file");
  }
  const std::filesystem::path file = obj["file"].get<std::string>();
  sel.file = (file.is_relative() && !base_dir.empty() ? base_dir / file : file).string();
  if (obj.contains("blocks")) {
    if (!obj["blocks"].is_string()) {
      fail(origin, "model.blocks", "must be a string of block indices and ranges, e.g. \"0,2-3\"");
    }
    sel.blocks = obj["blocks"].get<std::string>();
  }
  if (obj.contains("layers")) {
    if (!obj["layers"].is_array()) fail(origin, "model.layers", "must be an array of layer names");
    for (const json& l : obj["layers"]) {
      if (!l.is_string()) fail(origin, "model.layers", "must be an array of layer names");
      sel.layers.push_back(l.get<std::string>());
    }
  }
  return sel;
}

Workload workload_from_json(const json& doc, const std::string& origin,
                            const std::filesystem::path& base_dir) {
  check_keys(doc, origin, "",
             {"name", "description", "not_modelled", "defaults", "layers", "model", "decoder"});
  Workload w;
  w.origin = origin;
  if (!doc.contains("name") || !doc["name"].is_string()) {
    fail(origin, "name", "is missing or not a string; allowed: a string");
  }
  w.name = doc["name"].get<std::string>();
  if (doc.contains("description")) {
    if (!doc["description"].is_string())
      fail(origin, "description", "is not a string; allowed: a string");
    w.description = doc["description"].get<std::string>();
  }
  if (doc.contains("not_modelled")) {
    const json& nm = doc["not_modelled"];
    if (!nm.is_array())
      fail(origin, "not_modelled", "is not an array of strings; allowed: an array of strings");
    for (const auto& s : nm) {
      if (!s.is_string())
        fail(origin, "not_modelled", "is not an array of strings; allowed: an array of strings");
      w.not_modelled.push_back(s.get<std::string>());
    }
  }
  LayerSpec defaults;
  defaults.weight_format = "uint4";
  defaults.activation_format = "int8";
  defaults.distribution = "heavy_tailed";
  if (doc.contains("defaults")) {
    defaults = parse_layer(doc["defaults"], defaults, origin, "defaults", false);
  }
  if (doc.contains("model")) {
    if (doc.contains("decoder")) {
      fail(origin, "decoder", "is not supported with a model file yet; allowed: layers");
    }
    if (doc.contains("layers")) {
      fail(origin, "layers", "and model are exclusive: a model file gives the layers");
    }
    const ModelSelection sel = parse_model(doc["model"], origin, base_dir);
    Workload m = workload_from_model(sel, defaults, origin + ": model");
    m.name = w.name;
    if (!w.description.empty()) m.description = w.description + " -- " + m.description;
    if (doc.contains("not_modelled")) m.not_modelled = w.not_modelled;
    return m;
  }
  if (!doc.contains("layers") || !doc["layers"].is_array() || doc["layers"].empty()) {
    fail(origin, "layers",
         "is missing, empty or not an array; allowed: a non-empty array of layer objects (or a "
         "model file)");
  }
  std::set<std::string> names;
  const json& layers = doc["layers"];
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string where = fmt::format("layers[{}]", i);
    LayerSpec l = parse_layer(layers[i], defaults, origin, where, true);
    if (!layers[i].contains("seed")) l.seed = defaults.seed + i;  // distinct data per layer
    if (l.name.empty() || l.name == defaults.name) l.name = fmt::format("layer{}", i);
    if (!names.insert(l.name).second)
      fail(origin, where + ".name", "duplicate layer name " + l.name + "; allowed: distinct names");
    w.layers.push_back(l);
  }
  if (doc.contains("decoder")) w.decoder = parse_decoder(doc["decoder"], w.layers, origin);
  return w;
}

Workload load_workload(const std::filesystem::path& path) {
  json doc;
  try {
    doc = read_json_input(path);
  } catch (const JsonInputError& e) {
    throw InputError(e.what());
  }
  return workload_from_json(doc, path.string(), path.parent_path());
}

double workload_memory_bytes(const Workload& w) {
  double bytes = 0;
  for (const LayerSpec& l : w.layers) {
    const double m = l.m, n = l.n, k = l.k;
    bytes += 8 * n * k + 8 * m * k + 32 * m * n;
  }
  return bytes;
}

double machine_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 1e18;
}

void check_workload_memory(const Workload& w) {
  const double need = workload_memory_bytes(w), have = machine_memory_bytes();
  if (need <= have || w.layers.empty()) return;
  size_t big = 0;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const LayerSpec& a = w.layers[i];
    const LayerSpec& b = w.layers[big];
    if (double(a.n) * a.k + double(a.m) * (a.k + a.n) >
        double(b.n) * b.k + double(b.m) * (b.k + b.n))
      big = i;
  }
  const LayerSpec& l = w.layers[big];
  fail(w.origin.empty() ? w.name : w.origin, fmt::format("layers[{}].n/k", big),
       fmt::format("{} x {} x {} (m x n x k) and the other layers need about {:.1f} GiB; allowed: "
                   "shapes whose data fit the machine's {:.1f} GiB of memory",
                   l.m, l.n, l.k, need / (1u << 30), have / (1u << 30)));
}

std::filesystem::path workload_presets_dir() {
  const char* env = std::getenv("LOWBIT_WORKLOADS_DIR");
  return (env != nullptr && *env != '\0') ? env : LOWBIT_WORKLOADS_DIR;
}

std::vector<std::string> workload_presets() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(workload_presets_dir(), ec)) {
    if (entry.path().extension() == ".json" && !entry.is_directory(ec)) {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::filesystem::path resolve_workload(const std::string& name_or_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto is_file = [&](const fs::path& p) {
    return fs::exists(p, ec) && !fs::is_directory(p, ec);
  };
  const fs::path given(name_or_path);
  if (!name_or_path.empty() && is_file(given)) return given;
  // Only a bare name is looked up among the presets: a missing path stays an error.
  if (!name_or_path.empty() && !given.has_parent_path()) {
    fs::path preset = workload_presets_dir() / given;
    if (preset.extension() != ".json") preset += ".json";
    if (is_file(preset)) return preset;
  }
  const std::vector<std::string> presets = workload_presets();
  throw InputError(fmt::format(
      "{}: workload: no such file and no preset of that name; allowed: a workload file or a preset "
      "name: {}",
      name_or_path.empty() ? "\"\"" : name_or_path,
      presets.empty() ? fmt::format("none found in {}", workload_presets_dir().string())
                      : fmt::format("{}", fmt::join(presets, ", "))));
}

}  // namespace lowbit
