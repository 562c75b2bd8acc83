// ISA: encode/decode and assemble/disassemble round trips; illegal instructions name address+field.
#include "model/isa/isa.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "model/arch/vector_params.h"
#include "model/isa/assembler.h"
#include "model/kernels/decoder_block.h"
#include "model/quant/kv_quant.h"
#include "tests/lib/test_seed.h"

namespace lowbit::isa {
namespace {

// A random legal instruction: every field of its opcode drawn inside its range.
Instruction random_instruction(std::mt19937_64& rng) {
  const auto& specs = op_specs();
  const OpSpec& spec = specs[rng() % specs.size()];
  Instruction in;
  in.op = spec.op;
  auto draw = [&](const FieldSpec& f) {
    std::uniform_int_distribution<uint64_t> d(f.min, f.max);
    in.*f.member = d(rng);
  };
  for (const auto& f : spec.fields) draw(f);
  for (const auto& f : common_fields()) draw(f);
  return in;
}

std::string error_of(const auto& fn) {
  try {
    fn();
  } catch (const IllegalInstruction& e) {
    return e.what();
  }
  return "";
}

TEST(IsaFieldTable, FieldsOfAnOpcodeDoNotOverlapAndFitTheirWidth) {
  for (const auto& spec : op_specs()) {
    Word used = {0xFF, 0};  // opcode byte
    for (const auto* fields : {&common_fields(), &spec.fields}) {
      for (const auto& f : *fields) {
        const uint64_t m = (f.width == 64 ? ~0ull : ((1ull << f.width) - 1)) << f.lo;
        EXPECT_EQ(used[f.word] & m, 0u) << spec.mnemonic << "." << f.name << " overlaps";
        EXPECT_LE(f.lo + f.width, 64) << spec.mnemonic << "." << f.name;
        EXPECT_LT(f.max, f.width == 64 ? ~0ull : (1ull << f.width)) << f.name;
        used[f.word] |= m;
      }
    }
  }
}

TEST(IsaRoundTrip, RandomInstructionsSurviveEncodeDecodeAndAsmDisasm) {
  const uint64_t seed = test::test_seed("IsaRoundTrip", 20261123);
  std::mt19937_64 rng(seed);
  std::vector<Instruction> program;
  for (int i = 0; i < 20000; ++i) program.push_back(random_instruction(rng));
  for (size_t i = 0; i < program.size(); ++i) {
    ASSERT_EQ(decode(encode(program[i], i * 16), i * 16), program[i])
        << format_instruction(program[i]);
  }
  const auto binary = to_binary(program);
  EXPECT_EQ(binary.size(), 16 + 16 * program.size());
  EXPECT_EQ(from_binary(binary, "p.bin"), program);
  const std::string text = disassemble(program);
  EXPECT_EQ(assemble(text, "p.s"), program);
  EXPECT_EQ(disassemble(assemble(text, "p.s")), text);  // canonical form is a fixed point
}

TEST(IsaAssembler, AcceptsCommentsFlagsSemaphoreListsAndHex) {
  const auto p = assemble(
      "# load a weight tile\n"
      "  ld buf=weight, rows=64 sram=0x40 dram=4096 bytes=64 signal=s0|s2  # comment\n"
      "\n"
      "lmma k=128 s=0x20 a=0 w=0x40 wait=0x5\n",
      "x.s");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].op, Opcode::kLoad);
  EXPECT_EQ(p[0].buf, static_cast<uint64_t>(Buffer::kWeight));
  EXPECT_EQ(p[0].sram, 0x40u);
  EXPECT_EQ(p[0].dram, 4096u);
  EXPECT_EQ(p[0].signal, 0b101u);
  EXPECT_EQ(p[1].k, 128u);
  EXPECT_EQ(p[1].s, 0x20u);
  EXPECT_EQ(p[1].wait, 5u);
  EXPECT_EQ(format_instruction(p[1]), "lmma k=128 s=0x20 a=0x0 w=0x40 wait=s0|s2");
}

