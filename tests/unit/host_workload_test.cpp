// Workload parsing: presets load with real shapes, names resolve to presets, bad input is one
// InputError line naming file and key.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "lowbit/error.h"
#include "lowbit/workload.h"

namespace lowbit {
namespace {

using nlohmann::json;

std::filesystem::path source_dir() {
  const char* dir = std::getenv("LOWBIT_SOURCE_DIR");
  return dir ? dir : LOWBIT_SOURCE_DIR_FALLBACK;
}

json minimal() {
  return json::parse(R"({"name": "t", "layers": [{"name": "a", "n": 8, "k": 16}]})");
}

std::string error_of(const json& doc) {
  try {
    workload_from_json(doc, "w.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(WorkloadParse, EveryPresetLoadsWithRealShapes) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "workloads")) {
    if (entry.path().extension() != ".json") continue;
    const Workload w = load_workload(entry.path());
    EXPECT_FALSE(w.layers.empty()) << entry.path();
    EXPECT_FALSE(w.not_modelled.empty()) << entry.path() << " must state what is not modelled";
    ++count;
  }
  EXPECT_GE(count, 3);
  const Workload l2 = load_workload(source_dir() / "workloads/llama2_7b_decode_w2a8.json");
  ASSERT_EQ(l2.layers.size(), 8u);  // seven per block, then the LM head
  EXPECT_EQ(l2.layers[4].name, "gate_proj");
  EXPECT_EQ(l2.layers[4].n, 11008);
  EXPECT_EQ(l2.layers[4].k, 4096);
  EXPECT_EQ(l2.layers[6].n, 4096);
  EXPECT_EQ(l2.layers[6].k, 11008);
  EXPECT_EQ(l2.layers[0].repeat, 32);
  const Workload l3 = load_workload(source_dir() / "workloads/llama3_8b_decode_w4a8.json");
  EXPECT_EQ(l3.layers[1].n, 1024);  // 8 KV heads x 128
}

// The seven linear layers of a decoder block, (n, k) each, in order q, k, v, o, gate, up, down;
// then, with a vocabulary, the LM head (once, on head_m rows).
void expect_block(const Workload& w, int hidden, int ffn, int kv, int m, int blocks, int vocab = 0,
                  int head_m = 1) {
  ASSERT_EQ(w.layers.size(), vocab > 0 ? 8u : 7u) << w.name;
  if (vocab > 0) {
    const LayerSpec& h = w.layers[7];
    EXPECT_EQ(h.name, "lm_head") << w.name;
    EXPECT_EQ(h.n, vocab) << w.name;
    EXPECT_EQ(h.k, hidden) << w.name;
    EXPECT_EQ(h.m, head_m) << w.name;
    EXPECT_EQ(h.repeat, 1) << w.name;
    ASSERT_TRUE(w.decoder.has_value()) << w.name;
    EXPECT_EQ(w.decoder->vocab, vocab) << w.name;
  }
  const std::vector<std::string> names = {"q_proj",    "k_proj",  "v_proj",   "o_proj",
                                          "gate_proj", "up_proj", "down_proj"};
  const int shapes[7][2] = {{hidden, hidden}, {kv, hidden},  {kv, hidden}, {hidden, hidden},
                            {ffn, hidden},    {ffn, hidden}, {hidden, ffn}};
  for (size_t i = 0; i < 7; ++i) {
    const LayerSpec& l = w.layers[i];
    EXPECT_EQ(l.name, names[i]) << w.name;
    EXPECT_EQ(l.n, shapes[i][0]) << w.name << " " << l.name;
    EXPECT_EQ(l.k, shapes[i][1]) << w.name << " " << l.name;
    EXPECT_EQ(l.m, m) << w.name << " " << l.name;
    EXPECT_EQ(l.repeat, blocks) << w.name << " " << l.name;
  }
}

TEST(WorkloadPresets, DecodeAndPrefillBlocksOfEveryModel) {
  // ../shared/FORMATS.md, "Real model shapes"; prefill M = 512 (docs/workloads.md says why).
  const auto load = [](const char* name) { return load_workload(resolve_workload(name)); };
  // Vocabularies: Llama-2 32000, Llama-3 128256 (the models' config.json).
  expect_block(load("llama2_7b_decode_w2a8"), 4096, 11008, 4096, 1, 32, 32000);
  expect_block(load("llama2_7b_decode_w4a16"), 4096, 11008, 4096, 1, 32, 32000);
  expect_block(load("llama2_7b_prefill_w4a8"), 4096, 11008, 4096, 512, 32, 32000);
  expect_block(load("llama3_8b_decode_w4a8"), 4096, 14336, 1024, 1, 32, 128256);
  expect_block(load("llama3_8b_prefill_w4a8"), 4096, 14336, 1024, 512, 32, 128256);
  expect_block(load("llama2_7b_decode_mxfp4"), 4096, 11008, 4096, 1, 32, 32000);
  expect_block(load("llama3_8b_decode_fp4"), 4096, 14336, 1024, 1, 32, 128256);
  // The FP4 presets (docs/fp-weights.md): mxfp4 in blocks of 32, fp4_e2m1 in groups of 128.
  EXPECT_EQ(load("llama2_7b_decode_mxfp4").layers[6].weight_format, "mxfp4");
  EXPECT_EQ(load("llama2_7b_decode_mxfp4").layers[6].group_size, 32);
  EXPECT_EQ(load("llama3_8b_decode_fp4").layers[6].weight_format, "fp4_e2m1");
  EXPECT_EQ(load("llama3_8b_decode_fp4").layers[6].group_size, 128);
  // BitNet b1.58 3B: whole blocks with its sub-layer norms, 32 heads of 100, vocabulary 32002.
  expect_block(load("bitnet_b158_3b_decode"), 3200, 8640, 3200, 1, 26, 32002);
  expect_block(load("bitnet_b158_3b_prefill"), 3200, 8640, 3200, 512, 26, 32002);
  for (const char* name : {"bitnet_b158_3b_decode", "bitnet_b158_3b_prefill"}) {
    const Workload b = load(name);
    EXPECT_TRUE(b.decoder->sub_norms) << name;
    EXPECT_EQ(b.decoder->head_dim, 100) << name;
    EXPECT_EQ(b.layers[0].weight_format, "ternary") << name;
    for (const std::string& nm : b.not_modelled) EXPECT_EQ(nm.find("softmax"), std::string::npos);
  }
  EXPECT_TRUE(load("bitnet_b158_3b_prefill").decoder->prefill);
  EXPECT_FALSE(load("llama2_7b_decode_w2a8").decoder->sub_norms);
  // BitNet b1.58 2B4T: sub-layer norms, squared ReLU, 20 heads / 5 KV heads of 128, Llama-3's
  // vocabulary (microsoft/bitnet-b1.58-2B-4T config.json).
  const Workload b2 = load("bitnet_b158_2b4t_decode");
  expect_block(b2, 2560, 6912, 640, 1, 30, 128256);
  EXPECT_TRUE(b2.decoder->sub_norms);
  EXPECT_EQ(b2.decoder->ffn_act, GateAct::kRelu2);
  EXPECT_EQ(b2.decoder->heads, 20);
  EXPECT_EQ(b2.decoder->kv_heads, 5);
  EXPECT_EQ(b2.layers[0].weight_format, "ternary");
  EXPECT_EQ(load("bitnet_b158_3b_decode").decoder->ffn_act, GateAct::kSilu);
}

TEST(WorkloadPresets, ListIsTheWorkloadsFolderSorted) {
  const std::vector<std::string> presets = workload_presets();
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "workloads")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().stem().string());
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(presets, files);
  EXPECT_TRUE(std::is_sorted(presets.begin(), presets.end()));
  EXPECT_NE(std::find(presets.begin(), presets.end(), "llama2_7b_prefill_w4a8"), presets.end());
}

TEST(WorkloadResolve, PathThenPresetNameElseOneLineError) {
  // An existing file is used as given.
  const auto file = std::filesystem::temp_directory_path() / "lowbit_resolve_test.json";
  { std::ofstream(file) << minimal().dump(); }
  EXPECT_EQ(resolve_workload(file.string()), file);
  std::filesystem::remove(file);
  // A bare name is a preset, with or without ".json".
  const auto preset = resolve_workload("llama3_8b_decode_w4a8");
  EXPECT_EQ(preset.filename(), "llama3_8b_decode_w4a8.json");
  EXPECT_TRUE(
      std::filesystem::equivalent(preset, source_dir() / "workloads/llama3_8b_decode_w4a8.json"));
  EXPECT_EQ(resolve_workload("llama3_8b_decode_w4a8.json"), preset);
  // Unknown name: one line naming the input and listing the presets.
  std::string e;
  try {
    resolve_workload("llama9_decode");
  } catch (const InputError& err) {
    e = err.what();
  }
  EXPECT_EQ(e.rfind("llama9_decode: workload: no such file and no preset of that name", 0), 0u)
      << e;
  EXPECT_NE(e.find("bitnet_b158_3b_decode, bitnet_b158_3b_prefill, llama2_7b_decode_bitmod_w3, "
                   "llama2_7b_decode_bitmod_w4, llama2_7b_decode_mxfp4, llama2_7b_decode_w2a8"),
            std::string::npos)
      << e;
  EXPECT_EQ(e.find('\n'), std::string::npos);
  // A missing path is never looked up among the presets, even when its file name is one.
  EXPECT_THROW(resolve_workload("/nonexistent/llama3_8b_decode_w4a8.json"), InputError);
  EXPECT_THROW(resolve_workload(""), InputError);
  EXPECT_THROW(resolve_workload("workloads_that_are_not_here/"), InputError);
}

TEST(WorkloadResolve, PresetsFolderFromEnvironment) {
  const auto dir = std::filesystem::temp_directory_path() / "lowbit_presets_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "mine.json") << minimal().dump();
    std::ofstream(dir / "notes.txt") << "not a preset";
  }
  setenv("LOWBIT_WORKLOADS_DIR", dir.c_str(), 1);
  EXPECT_EQ(workload_presets(), std::vector<std::string>{"mine"});
  EXPECT_EQ(resolve_workload("mine"), dir / "mine.json");
  EXPECT_THROW(resolve_workload("llama2_7b_decode_w2a8"), InputError);
  setenv("LOWBIT_WORKLOADS_DIR", (dir / "missing").c_str(), 1);
  EXPECT_TRUE(workload_presets().empty());
  try {
    resolve_workload("mine");
    ADD_FAILURE() << "no preset folder, yet 'mine' resolved";
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("none found in"), std::string::npos) << err.what();
  }
  unsetenv("LOWBIT_WORKLOADS_DIR");
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(workload_presets().empty());
}

