// Instruction field table, encoding, decoding and the program binary format (docs/isa.md).
#include "model/isa/isa.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>

#include "model/formats/weight_kind.h"

namespace lowbit::isa {
namespace {

using I = Instruction;
constexpr uint64_t kMax24 = (1ull << 24) - 1;
constexpr uint64_t kMax20 = (1ull << 20) - 1;

const std::vector<std::string> kBuffers = {"act", "weight", "scale", "out"};
const std::vector<std::string> kActFormats = {"int8", "fp16"};

FieldSpec flag_field(const char* name, uint64_t I::*member, int word, int lo) {
  FieldSpec f{name, member, word, lo, 1, 0, 1, {}, true};
  return f;
}

FieldSpec field(const char* name, uint64_t I::*member, int word, int lo, int width, uint64_t min,
                uint64_t max) {
  return {name, member, word, lo, width, min, max, {}, false};
}
FieldSpec symbolic(const char* name, uint64_t I::*member, int word, int lo, int width,
                   const std::vector<std::string>& symbols) {
  return {name, member, word, lo, width, 0, symbols.size() - 1, symbols, false};
}

FieldSpec optional_symbolic(const char* name, uint64_t I::*member, int word, int lo, int width,
                            const std::vector<std::string>& symbols) {
  FieldSpec f = symbolic(name, member, word, lo, width, symbols);
  f.optional = true;
  return f;
}

std::vector<FieldSpec> dma_fields() {
  return {symbolic("buf", &I::buf, 0, 24, 3, kBuffers), field("rows", &I::rows, 0, 27, 13, 1, 4096),
          field("sram", &I::sram, 0, 40, 24, 0, kMax24),
          field("dram", &I::dram, 1, 0, 40, 0, (1ull << 40) - 1),
          field("bytes", &I::bytes, 1, 40, 24, 1, kMax24)};
}

// A K chunk of the open output block: activations, weight codes and group scales from buffers.
std::vector<FieldSpec> tile_fields() {
  return {field("k", &I::k, 0, 24, 20, 1, kMax20), field("s", &I::s, 0, 44, 20, 0, kMax20),
          field("a", &I::src, 1, 0, 24, 0, kMax24), field("w", &I::w, 1, 24, 24, 0, kMax24)};
}

uint64_t mask(int width) { return width >= 64 ? ~0ull : (1ull << width) - 1; }

std::string value_text(const FieldSpec& f, uint64_t v) {
  if (!f.symbols.empty() && v < f.symbols.size()) return f.symbols[v];
  return fmt::format("{}", v);
}

std::string allowed_text(const FieldSpec& f) {
  if (!f.symbols.empty()) return fmt::format("{}", fmt::join(f.symbols, ", "));
  return fmt::format("{}..{}", f.min, f.max);
}

[[noreturn]] void illegal(uint64_t address, const std::string& field, const std::string& what) {
  throw IllegalInstruction(fmt::format("address 0x{:x} (instruction {}): field '{}': {}", address,
                                       address / kInstructionBytes, field, what));
}

std::string mnemonics() {
  std::vector<std::string> names;
  for (const auto& op : op_specs()) names.emplace_back(op.mnemonic);
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

const std::vector<std::string>& vector_op_symbols() {
  static const std::vector<std::string> v = {"rmsnorm",  "rotary",  "scores",
                                             "softmax",  "context", "silu_gate",
                                             "residual", "requant", "kvstore"};
  return v;
}

const std::vector<std::string>& gate_act_symbols() {
  static const std::vector<std::string> v = {"silu", "relu2"};  // GateAct order
  return v;
}

const std::vector<std::string>& kv_format_symbols() {
  static const std::vector<std::string> v = {"fp16", "int8", "int4"};
  return v;
}

const std::vector<FieldSpec>& common_fields() {
  static const std::vector<FieldSpec> common = {field("wait", &I::wait, 0, 8, 8, 0, 255),
                                                field("signal", &I::signal, 0, 16, 8, 0, 255)};
  return common;
}

const std::vector<OpSpec>& op_specs() {
  static const std::vector<OpSpec> specs = {
      {Opcode::kNop, "nop", "ctrl", {}},
      {Opcode::kHalt, "halt", "ctrl", {}},
      {Opcode::kSync, "sync", "ctrl", {}},
      {Opcode::kCfg,
       "cfg",
       "core",
       {symbolic("wkind", &I::wkind, 0, 24, kWeightKindBits, weight_kind_names()),
        field("wbits", &I::wbits, 0, 26, 4, 1, 8),
        symbolic("afmt", &I::afmt, 0, 30, 1, kActFormats),
        field("group", &I::group, 0, 32, 16, 1, 65535),
        optional_symbolic("wcodec", &I::wcodec, 0, 48, kWeightCodecBits, weight_codec_names())}},
      {Opcode::kLoad, "ld", "load", dma_fields()},
      {Opcode::kStore, "st", "store", dma_fields()},
      {Opcode::kLdCfg, "ldcfg", "load", {field("stride", &I::stride, 1, 0, 32, 0, 0xFFFFFFFFull)}},
      {Opcode::kStCfg, "stcfg", "store", {field("stride", &I::stride, 1, 0, 32, 0, 0xFFFFFFFFull)}},
      {Opcode::kBlk,
       "blk",
       "core",
       {field("m", &I::m, 0, 24, 8, 1, 255), field("n", &I::n, 0, 32, 16, 1, 65535),
        field("kt", &I::kt, 0, 48, 16, 1, 65535), field("o", &I::o, 1, 0, 24, 0, kMax24),
        field("ascale", &I::ascale, 1, 24, 24, 0, kMax24)}},
      {Opcode::kLmma, "lmma", "core", tile_fields(), true},
      {Opcode::kMpe, "mpe", "core", tile_fields(), true},
      {Opcode::kMmac, "mmac", "core", tile_fields(), true},
      {Opcode::kBmd, "bmd", "core", tile_fields(), true},
      {Opcode::kVcfg,
       "vcfg",
       "vector",
       {field("hd", &I::hd, 0, 24, 13, 1, 4096),
        symbolic("kvfmt", &I::kvfmt, 0, 37, 2, kv_format_symbols()),
        field("kvgroup", &I::kvgroup, 0, 39, 13, 0, 4096), field("qpk", &I::qpk, 0, 52, 8, 1, 255),
        symbolic("afmt", &I::afmt, 0, 60, 1, kActFormats),
        optional_symbolic("gact", &I::gact, 0, 61, 1, gate_act_symbols()),
        field("eps", &I::eps, 1, 0, 32, 0, 0xFFFFFFFFull)}},
      {Opcode::kVec,
       "vec",
       "vector",
       {symbolic("vop", &I::vop, 0, 24, 4, vector_op_symbols()),
        field("len", &I::len, 0, 28, 18, 1, kVecLenMax),
        field("passes", &I::passes, 0, 46, 16, 1, kVecPassesMax), flag_field("acc", &I::acc, 0, 62),
        field("x", &I::x, 1, 0, 21, 0, kVecAddressMax),
        field("y", &I::y, 1, 21, 21, 0, kVecAddressMax),
        field("z", &I::z, 1, 42, 21, 0, kVecAddressMax)}},
  };
  return specs;
}

const OpSpec* find_op(uint8_t opcode) {
  for (const auto& s : op_specs()) {
    if (static_cast<uint8_t>(s.op) == opcode) return &s;
  }
  return nullptr;
}

bool is_tile_op(Opcode op) {
  const OpSpec* s = find_op(static_cast<uint8_t>(op));
  return s != nullptr && s->tile;
}

const OpSpec* find_op(std::string_view mnemonic) {
  for (const auto& s : op_specs()) {
    if (mnemonic == s.mnemonic) return &s;
  }
  return nullptr;
}

Word encode(const Instruction& in, uint64_t address) {
  const OpSpec* spec = find_op(static_cast<uint8_t>(in.op));
  if (!spec) {
    illegal(address, "opcode",
            fmt::format("0x{:02x} is not an opcode; allowed: {}", static_cast<int>(in.op),
                        mnemonics()));
  }
  Word w = {static_cast<uint64_t>(in.op), 0};
  auto put = [&](const FieldSpec& f) {
    const uint64_t v = in.*f.member;
    if (v < f.min || v > f.max) {
      illegal(address, f.name,
              fmt::format("{} is out of range for {}; allowed: {}", v, spec->mnemonic,
                          allowed_text(f)));
    }
    w[f.word] |= (v & mask(f.width)) << f.lo;
  };
  for (const auto& f : common_fields()) put(f);
  for (const auto& f : spec->fields) put(f);
  return w;
}

Instruction decode(const Word& word, uint64_t address) {
  const auto opcode = static_cast<uint8_t>(word[0] & 0xFF);
  const OpSpec* spec = find_op(opcode);
  if (!spec) {
    illegal(address, "opcode",
            fmt::format("0x{:02x} is not an opcode; allowed: {}", opcode, mnemonics()));
  }
  Instruction in;
  in.op = spec->op;
  Word used = {0xFF, 0};
  auto get = [&](const FieldSpec& f) {
    const uint64_t v = (word[f.word] >> f.lo) & mask(f.width);
    used[f.word] |= mask(f.width) << f.lo;
    if (v < f.min || v > f.max) {
      illegal(address, f.name,
              fmt::format("{} is out of range for {}; allowed: {}", value_text(f, v),
                          spec->mnemonic, allowed_text(f)));
    }
    in.*f.member = v;
  };
  for (const auto& f : common_fields()) get(f);
  for (const auto& f : spec->fields) get(f);
  for (int i = 0; i < 2; ++i) {
    if (word[i] & ~used[i]) {
      illegal(address, "reserved",
              fmt::format("word {} has reserved bits set (0x{:016x}); allowed: zero", i,
                          word[i] & ~used[i]));
    }
  }
  return in;
}

namespace {
constexpr char kMagic[8] = {'L', 'B', 'P', 'R', 'O', 'G', '0', '2'};
constexpr char kMagicV1[8] = {'L', 'B', 'P', 'R', 'O', 'G', '0', '1'};
constexpr size_t kHeaderBytes = 16;

// CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF), the
// checksum of zlib and PNG; it detects every single-bit and every burst error up to 32 bits.
uint32_t crc32_update(uint32_t crc, const uint8_t* p, size_t n) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  for (size_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return crc;
}

// The checksum of a program: its instruction count (4 bytes, little-endian) and its code.
uint32_t program_crc(const uint8_t* count_le, const uint8_t* code, size_t code_bytes) {
  uint32_t crc = crc32_update(0xFFFFFFFFu, count_le, 4);
  crc = crc32_update(crc, code, code_bytes);
  return crc ^ 0xFFFFFFFFu;
}

void put_u64(std::vector<uint8_t>& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint64_t get_u64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
}  // namespace

std::vector<uint8_t> to_binary(std::span<const Instruction> program) {
  if (program.size() > 0xFFFFFFFFull) {
    throw IllegalInstruction(
        fmt::format("program: {} instructions; allowed: at most 2^32 - 1", program.size()));
  }
  std::vector<uint8_t> out(kMagic, kMagic + 8);
  put_u64(out, program.size());  // u32 count + u32 checksum (filled in below), little-endian
  for (size_t i = 0; i < program.size(); ++i) {
    const Word w = encode(program[i], i * kInstructionBytes);
    put_u64(out, w[0]);
    put_u64(out, w[1]);
  }
  const uint32_t crc =
      program_crc(out.data() + 8, out.data() + kHeaderBytes, out.size() - kHeaderBytes);
  for (int i = 0; i < 4; ++i) out[12 + i] = static_cast<uint8_t>(crc >> (8 * i));
  return out;
}

uint32_t binary_checksum(std::span<const uint8_t> binary) {
  if (binary.size() < kHeaderBytes) throw std::invalid_argument("binary_checksum: no header");
  return program_crc(binary.data() + 8, binary.data() + kHeaderBytes, binary.size() - kHeaderBytes);
}

std::vector<Instruction> from_binary(std::span<const uint8_t> bytes, const std::string& origin) {
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kMagicV1, 8) == 0) {
    throw IllegalInstruction(origin +
                             ": magic: LBPROG01 has no checksum; allowed: LBPROG02 (assemble or "
                             "compile the program again)");
  }
  if (bytes.size() < kHeaderBytes || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    throw IllegalInstruction(origin +
                             ": magic: not a lowbit program; allowed: a file starting LBPROG02");
  }
  const uint64_t header = get_u64(bytes.data() + 8);
  const uint64_t count = header & 0xFFFFFFFFull;
  const auto stored_crc = static_cast<uint32_t>(header >> 32);
  if (bytes.size() != kHeaderBytes + count * kInstructionBytes) {
    throw IllegalInstruction(
        fmt::format("{}: count: header says {} instructions ({} bytes) but "
                    "the file has {} bytes; allowed: 16 + 16 x count bytes",
                    origin, count, kHeaderBytes + count * kInstructionBytes, bytes.size()));
  }
  const uint32_t crc =
      program_crc(bytes.data() + 8, bytes.data() + kHeaderBytes, bytes.size() - kHeaderBytes);
  if (crc != stored_crc) {
    throw IllegalInstruction(
        fmt::format("{}: checksum: stored CRC-32 0x{:08x}, computed 0x{:08x}; "
                    "allowed: an intact program (the file is damaged)",
                    origin, stored_crc, crc));
  }
  std::vector<Instruction> program;
  program.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t* p = bytes.data() + kHeaderBytes + i * kInstructionBytes;
    try {
      program.push_back(decode({get_u64(p), get_u64(p + 8)}, i * kInstructionBytes));
    } catch (const IllegalInstruction& e) {
      throw IllegalInstruction(origin + ": " + e.what());
    }
  }
  return program;
}

}  // namespace lowbit::isa