// cfg's weight codec (docs/fp-weights.md): optional in assembly (affine when omitted, and then not
// printed, so older programs read and print as before), encoded in w0[49:48].
TEST(IsaAssembler, CfgCarriesTheWeightCodec) {
  const auto p = assemble(
      "cfg wkind=signed wbits=4 afmt=fp16 group=32 wcodec=mxfp4\n"
      "cfg wkind=signed wbits=4 afmt=int8 group=128 wcodec=fp4_e2m1\n"
      "cfg wkind=unsigned wbits=2 afmt=int8 group=128\n",
      "p.s");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].wcodec, 3u);
  EXPECT_EQ(p[1].wcodec, 2u);
  EXPECT_EQ(p[2].wcodec, 0u);
  EXPECT_EQ((encode(p[0], 0)[0] >> 48) & 3u, 3u);
  EXPECT_EQ(decode(encode(p[0], 0), 0), p[0]);
  EXPECT_EQ(format_instruction(p[0]), "cfg wkind=signed wbits=4 afmt=fp16 group=32 wcodec=mxfp4");
  EXPECT_EQ(format_instruction(p[2]), "cfg wkind=unsigned wbits=2 afmt=int8 group=128");
  EXPECT_EQ(assemble(disassemble(p), "p.s"), p);
  EXPECT_NE(
      error_of([] {
        assemble("cfg wkind=signed wbits=4 afmt=int8 group=32 wcodec=fp8", "p.s");
      }).find("field 'wcodec': 'fp8' is not allowed; allowed: affine, bitmod, fp4_e2m1, mxfp4"),
      std::string::npos);
}

TEST(IsaAssembler, ErrorsNameLineFieldAndWhatIsAllowed) {
  EXPECT_EQ(
      error_of([] { assemble("halt\nfoo x=1\n", "p.s"); }).rfind("p.s:2: field 'opcode': 'foo'", 0),
      0u);
  EXPECT_NE(error_of([] {
              assemble("ld buf=weight rows=5000 sram=0 dram=0 bytes=1", "p.s");
            }).find("p.s:1: field 'rows': '5000' is not allowed; allowed: 1..4096"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              assemble("ld buf=disk rows=1 sram=0 dram=0 bytes=1", "p.s");
            }).find("field 'buf': 'disk' is not allowed; allowed: act, weight, scale, out"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              assemble("ld buf=act rows=1 sram=0 bytes=1", "p.s");
            }).find("field 'dram': missing"),
            std::string::npos);
  EXPECT_NE(
      error_of([] { assemble("halt rows=1", "p.s"); }).find("field 'rows': not a field of halt"),
      std::string::npos);
  EXPECT_NE(error_of([] { assemble("sync wait=s9", "p.s"); }).find("field 'wait'"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              assemble("cfg wkind=signed wbits=0 afmt=int8 group=128", "p.s");
            }).find("allowed: 1..8"),
            std::string::npos);
}

TEST(IsaDecode, IllegalWordsNameAddressAndField) {
  EXPECT_NE(error_of([] {
              decode({0x7F, 0}, 0x30);
            }).find("address 0x30 (instruction 3): field 'opcode': 0x7f is not an opcode"),
            std::string::npos);
  // halt with a reserved bit set in word 1
  EXPECT_NE(error_of([] { decode({0x01, 1}, 0); }).find("field 'reserved'"), std::string::npos);
  // cfg with wbits = 0 (out of range 1..8)
  EXPECT_NE(error_of([] {
              decode({0x03 | (1ull << 32), 0}, 0x10);
            }).find("address 0x10 (instruction 1): field 'wbits'"),
            std::string::npos);
  // ld with buf = 7 (no such buffer)
  const uint64_t ld = 0x10 | (7ull << 24) | (1ull << 27);
  EXPECT_NE(error_of([&] {
              decode({ld, 1ull << 40}, 0);
            }).find("field 'buf': 7 is out of range"),
            std::string::npos);
}

// vec's operator codes are the VectorOp order and the `vector.latency.<op>` keys' order (the unit
// times op i with VectorParams::latency(i)); vcfg's kvfmt codes are KvFormat's.
TEST(IsaVector, OperatorAndKvFormatCodesFollowTheirModels) {
  const auto& ops = vector_op_symbols();
  ASSERT_EQ(ops.size(), static_cast<size_t>(kVectorOps) + 1);  // + kvstore
  EXPECT_EQ(ops[kVopKvStore], "kvstore");
  const auto& fields = vector_param_fields();
  size_t lat = 0;
  for (const auto& f : fields) {
    if (f.info.path.rfind("latency.", 0) != 0) continue;
    ASSERT_LT(lat, ops.size());
    EXPECT_EQ(f.info.path, "latency." + ops[lat]) << "code " << lat;
    VectorParams p;
    *std::get<int*>(f.member(p)) = 1000 + static_cast<int>(lat);
    EXPECT_EQ(p.latency(static_cast<int>(lat)), 1000 + static_cast<int>(lat)) << ops[lat];
    ++lat;
  }
  EXPECT_EQ(lat, ops.size() - 1);
  const auto& kv = kv_format_symbols();
  ASSERT_EQ(kv.size(), 3u);
  for (size_t i = 0; i < kv.size(); ++i) {
    EXPECT_EQ(kv[i], kv_format_name(static_cast<KvFormat>(i)));
  }
}

