// Model-file readers (GGUF, safetensors) on files the tests write from the specs: every metadata
// type, every exactly mapped ggml type read back code for code, float tensors value for value,
// truncated and corrupted files as one InputError line, and workloads built from a file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "lowbit/error.h"
#include "lowbit/ggml_decode.h"
#include "lowbit/ggml_types.h"
#include "lowbit/gguf_file.h"
#include "lowbit/golden_run.h"
#include "lowbit/model_file.h"
#include "lowbit/model_workload.h"
#include "lowbit/safetensors_file.h"
#include "model/quant/synth.h"
#include "tests/lib/test_seed.h"
#include "tests/lib/tiny_model.h"

namespace lowbit {
namespace {

using test::GgufWriter;
using test::SafetensorsWriter;

uint64_t test_seed(const char* name) { return test::test_seed(name, 20261203); }

// A fresh folder per test under the temp dir.
std::filesystem::path temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("lowbit_model_file_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

template <typename F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void expect_one_line_error(const std::string& msg, const std::string& origin,
                           const std::string& needle) {
  EXPECT_FALSE(msg.empty()) << "expected an InputError containing " << needle;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  EXPECT_EQ(msg.rfind(origin, 0), 0u) << msg;
  EXPECT_NE(msg.find(needle), std::string::npos) << msg;
}

constexpr std::array<uint32_t, 7> kMixedTypes = {
    test::kGgmlQ4_0,  test::kGgmlQ8_0, test::kGgmlTQ2_0, test::kGgmlF16,
    test::kGgmlTQ1_0, test::kGgmlQ5_0, test::kGgmlQ4_0};

TEST(Gguf, EveryMetadataTypeReadsBack) {
  GgufWriter w;
  w.add_kv("u8", GgufWriter::kU8, GgufWriter::scalar<uint8_t>(200));
  w.add_kv("i8", GgufWriter::kI8, GgufWriter::scalar<int8_t>(-100));
  w.add_kv("u16", GgufWriter::kU16, GgufWriter::scalar<uint16_t>(60000));
  w.add_kv("i16", GgufWriter::kI16, GgufWriter::scalar<int16_t>(-30000));
  w.add_kv("u32", GgufWriter::kU32, GgufWriter::scalar<uint32_t>(4000000000u));
  w.add_kv("i32", GgufWriter::kI32, GgufWriter::scalar<int32_t>(-2000000000));
  w.add_kv("f32", GgufWriter::kF32, GgufWriter::scalar<float>(1.5f));
  w.add_kv("bool", GgufWriter::kBool, GgufWriter::scalar<uint8_t>(1));
  w.add_kv("str", GgufWriter::kString, GgufWriter::str("hello"));
  w.add_kv("u64", GgufWriter::kU64, GgufWriter::scalar<uint64_t>(1ull << 60));
  w.add_kv("i64", GgufWriter::kI64, GgufWriter::scalar<int64_t>(-(1ll << 60)));
  w.add_kv("f64", GgufWriter::kF64, GgufWriter::scalar<double>(-2.25));
  w.add_kv("arr_i32", GgufWriter::kArray,
           GgufWriter::array(GgufWriter::kI32,
                             {GgufWriter::scalar<int32_t>(7), GgufWriter::scalar<int32_t>(-7)}));
  w.add_kv("arr_str", GgufWriter::kArray,
           GgufWriter::array(GgufWriter::kString, {GgufWriter::str("a"), GgufWriter::str("bc")}));
  w.add_kv("arr_arr", GgufWriter::kArray,
           GgufWriter::array(GgufWriter::kArray,
                             {GgufWriter::array(GgufWriter::kF32, {GgufWriter::scalar(0.5f)})}));
  w.add_kv("arr_empty", GgufWriter::kArray, GgufWriter::array(GgufWriter::kU8, {}));
  const auto bytes = w.bytes();
  const GgufFile g = GgufFile::parse(bytes, "m.gguf");
  EXPECT_EQ(g.version, 3u);
  ASSERT_EQ(g.metadata.size(), 16u);
  EXPECT_EQ(g.find("u8")->u, 200u);
  EXPECT_EQ(g.find("i8")->i, -100);
  EXPECT_EQ(g.find("u16")->u, 60000u);
  EXPECT_EQ(g.find("i16")->i, -30000);
  EXPECT_EQ(g.find("u32")->u, 4000000000u);
  EXPECT_EQ(g.find("i32")->i, -2000000000);
  EXPECT_EQ(g.find("f32")->f, 1.5);
  EXPECT_EQ(g.find("bool")->u, 1u);
  EXPECT_EQ(g.find("str")->s, "hello");
  EXPECT_EQ(g.find("u64")->u, 1ull << 60);
  EXPECT_EQ(g.find("i64")->i, -(1ll << 60));
  EXPECT_EQ(g.find("f64")->f, -2.25);
  const GgufValue* a = g.find("arr_i32");
  ASSERT_EQ(a->type, GgufValueType::kArray);
  EXPECT_EQ(a->item_type, GgufValueType::kInt32);
  ASSERT_EQ(a->items.size(), 2u);
  EXPECT_EQ(a->items[1].i, -7);
  EXPECT_EQ(g.find("arr_str")->items[1].s, "bc");
  EXPECT_EQ(g.find("arr_arr")->items[0].items[0].f, 0.5);
  EXPECT_EQ(g.find("arr_empty")->count, 0u);
  EXPECT_EQ(g.find("i8")->as_count(), std::nullopt);
  EXPECT_EQ(g.find("u16")->as_count(), 60000u);
  EXPECT_TRUE(g.tensors.empty());
}

TEST(Gguf, ExactTypesReadBackCodeForCodeAtEveryAlignment) {
  const uint64_t seed = test_seed("Gguf.ExactTypes");
  for (uint32_t alignment : {32u, 64u, 256u}) {
    GgufWriter w;
    if (alignment != 32) w.set_alignment(alignment);
    const auto written = test::tiny_gguf(w, seed, kMixedTypes);
    const auto bytes = w.bytes();
    const GgufFile g = GgufFile::parse(bytes, "m.gguf");
    EXPECT_EQ(g.alignment, alignment);
    EXPECT_EQ(g.data_offset % alignment, 0u);
    for (const auto& t : written) {
      const GgufTensor* gt = g.tensor(t.name);
      ASSERT_NE(gt, nullptr) << t.name;
      EXPECT_EQ(gt->type, t.type);
      EXPECT_EQ(gt->offset % alignment, 0u);
      if (ggml_mapping(t.type) == GgmlMapping::kExact) {
        const QuantizedWeights q = decode_ggml_exact(*gt, "m.gguf");
        EXPECT_EQ(q.kind, t.exact.kind) << t.name;
        EXPECT_EQ(q.bits, t.exact.bits) << t.name;
        EXPECT_EQ(q.group_size, t.exact.group_size) << t.name;
        EXPECT_EQ(q.codes, t.exact.codes) << t.name;
        EXPECT_EQ(q.scales, t.exact.scales) << t.name;
        EXPECT_EQ(q.zeros, t.exact.zeros) << t.name;
      } else {
        EXPECT_EQ(decode_ggml_floats(*gt, "m.gguf"), t.floats) << t.name;
      }
    }
  }
}

// Known answers worked out by hand from the block layouts (ggml-common.h, ggml-quants.c), so an
// encoder and decoder that agree with each other but not with ggml would still fail here.
QuantizedWeights decode_block(uint32_t type, uint64_t ne0, std::vector<uint8_t> block) {
  GgufTensor t;
  t.name = "kat";
  t.type = type;
  t.dims = {ne0, 1};
  t.elements = ne0;
  t.data = block;
  return decode_ggml_exact(t, "kat.gguf");
}

TEST(Gguf, BlockLayoutsGiveTheKnownAnswers) {
  std::vector<uint8_t> b(18, 0x88);  // Q4_0: d = 1.0 (0x3C00), qs[0] = 0xA1
  b[0] = 0x00, b[1] = 0x3C, b[2] = 0xA1;
  QuantizedWeights q = decode_block(test::kGgmlQ4_0, 32, b);
  EXPECT_EQ(q.scales[0], 0x3C00);
  EXPECT_EQ(q.codes[0], 1);    // low nibble: weight 0
  EXPECT_EQ(q.codes[16], 10);  // high nibble: weight 16
  EXPECT_EQ(q.codes[1], 8);
  EXPECT_EQ(q.zeros[0], 8);

  b.assign(22, 0);  // Q5_0: qh = bits 0 and 16, qs[0] = 0x21
  b[1] = 0x3C, b[2] = 0x01, b[4] = 0x01, b[6] = 0x21;
  q = decode_block(test::kGgmlQ5_0, 32, b);
  EXPECT_EQ(q.codes[0], 17);
  EXPECT_EQ(q.codes[16], 18);
  EXPECT_EQ(q.codes[1], 0);
  EXPECT_EQ(q.zeros[0], 16);

  b.assign(34, 0);  // Q8_0: -128, 127, 0 -> offset-binary codes 0, 255, 128
  b[2] = 0x80, b[3] = 0x7F;
  q = decode_block(test::kGgmlQ8_0, 32, b);
  EXPECT_EQ(q.codes[0], 0);
  EXPECT_EQ(q.codes[1], 255);
  EXPECT_EQ(q.codes[2], 128);

  b.assign(66, 0);  // TQ2_0: qs[0] = 0b10'01'00'10 -> weights 0, 32, 64, 96; qs[32] -> 128
  b[0] = 0x92, b[32] = 0x01, b[65] = 0x3C;
  q = decode_block(test::kGgmlTQ2_0, 256, b);
  EXPECT_EQ(q.codes[0], 2);
  EXPECT_EQ(q.codes[32], 0);
  EXPECT_EQ(q.codes[64], 1);
  EXPECT_EQ(q.codes[96], 2);
  EXPECT_EQ(q.codes[128], 1);
  EXPECT_EQ(q.scales[0], 0x3C00);
  EXPECT_EQ(q.scales[1], 0x3C00);  // the block's d in both groups of 128

  // TQ1_0: qs[0] = 255 holds digits 2,2,2,2,2 (q = 242, ceil(242 * 256 / 243) = 255) for weights
  // 0, 32, 64, 96, 128; qs[1] = 86 = ceil(81 * 256 / 243) holds 1,0,0,0,0 for weights 1, 33, ...;
  // qs[32] = 86 holds 1 for weight 160; qh[0] = 29 = ceil(27 * 256 / 243) holds 0,1,0,0 (then the
  // fifth digit 0) for weights 240, 244, 248, 252.
  b.assign(54, 0);
  b[0] = 255, b[1] = 86, b[32] = 86, b[48] = 29;
  q = decode_block(test::kGgmlTQ1_0, 256, b);
  for (int w : {0, 32, 64, 96, 128}) EXPECT_EQ(q.codes[w], 2) << w;
  EXPECT_EQ(q.codes[1], 1);
  EXPECT_EQ(q.codes[33], 0);
  EXPECT_EQ(q.codes[160], 1);
  EXPECT_EQ(q.codes[176], 0);
  EXPECT_EQ(q.codes[240], 0);
  EXPECT_EQ(q.codes[244], 1);
  EXPECT_EQ(q.codes[248], 0);
  EXPECT_EQ(q.codes[2], 0);
}

TEST(Gguf, FloatTypesReadBackValueForValue) {
  const uint64_t seed = test_seed("Gguf.FloatTypes");
  GgufWriter w;
  const auto written =
      test::tiny_gguf(w, seed,
                      {test::kGgmlF32, test::kGgmlF16, test::kGgmlBF16, test::kGgmlF32,
                       test::kGgmlF16, test::kGgmlBF16, test::kGgmlF16});
  const auto bytes = w.bytes();
  const GgufFile g = GgufFile::parse(bytes, "m.gguf");
  for (const auto& t : written) {
    EXPECT_EQ(decode_ggml_floats(*g.tensor(t.name), "m.gguf"), t.floats) << t.name;
  }
}

TEST(Gguf, TruncatedAtEveryLengthIsOneLine) {
  GgufWriter w;
  test::TinyShape s;
  s.blocks = 1;
  s.hidden = 256;
  s.ffn = 256;
  test::tiny_gguf(w, 1, kMixedTypes, s);
  const auto bytes = w.bytes();
  // The last tensor ends the file, so every shorter prefix lacks bytes somewhere.
  for (size_t len = 0; len < bytes.size(); len += (len < 2048 ? 1 : 97)) {
    const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(len));
    const std::string msg = input_error([&] { GgufFile::parse(cut, "cut.gguf"); });
    ASSERT_FALSE(msg.empty()) << "prefix of " << len << " bytes parsed";
    ASSERT_EQ(msg.find('\n'), std::string::npos) << msg;
    ASSERT_EQ(msg.rfind("cut.gguf: ", 0), 0u) << msg;
  }
}

// Writes a one-tensor file, lets `edit` change its bytes, and returns the parse error.
std::string corrupted_error(const std::function<void(std::vector<uint8_t>&)>& edit,
                            uint32_t type = test::kGgmlQ4_0, uint64_t ne0 = 64) {
  GgufWriter w;
  w.add_string("general.architecture", "llama");
  const auto info = ggml_type_info(type);
  w.add_tensor("t", {ne0, 2}, type,
               std::vector<uint8_t>(ne0 / info->block_elements * info->block_bytes * 2, 0));
  auto bytes = w.bytes();
  edit(bytes);
  return input_error([&] {
    const GgufFile g = GgufFile::parse(bytes, "bad.gguf");
    decode_ggml_exact(g.tensors.at(0), "bad.gguf");
  });
}

// Offsets in the one-tensor file of corrupted_error: header 24 bytes; key-value
// "general.architecture" (8 + 20 + 4 + 8 + 5 = 45 bytes); then the tensor info.
constexpr size_t kKvStart = 24, kTensorInfo = 24 + 45;
constexpr size_t kDimsAt = kTensorInfo + 8 + 1 + 4, kTypeAt = kDimsAt + 16, kOffsetAt = kTypeAt + 4;

template <typename T>
void put(std::vector<uint8_t>& b, size_t at, T v) {
  std::memcpy(b.data() + at, &v, sizeof(T));
}

TEST(Gguf, CorruptedFilesAreOneLineNamingTheProblem) {
  EXPECT_EQ(corrupted_error([](auto&) {}), "");  // the unedited file is fine
  const auto check = [](const std::function<void(std::vector<uint8_t>&)>& edit,
                        const std::string& needle, uint32_t type = test::kGgmlQ4_0,
                        uint64_t ne0 = 64) {
    expect_one_line_error(corrupted_error(edit, type, ne0), "bad.gguf: ", needle);
  };
  check([](auto& b) { b[0] = 'X'; }, "not a GGUF file");
  check([](auto& b) { put<uint32_t>(b, 4, 4); }, "version 4 is not supported; allowed: 2, 3");
  check([](auto& b) { put<uint64_t>(b, 8, 1ull << 62); }, "tensor count");
  check([](auto& b) { put<uint64_t>(b, 16, ~0ull); }, "metadata count");
  check([](auto& b) { put<uint64_t>(b, kKvStart, 1ull << 40); }, "truncated at byte");
  check([](auto& b) { put<uint32_t>(b, kKvStart + 28, 13); }, "value type 13 is unknown");
  check([](auto& b) { put<uint32_t>(b, kTensorInfo + 9, 5); }, "5 dimensions; allowed: 1..4");
  check([](auto& b) { put<uint64_t>(b, kDimsAt + 8, 1ull << 62); }, "element count overflows");
  check([](auto& b) { put<uint32_t>(b, kTypeAt, 4); }, "ggml type 4 is unknown");
  check([](auto& b) { put<uint64_t>(b, kOffsetAt, 16); }, "not a multiple of the alignment 32");
  check([](auto& b) { put<uint64_t>(b, kOffsetAt, 1ull << 40); }, "run past the end of the file");
  check([](auto& b) { put<uint64_t>(b, kDimsAt, 48); }, "not a whole number of Q4_0 blocks");
  check([](auto& b) { b[b.size() - 72] = 0xFF, b[b.size() - 71] = 0x7C; }, "inf or NaN");
  check([](auto& b) { b[b.size() - 132] = 0xFF; }, "TQ2_0 code 3", test::kGgmlTQ2_0, 256);
}

TEST(Gguf, AlignmentAndDuplicatesAreChecked) {
  for (const auto& [value, ok] :
       std::vector<std::pair<uint32_t, bool>>{{0, false}, {48, false}, {1, true}, {64, true}}) {
    GgufWriter w;
    w.add_u32("general.alignment", value);
    const auto bytes = w.bytes();
    const std::string msg = input_error([&] { GgufFile::parse(bytes, "a.gguf"); });
    EXPECT_EQ(msg.empty(), ok) << value << ": " << msg;
  }
  GgufWriter w;
  w.add_u32("k", 1);
  w.add_u32("k", 2);
  const auto bytes = w.bytes();
  expect_one_line_error(input_error([&] { GgufFile::parse(bytes, "d.gguf"); }),
                        "d.gguf: ", "metadata k: duplicate key");
}

TEST(Gguf, RandomByteCorruptionIsAnInputErrorOrAValidFile) {
  const uint64_t seed = test_seed("Gguf.RandomCorruption");
  GgufWriter w;
  test::TinyShape s;
  s.blocks = 1;
  test::tiny_gguf(w, seed, kMixedTypes, s);
  const auto clean = w.bytes();
  std::mt19937_64 rng(seed);
  const size_t header = 1024;  // corrupt the structure, where the parser decides things
  for (int n = 0; n < 3000; ++n) {
    auto b = clean;
    for (int flips = 0; flips < 1 + static_cast<int>(rng() % 3); ++flips) {
      b[rng() % header] = static_cast<uint8_t>(rng());
    }
    try {
      const GgufFile g = GgufFile::parse(b, "r.gguf");
      for (const auto& t : g.tensors) {
        if (ggml_mapping(t.type) == GgmlMapping::kExact && t.dims.size() == 2) {
          decode_ggml_exact(t, "r.gguf");
        }
      }
    } catch (const InputError& e) {
      ASSERT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
  }
}

TEST(Safetensors, FloatTensorsReadBackAndMetadata) {
  const uint64_t seed = test_seed("Safetensors.Float");
  for (uint32_t type : {test::kGgmlF16, test::kGgmlBF16, test::kGgmlF32}) {
    SafetensorsWriter w;
    std::string config;
    w.set_metadata("format", "pt");
    const auto written = test::tiny_safetensors(w, config, seed, type);
    const auto bytes = w.bytes();
    const SafetensorsFile f = SafetensorsFile::parse(bytes, "m.safetensors");
    EXPECT_EQ(f.metadata.at("format"), "pt");
    EXPECT_EQ(f.tensors.size(), written.size());
    for (const auto& t : written) {
      const SafetensorsTensor* st = f.tensor(t.name);
      ASSERT_NE(st, nullptr) << t.name;
      EXPECT_EQ(st->shape, (std::vector<uint64_t>{uint64_t(t.n), uint64_t(t.k)}));
    }
  }
}

TEST(Safetensors, TruncatedAndCorruptedAreOneLine) {
  SafetensorsWriter w;
  w.add_tensor("a", "F16", {2, 3}, std::vector<uint8_t>(12, 1));
  w.add_tensor("b", "F32", {4}, std::vector<uint8_t>(16, 2));
  const auto bytes = w.bytes();
  ASSERT_EQ(SafetensorsFile::parse(bytes, "s.st").tensors.size(), 2u);
  for (size_t len = 0; len < bytes.size(); ++len) {
    const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(len));
    const std::string msg = input_error([&] { SafetensorsFile::parse(cut, "s.st"); });
    ASSERT_FALSE(msg.empty()) << len;
    ASSERT_EQ(msg.find('\n'), std::string::npos) << msg;
    ASSERT_EQ(msg.rfind("s.st: ", 0), 0u) << msg;
  }
  const auto with_header = [](const std::string& h, size_t data_bytes) {
    const uint64_t n = h.size();
    std::string b(8, '\0');
    std::memcpy(b.data(), &n, 8);
    b += h;
    b.append(data_bytes, '\0');
    return std::vector<uint8_t>(b.begin(), b.end());
  };
  const auto error = [](const std::vector<uint8_t>& b) {
    return input_error([&] { SafetensorsFile::parse(b, "s.st"); });
  };
  std::vector<uint8_t> huge(16, 0);
  put<uint64_t>(huge, 0, 1ull << 50);
  expect_one_line_error(error(huge), "s.st: ", "header length");
  expect_one_line_error(error(with_header("{\"a\": ", 0)), "s.st: ", "malformed JSON");
  expect_one_line_error(error(with_header("[1]", 0)), "s.st: ", "must be a JSON object");
  expect_one_line_error(error(with_header(std::string(40, '[') + std::string(40, ']'), 0)),
                        "s.st: ", "nested deeper");
  expect_one_line_error(
      error(with_header(R"({"a": {"dtype": "F17", "shape": [1], "data_offsets": [0, 2]}})", 2)),
      "s.st: ", "a.dtype: missing or unknown");
  expect_one_line_error(
      error(with_header(R"({"a": {"dtype": "F16", "shape": [2], "data_offsets": [0, 2]}})", 4)),
      "s.st: ", "need 4");
  expect_one_line_error(
      error(with_header(R"({"a": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}})", 2)),
      "s.st: ", "not inside the 2 data bytes");
  expect_one_line_error(
      error(with_header(R"({"a": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]},)"
                        R"( "b": {"dtype": "F16", "shape": [2], "data_offsets": [2, 6]}})",
                        6)),
      "s.st: ", "overlap");
  expect_one_line_error(
      error(with_header(R"({"a": {"dtype": "U8", "shape": [4294967296, 4294967296],)"
                        R"( "data_offsets": [0, 0]}})",
                        0)),
      "s.st: ", "byte size overflows");
  expect_one_line_error(
      error(with_header(R"({"a\nb": {"dtype": "F16", "shape": [2], "data_offsets": [4, 0]}})", 4)),
      "s.st: ", "a\\x0ab");
}

// Writes a GGUF / safetensors model into `dir` and returns its path.
std::string write_gguf(const std::filesystem::path& dir, uint64_t seed,
                       const std::array<uint32_t, 7>& types,
                       std::vector<test::WrittenTensor>* written = nullptr,
                       const test::TinyShape& s = {}) {
  GgufWriter w;
  auto t = test::tiny_gguf(w, seed, types, s);
  if (written) *written = std::move(t);
  const std::string path = (dir / "tiny.gguf").string();
  w.write(path);
  return path;
}

TEST(ModelFile, GgufShapeTensorsAndExactMappings) {
  const uint64_t seed = test_seed("ModelFile.Gguf");
  const auto dir = temp_dir("gguf");
  std::vector<test::WrittenTensor> written;
  const std::string path = write_gguf(dir, seed, kMixedTypes, &written);
  const ModelFile m(path);
  EXPECT_STREQ(m.kind(), "GGUF");
  EXPECT_EQ(m.shape().architecture, "llama");
  EXPECT_EQ(m.shape().blocks, 2);
  EXPECT_EQ(m.shape().kv_heads, 2);
  EXPECT_EQ(m.shape().head_dim, 64);
  const std::vector<std::string> formats = {"uint4",   "int8",  "ternary", "",
                                            "ternary", "uint5", "uint4"};
  for (int b = 0; b < 2; ++b) {
    for (int r = 0; r < 7; ++r) {
      const ModelTensor t = m.linear(b, kLinearRoles[r]);
      const test::WrittenTensor& wt = written[7 * b + r];
      EXPECT_EQ(t.name, wt.name);
      EXPECT_EQ(t.n, wt.n);
      EXPECT_EQ(t.k, wt.k);
      EXPECT_EQ(t.format, formats[r]);
      const ModelWeights mw = m.load(t, parse_weight_format("int4"), 64);
      if (t.exact) {
        EXPECT_EQ(mw.q.codes, wt.exact.codes) << t.name;
        EXPECT_EQ(mw.q.scales, wt.exact.scales) << t.name;
        EXPECT_EQ(mw.q.zeros, wt.exact.zeros) << t.name;
      } else {
        EXPECT_EQ(mw.w_float, wt.floats);
        EXPECT_EQ(mw.q.bits, 4);
        EXPECT_EQ(mw.q.group_size, 64);
      }
    }
  }
  EXPECT_NE(input_error([&] { m.linear(2, LinearRole::kQ); }).find("block 2 out of range"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(ModelFile, KQuantsAndShapeMismatchesAreRejected) {
  const auto dir = temp_dir("kquant");
  auto types = kMixedTypes;
  types[6] = test::kGgmlQ4_K;
  const std::string path = write_gguf(dir, 1, types);
  const ModelFile m(path);
  expect_one_line_error(input_error([&] { m.linear(0, LinearRole::kDown); }), path,
                        "ggml type Q4_K does not map exactly onto the hardware formats (two-level "
                        "scales");
  EXPECT_NE(input_error([&] {
              m.linear(0, LinearRole::kDown);
            }).find("allowed: Q4_0, Q5_0, Q8_0, TQ1_0, TQ2_0, F32, F16, BF16"),
            std::string::npos);

  // Metadata that disagrees with the tensors: 4 KV heads claimed, k/v tensors have 2.
  GgufWriter w;
  test::tiny_gguf(w, 1, kMixedTypes);
  w.add_u32("llama.attention.key_length", 32);
  const std::string bad = (dir / "bad.gguf").string();
  w.write(bad);
  expect_one_line_error(input_error([&] { ModelFile(bad).linear(0, LinearRole::kK); }), bad,
                        "needs 64 x 256");
  std::filesystem::remove_all(dir);
}

TEST(ModelFile, SafetensorsWithConfigJson) {
  const uint64_t seed = test_seed("ModelFile.Safetensors");
  const auto dir = temp_dir("st");
  SafetensorsWriter w;
  std::string config;
  const auto written = test::tiny_safetensors(w, config, seed, test::kGgmlBF16);
  const std::string path = (dir / "model.safetensors").string();
  w.write(path);
  expect_one_line_error(input_error([&] { ModelFile m(path); }), path, "config.json");
  std::ofstream(dir / "config.json") << config;
  const ModelFile m(path);
  EXPECT_STREQ(m.kind(), "safetensors");
  EXPECT_EQ(m.shape().ffn, 512);
  for (int r = 0; r < 7; ++r) {
    const ModelTensor t = m.linear(1, kLinearRoles[r]);
    EXPECT_EQ(t.name, written[7 + r].name);
    EXPECT_EQ(t.type, "BF16");
    EXPECT_FALSE(t.exact);
    EXPECT_EQ(m.load(t, parse_weight_format("uint2"), 32).w_float, written[7 + r].floats);
  }
  std::ofstream(dir / "config.json") << R"({"model_type": "llama", "hidden_size": 256})";
  expect_one_line_error(input_error([&] { ModelFile m2(path); }), (dir / "config.json").string(),
                        "num_hidden_layers: missing");
  std::filesystem::remove_all(dir);
}

TEST(ModelWorkload, SelectsBlocksAndLayersWithTheFilesWeights) {
  const uint64_t seed = test_seed("ModelWorkload.Select");
  const auto dir = temp_dir("workload");
  std::vector<test::WrittenTensor> written;
  const std::string path = write_gguf(dir, seed, kMixedTypes, &written);
  LayerSpec defaults;
  defaults.m = 3;
  defaults.weight_format = "int4";
  defaults.group_size = 64;
  defaults.activation_format = "fp16";
  defaults.distribution = "gaussian";
  defaults.seed = 10;
  const Workload all = workload_from_model({path, "", {}}, defaults, "w.json: model");
  ASSERT_EQ(all.layers.size(), 14u);
  EXPECT_EQ(all.layers[0].name, "blk0.q_proj");
  EXPECT_EQ(all.layers[13].name, "blk1.down_proj");
  EXPECT_EQ(all.layers[13].seed, 23u);
  EXPECT_EQ(all.layers[3].weight_format, "int4");  // F16 attn_output: quantized by lowbit
  EXPECT_EQ(all.layers[2].weight_format, "ternary");
  EXPECT_EQ(all.layers[2].group_size, 128);
  EXPECT_EQ(all.layers[2].model_type, "TQ2_0");

  const Workload sel = workload_from_model({path, "1", {"v_proj", "up_proj"}}, defaults, "w");
  ASSERT_EQ(sel.layers.size(), 2u);
  EXPECT_EQ(sel.layers[0].name, "blk1.v_proj");
  EXPECT_EQ(sel.layers[1].model_tensor, "blk.1.ffn_up.weight");
  // make_layer_data takes the file's codes and synthesizes the activations.
  const LayerData d = make_layer_data(sel.layers[1]);
  EXPECT_EQ(d.weights.codes, written[7 + 5].exact.codes);
  EXPECT_EQ(d.weights.scales, written[7 + 5].exact.scales);
  EXPECT_EQ(d.acts.m, 3);
  EXPECT_EQ(d.acts.format, ActFormat::kFp16);

  EXPECT_EQ(workload_from_model({path, "0-1", {}}, defaults, "w").layers.size(), 14u);
  EXPECT_EQ(workload_from_model({path, "1,0", {"q_proj"}}, defaults, "w").layers.size(), 2u);
  for (const char* bad : {"2", "1-0", "x", "0,", "-1"}) {
    expect_one_line_error(input_error([&] {
                            workload_from_model({path, bad, {}}, defaults, "w");
                          }),
                          "w: blocks: ", "allowed: block indices 0 .. 1");
  }
  expect_one_line_error(input_error([&] {
                          workload_from_model({path, "", {"attn_q"}}, defaults, "w");
                        }),
                        "w: layers: ", "allowed: q_proj, k_proj");
  std::filesystem::remove_all(dir);
}

TEST(ModelWorkload, WorkloadFileModelKeyResolvesBesideTheFile) {
  const auto dir = temp_dir("wfile");
  write_gguf(dir, 3, kMixedTypes);
  std::ofstream(dir / "w.json") << R"({"name": "mine", "model": {"file": "tiny.gguf",
      "blocks": "1", "layers": ["k_proj"]}, "defaults": {"m": 2}})";
  const Workload w = load_workload(dir / "w.json");
  EXPECT_EQ(w.name, "mine");
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(w.layers[0].model_file, (dir / "tiny.gguf").string());
  EXPECT_EQ(w.layers[0].m, 2);
  std::ofstream(dir / "w2.json") << R"({"name": "x", "model": {"file": "tiny.gguf"},
      "layers": [{"n": 1, "k": 1}]})";
  expect_one_line_error(input_error([&] { load_workload(dir / "w2.json"); }),
                        (dir / "w2.json").string(), "layers: and model are exclusive");
  std::ofstream(dir / "w3.json") << R"({"name": "x", "model": {"file": "tiny.gguf", "x": 1}})";
  expect_one_line_error(input_error([&] { load_workload(dir / "w3.json"); }),
                        (dir / "w3.json").string(), "model.x: unknown key");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lowbit