TEST(WorkloadParse, DefaultsApplyAndLayersOverride) {
  json doc = minimal();
  doc["defaults"] = {{"weight_format", "int3"}, {"group_size", 64}, {"seed", 10}};
  doc["layers"].push_back({{"name", "b"}, {"n", 4}, {"k", 4}, {"weight_format", "binary"}});
  const Workload w = workload_from_json(doc, "w.json");
  EXPECT_EQ(w.layers[0].weight_format, "int3");
  EXPECT_EQ(w.layers[0].group_size, 64);
  EXPECT_EQ(w.layers[0].seed, 10u);
  EXPECT_EQ(w.layers[1].weight_format, "binary");
  EXPECT_EQ(w.layers[1].seed, 11u);  // distinct data per layer
}

TEST(WorkloadParse, UnknownKeyNamesFileKeyAndAllowed) {
  json doc = minimal();
  doc["layers"][0]["bits"] = 4;
  const std::string e = error_of(doc);
  EXPECT_NE(e.find("w.json: layers[0].bits: unknown key; allowed: name"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos);
}

TEST(WorkloadParse, OutOfRangeAndBadChoicesAreErrors) {
  json doc = minimal();
  doc["layers"][0]["k"] = 0;
  EXPECT_NE(error_of(doc).find("layers[0].k: 0 is out of range"), std::string::npos);
  doc = minimal();
  doc["layers"][0]["group_size"] = 48;
  EXPECT_NE(error_of(doc).find("allowed: 32, 64, 128"), std::string::npos);
  doc = minimal();
  doc["layers"][0]["weight_format"] = "int9";
  EXPECT_NE(error_of(doc).find("\"int9\" is not allowed; allowed: binary"), std::string::npos);
  doc = minimal();
  doc["layers"][0].erase("n");
  EXPECT_NE(error_of(doc).find("layers[0].n: is required"), std::string::npos);
  doc = minimal();
  doc["layers"] = json::array();
  EXPECT_NE(
      error_of(doc).find("layers: is missing, empty or not an array; allowed: a non-empty array"),
      std::string::npos);
}

TEST(WorkloadParse, MalformedFileIsInputError) {
  const auto path = std::filesystem::temp_directory_path() / "lowbit_bad_workload.json";
  { std::ofstream(path) << "{\"name\": \"x\", \"layers\": ["; }
  EXPECT_THROW(load_workload(path), InputError);
  std::filesystem::remove(path);
  EXPECT_THROW(load_workload("/nonexistent/w.json"), InputError);
}

}  // namespace
}  // namespace lowbit