TEST(IsaVector, VcfgAndVecRoundTripAndRejectIllegalEncodings) {
  const auto p = assemble(
      "vcfg hd=128 kvfmt=int4 kvgroup=32 qpk=4 afmt=fp16 eps=0x3727c5ac\n"
      "vec vop=scores len=2048 passes=32 x=0x0 y=0x4000 z=0x10000 wait=s0 signal=s1\n"
      "vec vop=context len=131072 passes=65535 acc x=0x1fffff y=0x0 z=0x8\n",
      "v.s");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].kvfmt, 2u);
  EXPECT_EQ(p[0].eps, 0x3727c5acu);
  EXPECT_EQ(p[1].vop, static_cast<uint64_t>(VectorOp::kScores));
  EXPECT_EQ(p[2].acc, 1u);
  EXPECT_EQ(format_instruction(p[0]),
            "vcfg hd=128 kvfmt=int4 kvgroup=32 qpk=4 afmt=fp16 eps=0x3727c5ac");
  EXPECT_EQ(format_instruction(p[2]),
            "vec vop=context len=131072 passes=65535 acc x=0x1fffff y=0x0 z=0x8");
  for (size_t i = 0; i < p.size(); ++i) EXPECT_EQ(decode(encode(p[i], 16 * i), 16 * i), p[i]);
  EXPECT_EQ(assemble(disassemble(p), "v.s"), p);
  // vcfg's optional gact (the FFN gate's activation): silu when omitted, relu2 at bit 61.
  const auto g =
      assemble("vcfg hd=128 kvfmt=fp16 kvgroup=0 qpk=1 afmt=int8 gact=relu2 eps=0", "v.s");
  EXPECT_EQ(g[0].gact, static_cast<uint64_t>(GateAct::kRelu2));
  EXPECT_EQ(p[0].gact, static_cast<uint64_t>(GateAct::kSilu));
  EXPECT_EQ(encode(g[0], 0)[0] >> 61 & 1, 1u);
  EXPECT_EQ(assemble(disassemble(g), "v.s"), g);
  EXPECT_EQ(gate_act_symbols()[1], gate_act_name(GateAct::kRelu2));
  // Out of range in assembly and in encoding.
  EXPECT_NE(error_of([] { assemble("vec vop=gelu len=1 passes=1 x=0 y=0 z=0", "v.s"); })
                .find("field 'vop': 'gelu' is not allowed; allowed: rmsnorm, rotary, scores, "
                      "softmax, context, silu_gate, residual, requant, kvstore"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              assemble("vec vop=softmax len=131073 passes=1 x=0 y=0 z=0", "v.s");
            }).find("field 'len'"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              assemble("vec vop=softmax len=8 passes=1 x=0x200000 y=0 z=0", "v.s");
            }).find("field 'x'"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              assemble("vcfg hd=128 kvfmt=int2 kvgroup=0 qpk=1 afmt=int8 eps=0", "v.s");
            }).find("allowed: fp16, int8, int4"),
            std::string::npos);
  Instruction bad = p[1];
  bad.passes = 0;
  EXPECT_NE(
      error_of([&] { encode(bad, 0x20); }).find("address 0x20 (instruction 2): field 'passes'"),
      std::string::npos);
  // Decoding: vop 9 (no such operator), kvfmt 3, and vec's reserved bit 63.
  Word w = encode(p[1], 0);
  w[0] = (w[0] & ~(0xFull << 24)) | (9ull << 24);
  EXPECT_NE(error_of([&] {
              decode(w, 0x40);
            }).find("address 0x40 (instruction 4): field 'vop': 9 is out of range"),
            std::string::npos);
  Word c = encode(p[0], 0);
  c[0] |= 3ull << 37;
  EXPECT_NE(error_of([&] { decode(c, 0); }).find("field 'kvfmt': 3 is out of range"),
            std::string::npos);
  Word r = encode(p[1], 0);
  r[0] |= 1ull << 63;
  EXPECT_NE(error_of([&] { decode(r, 0); }).find("field 'reserved'"), std::string::npos);
}

