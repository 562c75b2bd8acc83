// Writes the smoke test's model files (tiny GGUF and safetensors models, broken variants) and the
// weights lowbit must read from them as .npy, named like `lowbit run --dump` names its files.
// usage: write_model_files <out dir> <weight format for float tensors> <group size>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "lowbit/gguf_file.h"
#include "lowbit/npy.h"
#include "model/quant/group_quant.h"
#include "model/quant/weight_format.h"
#include "tests/lib/test_seed.h"
#include "tests/lib/tiny_model.h"

namespace fs = std::filesystem;
using namespace lowbit;

namespace {

const char* kRoles[7] = {"q_proj",    "k_proj",  "v_proj",   "o_proj",
                         "gate_proj", "up_proj", "down_proj"};

// The weights lowbit must use for each written tensor: exact types as written, float tensors
// quantized by lowbit's quantizer to (format, group).
void write_expected(const fs::path& dir, const std::vector<test::WrittenTensor>& tensors,
                    const std::string& format, int group) {
  fs::create_directories(dir);
  for (size_t i = 0; i < tensors.size(); ++i) {
    const auto& t = tensors[i];
    const QuantizedWeights q =
        t.floats.empty() ? t.exact
                         : quantize_weights(t.floats, t.n, t.k, parse_weight_format(format), group);
    const std::string p = fmt::format("blk{}.{}_", i / 7, kRoles[i % 7]);
    const size_t n = static_cast<size_t>(q.n), g = static_cast<size_t>(q.groups());
    write_npy<uint8_t>(dir / (p + "W_codes.npy"), q.codes, {n, static_cast<size_t>(q.k)});
    write_npy_fp16(dir / (p + "W_scales.npy"), q.scales, {n, g});
    write_npy<uint8_t>(dir / (p + "W_zeros.npy"), q.zeros, {n, g});
  }
}

void write_bytes(const fs::path& path, const std::vector<uint8_t>& b) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    fmt::print(stderr, "usage: write_model_files <out dir> <float weight format> <group size>\n");
    return 2;
  }
  const fs::path out = argv[1];
  const std::string format = argv[2];
  const int group = std::atoi(argv[3]);
  const uint64_t seed = test::test_seed("write_model_files", 20261203);
  fs::create_directories(out);

  // GGUF in llama.cpp naming: Q4_0, Q8_0, TQ2_0, F16, TQ1_0, Q5_0, Q4_0 for q..down.
  const std::array<uint32_t, 7> types = {test::kGgmlQ4_0, test::kGgmlQ8_0,  test::kGgmlTQ2_0,
                                         test::kGgmlF16,  test::kGgmlTQ1_0, test::kGgmlQ5_0,
                                         test::kGgmlQ4_0};
  test::GgufWriter gw;
  const auto gguf = test::tiny_gguf(gw, seed, types);
  const auto gguf_bytes = gw.bytes();
  write_bytes(out / "tiny.gguf", gguf_bytes);
  write_expected(out / "expect_gguf", gguf, format, group);

  // Broken variants: truncated, a TQ2_0 code 3, a K-quant.
  write_bytes(out / "truncated.gguf",
              std::vector<uint8_t>(gguf_bytes.begin(), gguf_bytes.end() - 100));
  {
    auto b = gguf_bytes;
    const GgufFile g = GgufFile::parse(b, "tiny.gguf");
    const GgufTensor* v = g.tensor("blk.1.attn_v.weight");
    b[g.data_offset + v->offset] = 0xFF;  // first qs byte: four codes 3
    write_bytes(out / "tq2_code3.gguf", b);
  }
  {
    auto kq = types;
    kq[6] = test::kGgmlQ4_K;
    test::GgufWriter w;
    test::tiny_gguf(w, seed, kq);
    write_bytes(out / "kquant.gguf", w.bytes());
  }

  // safetensors with FP16 tensors in Hugging Face naming, config.json beside it.
  fs::create_directories(out / "hf");
  test::SafetensorsWriter sw;
  std::string config;
  test::TinyShape s;
  s.hidden = 128;
  s.ffn = 256;
  s.heads = 4;
  s.kv_heads = 4;
  const auto st = test::tiny_safetensors(sw, config, seed + 1, test::kGgmlF16, s);
  sw.set_metadata("format", "pt");
  sw.write((out / "hf" / "model.safetensors").string());
  std::ofstream(out / "hf" / "config.json") << config;
  write_expected(out / "expect_st", st, format, group);
  fs::create_directories(out / "hf_noconfig");
  sw.write((out / "hf_noconfig" / "model.safetensors").string());
  return 0;
}