namespace lowbit {
namespace {

std::string error_of_text(const std::string& text) {
  try {
    workload_from_json(nlohmann::json::parse(text), "w.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Issue 16: 2^64-1 was reported as "-1 is out of range", and a seed of 2^64-1 was refused.
TEST(WorkloadParse, BigUnsignedValuesAreReportedAsGiven) {
  const std::string e =
      error_of_text(R"({"name": "w", "layers": [{"n": 8, "k": 8, "m": 18446744073709551615}]})");
  EXPECT_NE(e.find("layers[0].m: 18446744073709551615 is out of range; allowed: [1, 65536]"),
            std::string::npos)
      << e;
  const Workload w = workload_from_json(
      nlohmann::json::parse(
          R"({"name": "w", "layers": [{"n": 8, "k": 8, "seed": 18446744073709551615}]})"),
      "w.json");
  EXPECT_EQ(w.layers[0].seed, 18446744073709551615ull);
  EXPECT_NE(error_of_text(R"({"name": "w", "layers": [{"n": 8, "k": 8, "seed": -1}]})")
                .find("layers[0].seed: -1 is not allowed; allowed: an integer in [0, "),
            std::string::npos);
}

// Issue 16: a layer named ../escape or /abs made --dump write outside the dump folder.
TEST(WorkloadParse, LayerNamesCannotLeaveTheDumpFolder) {
  for (const char* name : {"../escape", "/tmp/abs", ".hidden", "a/b", ""}) {
    const std::string e = error_of_text(
        std::string(R"({"name": "w", "layers": [{"n": 8, "k": 8, "name": ")") + name + "\"}]}");
    EXPECT_NE(e.find("w.json: layers[0].name:"), std::string::npos) << name << " -> " << e;
    EXPECT_NE(e.find("allowed: 1 to 128 characters of [A-Za-z0-9_.-]"), std::string::npos) << e;
  }
}

// Issue 16: --n 1048576 --k 1048576 (in range) ended in std::bad_alloc.
TEST(WorkloadParse, ShapesThatExceedTheMachinesMemoryAreRefused) {
  Workload w = workload_from_json(
      nlohmann::json::parse(R"({"name": "w", "layers": [{"n": 1048576, "k": 1048576}]})"),
      "w.json");
  try {
    check_workload_memory(w);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("w.json: layers[0].n/k: 1 x 1048576 x 1048576"), std::string::npos) << msg;
    EXPECT_NE(msg.find("allowed: shapes whose data fit the machine's"), std::string::npos) << msg;
  }
  w.layers[0].n = w.layers[0].k = 4096;
  EXPECT_NO_THROW(check_workload_memory(w));
}

}  // namespace
}  // namespace lowbit

namespace lowbit {
namespace {

json decoder_doc() {
  json layers = json::array();
  const int shapes[7][2] = {{64, 64},  {32, 64},  {32, 64}, {64, 64},
                            {160, 64}, {160, 64}, {64, 160}};
  const char* names[7] = {"q_proj",    "k_proj",  "v_proj",   "o_proj",
                          "gate_proj", "up_proj", "down_proj"};
  for (int i = 0; i < 7; ++i)
    layers.push_back({{"name", names[i]}, {"n", shapes[i][0]}, {"k", shapes[i][1]}});
  return {{"name", "d"},
          {"decoder", {{"heads", 4}, {"kv_heads", 2}, {"head_dim", 16}, {"context", 100}}},
          {"defaults", {{"repeat", 3}}},
          {"layers", layers}};
}

TEST(WorkloadDecoder, ParsesAndChecksTheBlocksShapes) {
  const Workload w = workload_from_json(decoder_doc(), "d.json");
  ASSERT_TRUE(w.decoder.has_value());
  EXPECT_EQ(w.decoder->heads, 4);
  EXPECT_EQ(w.decoder->kv_heads, 2);
  EXPECT_EQ(w.decoder->context, 100);
  EXPECT_EQ(w.decoder->rope_theta, 10000.0);
  json d = decoder_doc();
  d["decoder"]["kv_heads"] = 3;
  EXPECT_NE(error_of(d).find("decoder.kv_heads: 3 does not divide heads = 4"), std::string::npos);
  d = decoder_doc();
  d["layers"][1]["n"] = 64;
  EXPECT_NE(error_of(d).find("layers[1]: 'k_proj' (64 x 64"), std::string::npos) << error_of(d);
  d = decoder_doc();
  d["layers"].erase(6);
  EXPECT_NE(error_of(d).find("decoder: needs the seven layers"), std::string::npos);
  d = decoder_doc();
  d["decoder"].erase("head_dim");
  EXPECT_NE(error_of(d).find("decoder.head_dim: is required"), std::string::npos);
  d = decoder_doc();
  d["decoder"]["window"] = 3;
  EXPECT_NE(error_of(d).find("decoder.window: unknown key"), std::string::npos);
  d = decoder_doc();
  d["decoder"]["context"] = 0;
  EXPECT_NE(error_of(d).find("decoder.context: 0 is out of range"), std::string::npos);
  d = decoder_doc();
  d["decoder"]["sub_norms"] = "yes";
  EXPECT_NE(error_of(d).find("decoder.sub_norms: \"yes\" is not allowed; allowed: true"),
            std::string::npos)
      << error_of(d);
  d["decoder"]["sub_norms"] = true;
  EXPECT_TRUE(workload_from_json(d, "d.json").decoder->sub_norms);
  for (const nlohmann::json& bad : {nlohmann::json("gelu"), nlohmann::json(1)}) {
    d["decoder"]["ffn_activation"] = bad;
    EXPECT_NE(error_of(d).find("decoder.ffn_activation: " + bad.dump() +
                               " is not allowed; allowed: \"silu\""),
              std::string::npos)
        << error_of(d);
  }
  d["decoder"]["ffn_activation"] = "relu2";
  EXPECT_EQ(workload_from_json(d, "d.json").decoder->ffn_act, GateAct::kRelu2);
  d["decoder"].erase("ffn_activation");
  EXPECT_EQ(workload_from_json(d, "d.json").decoder->ffn_act, GateAct::kSilu);
}

TEST(WorkloadDecoder, ContextOverrideAndThePresets) {
  Workload w = workload_from_json(decoder_doc(), "d.json");
  set_decoder_context(w, 4096, "cli");
  EXPECT_EQ(w.decoder->context, 4096);
  EXPECT_THROW(set_decoder_context(w, 0, "cli"), InputError);
  Workload plain = load_workload(source_dir() / "workloads/llama2_7b_decode_bitmod_w4.json");
  EXPECT_THROW(set_decoder_context(plain, 64, "cli"), InputError);
  const Workload l2 = load_workload(source_dir() / "workloads/llama2_7b_decode_w2a8.json");
  ASSERT_TRUE(l2.decoder.has_value());
  EXPECT_EQ(l2.decoder->kv_heads, 32);
  EXPECT_EQ(l2.decoder->context, 2048);
  const Workload l3 = load_workload(source_dir() / "workloads/llama3_8b_decode_w4a8.json");
  ASSERT_TRUE(l3.decoder.has_value());
  EXPECT_EQ(l3.decoder->kv_heads, 8);  // grouped-query attention
  EXPECT_EQ(l3.decoder->rope_theta, 500000.0);
  for (const std::string& nm : l2.not_modelled) {
    EXPECT_EQ(nm.find("softmax"), std::string::npos) << nm;
    EXPECT_EQ(nm.find("RMSNorm"), std::string::npos) << nm;
  }
}

TEST(WorkloadDecoder, PrefillPhasePromptAndBlockCut) {
  json d = decoder_doc();
  d["decoder"].erase("context");
  d["decoder"]["phase"] = "prefill";
  Workload w = workload_from_json(d, "d.json");
  ASSERT_TRUE(w.decoder.has_value());
  EXPECT_TRUE(w.decoder->prefill);
  EXPECT_EQ(w.decoder->context, w.layers[0].m);  // the prompt is the context
  set_decoder_prompt(w, 40, "cli");
  for (const LayerSpec& l : w.layers) EXPECT_EQ(l.m, 40);
  EXPECT_EQ(w.decoder->context, 40);
  EXPECT_THROW(set_decoder_prompt(w, 0, "cli"), InputError);
  EXPECT_THROW(set_decoder_context(w, 64, "cli"), InputError);
  const int all = w.layers[0].repeat;
  set_decoder_blocks(w, 1, "cli");
  EXPECT_EQ(w.layers[6].repeat, 1);
  EXPECT_EQ(w.decoder->model_blocks, all);
  EXPECT_THROW(set_decoder_blocks(w, all + 1, "cli"), InputError);
  set_decoder_blocks(w, all, "cli");  // the model's count stays the bound
  EXPECT_EQ(w.layers[0].repeat, all);
  d["decoder"]["context"] = 8;
  EXPECT_NE(error_of(d).find("decoder.context: is not used with phase \"prefill\""),
            std::string::npos);
  d["decoder"].erase("context");
  d["decoder"]["phase"] = "chunked";
  EXPECT_NE(error_of(d).find("decoder.phase: \"chunked\" is not allowed; allowed: \"decode\", "
                             "\"prefill\""),
            std::string::npos);
  Workload dec = workload_from_json(decoder_doc(), "d.json");
  EXPECT_THROW(set_decoder_prompt(dec, 8, "cli"), InputError);
  // An LM head: once, on the last prompt row (prefill) or every sequence (decode).
  d = decoder_doc();
  d["decoder"].erase("context");
  d["decoder"]["phase"] = "prefill";
  d["layers"].push_back({{"name", "lm_head"}, {"n", 300}, {"k", 64}, {"m", 1}, {"repeat", 1}});
  Workload head = workload_from_json(d, "d.json");
  EXPECT_EQ(head.decoder->vocab, 300);
  set_decoder_prompt(head, 30, "cli");
  set_decoder_blocks(head, 1, "cli");
  EXPECT_EQ(head.layers[7].m, 1);
  EXPECT_EQ(head.layers[7].repeat, 1);
  d["layers"][7]["m"] = 2;
  EXPECT_NE(error_of(d).find("layers[7]: 'lm_head' (300 x 64, m 2, repeat 1) is not an LM head"),
            std::string::npos);
  d["layers"][7]["m"] = 1;
  d["layers"][7]["name"] = "head";
  EXPECT_NE(error_of(d).find("is not an LM head"), std::string::npos);
  Workload plain = load_workload(source_dir() / "workloads/llama2_7b_decode_bitmod_w4.json");
  EXPECT_THROW(set_decoder_blocks(plain, 1, "cli"), InputError);
  for (const char* name : {"llama2_7b_prefill_w4a8", "llama3_8b_prefill_w4a8"}) {
    const Workload p = load_workload(source_dir() / "workloads" / (std::string(name) + ".json"));
    ASSERT_TRUE(p.decoder.has_value()) << name;
    EXPECT_TRUE(p.decoder->prefill) << name;
    EXPECT_EQ(p.decoder->context, 512) << name;
    for (const std::string& nm : p.not_modelled) EXPECT_EQ(nm.find("softmax"), std::string::npos);
  }
}

}  // namespace
}  // namespace lowbit