TEST(IsaBinary, RejectsBadMagicTruncationAndNamesTheFile) {
  auto bin = to_binary(assemble("nop\nhalt\n", "p.s"));
  auto bad = bin;
  bad[0] = 'X';
  EXPECT_NE(error_of([&] { from_binary(bad, "p.bin"); }).find("p.bin: magic: not a lowbit program"),
            std::string::npos);
  bad = bin;
  bad.pop_back();
  EXPECT_NE(error_of([&] { from_binary(bad, "p.bin"); }).find("header says 2 instructions"),
            std::string::npos);
  bad = bin;
  bad[16 + 16] = 0x55;  // second instruction's opcode, checksum made to match
  const uint32_t crc = binary_checksum(bad);
  for (int i = 0; i < 4; ++i) bad[12 + i] = static_cast<uint8_t>(crc >> (8 * i));
  EXPECT_NE(error_of([&] {
              from_binary(bad, "p.bin");
            }).find("p.bin: address 0x10 (instruction 1): field 'opcode'"),
            std::string::npos);
}

// Without a checksum 7 of 8 single-bit flips decoded as another legal program (issue 16).
TEST(IsaBinary, EverySingleBitFlipIsRejected) {
  const auto bin =
      to_binary(assemble("cfg wkind=unsigned wbits=2 afmt=int8 group=128\n"
                         "ld buf=act rows=1 sram=0 dram=0 bytes=64 signal=s0\n"
                         "blk m=1 n=64 kt=1 o=0 ascale=0 wait=s0\nhalt\n",
                         "p.s"));
  ASSERT_EQ(from_binary(bin, "p.bin").size(), 4u);
  for (size_t bit = 0; bit < 8 * bin.size(); ++bit) {
    auto bad = bin;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(error_of([&] { from_binary(bad, "p.bin"); }).empty()) << "bit " << bit;
  }
}

TEST(IsaBinary, DamagedChecksumAndOldFormatAreNamed) {
  auto bin = to_binary(assemble("nop\nhalt\n", "p.s"));
  auto bad = bin;
  bad[20] ^= 0x04;  // a bit of the first instruction's wait field
  EXPECT_NE(error_of([&] { from_binary(bad, "p.bin"); }).find("p.bin: checksum: stored CRC-32"),
            std::string::npos);
  bad = bin;
  bad[7] = '1';
  EXPECT_NE(error_of([&] { from_binary(bad, "p.bin"); }).find("LBPROG01 has no checksum"),
            std::string::npos);
}

}  // namespace
}  // namespace lowbit::isa

namespace lowbit::isa {
namespace {

// docs/isa.md carries the generated field table between markers; regenerate with
// LOWBIT_UPDATE_GOLDEN=1 (never edit it by hand).
TEST(IsaDocs, FieldTableInDocsMatchesTheCode) {
  const char* src = std::getenv("LOWBIT_SOURCE_DIR");
  const std::filesystem::path doc =
      std::filesystem::path(src ? src : LOWBIT_SOURCE_DIR_FALLBACK) / "docs/isa.md";
  std::ifstream in(doc);
  ASSERT_TRUE(in) << doc;
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::string begin = "<!-- BEGIN GENERATED FIELD TABLE -->\n";
  const std::string end = "<!-- END GENERATED FIELD TABLE -->";
  const size_t b = text.find(begin), e = text.find(end);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  const std::string current = text.substr(b + begin.size(), e - b - begin.size());
  const std::string generated = field_table_markdown();
  if (current != generated && std::getenv("LOWBIT_UPDATE_GOLDEN")) {
    text.replace(b + begin.size(), e - b - begin.size(), generated);
    std::ofstream(doc) << text;
    GTEST_SKIP() << "regenerated " << doc;
  }
  EXPECT_EQ(current, generated) << "run with LOWBIT_UPDATE_GOLDEN=1 to regenerate docs/isa.md";
}

}  // namespace
}  // namespace lowbit::isa

namespace lowbit::isa {
namespace {

std::string asm_error(const std::string& text) {
  try {
    assemble(text, "p.s");
  } catch (const IllegalInstruction& e) {
    return e.what();
  }
  return {};
}

// "signal=" and "signal=s0|" were accepted as an empty mask (issue 16).
TEST(IsaAssembler, RejectsEmptySemaphoreLists) {
  for (const char* text :
       {"nop signal=\n", "nop signal=s0|\n", "nop wait=|s1\n", "nop wait=s0||s1\n"}) {
    const std::string e = asm_error(text);
    EXPECT_NE(e.find("p.s:1: field '"), std::string::npos) << text << " -> " << e;
    EXPECT_NE(e.find("allowed: s0..s7"), std::string::npos) << text << " -> " << e;
  }
  EXPECT_EQ(asm_error("nop signal=s0|s7 wait=0\n"), "");
}

}  // namespace
}  // namespace lowbit::isa
