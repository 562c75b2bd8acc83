// The accelerator's instruction set: 128-bit instructions, their fields, encoding and decoding.
// docs/isa.md is the reference (Format / Fields / Action / Notes per instruction).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lowbit::isa {

enum class Opcode : uint8_t {
  kNop = 0x00,
  kHalt = 0x01,
  kSync = 0x02,
  kCfg = 0x03,
  kLoad = 0x10,
  kStore = 0x11,
  kLdCfg = 0x12,
  kStCfg = 0x13,
  kBlk = 0x20,
  kLmma = 0x21,
  kMpe = 0x22,
  kMmac = 0x23,
  kBmd = 0x24,
  kVcfg = 0x30,  ///< vector unit: head_dim, KV format, GQA ratio, requant format, RMSNorm eps
  kVec = 0x31,   ///< vector unit: one operator over `passes` rows / heads of `len` elements
};

/// On-chip buffers addressed by LOAD / STORE.
enum class Buffer : uint8_t { kAct = 0, kWeight = 1, kScale = 2, kOut = 3 };
inline constexpr int kNumBuffers = 4;
/// Operators of `vec` (field `vop`): the first eight in the order of the `vector.latency.<op>`
/// config keys and of VectorOp (model/kernels/decoder_block.h; tests/unit/isa_test.cpp checks
/// both), then `kvstore` (FP32 head vectors to the KV cache's stored format, timed and counted as
/// a requantization).
const std::vector<std::string>& vector_op_symbols();
/// `vop` code of kvstore.
inline constexpr uint64_t kVopKvStore = 8;
/// KV-cache formats of `vcfg` (field `kvfmt`), in KvFormat order (model/quant/kv_quant.h).
const std::vector<std::string>& kv_format_symbols();
/// Feed-forward gate activations of `vcfg` (field `gact`, optional: silu when omitted), in GateAct
/// order (model/kernels/vector_ops.h).
const std::vector<std::string>& gate_act_symbols();
/// Largest byte offset a `vec` operand field can name (21 bits: 2 MiB of a buffer).
inline constexpr uint64_t kVecAddressMax = (1ull << 21) - 1;
/// Largest `len` of a `vec` (positions of a context, elements of a row).
inline constexpr uint64_t kVecLenMax = 131072;
/// Largest `passes` of a `vec` (rows or heads).
inline constexpr uint64_t kVecPassesMax = 65535;
/// Counting semaphores s0..s7 shared by the units.
inline constexpr int kNumSemaphores = 8;

/// One decoded instruction. Only the fields of its opcode are meaningful (the others stay 0);
/// the field table (fields()) says which.
struct Instruction {
  Opcode op = Opcode::kNop;
  uint64_t wait = 0;    ///< semaphores to take before executing (bit i = s<i>)
  uint64_t signal = 0;  ///< semaphores to give after completing
  uint64_t buf = 0, rows = 0, sram = 0, dram = 0, bytes = 0, stride = 0;  // LOAD/STORE/xxCFG
  uint64_t wkind = 0, wbits = 0, afmt = 0, group = 0, wcodec = 0;         // CFG
  uint64_t m = 0, n = 0, kt = 0, o = 0, ascale = 0;                       // BLK
  uint64_t k = 0, src = 0, w = 0, s = 0;                                  // LMMA / MPE / MMAC
  uint64_t hd = 0, kvfmt = 0, kvgroup = 0, qpk = 0, eps = 0, gact = 0;    // VCFG (and afmt)
  uint64_t vop = 0, len = 0, passes = 0, x = 0, y = 0, z = 0, acc = 0;    // VEC

  bool operator==(const Instruction&) const = default;
};

/// Encoded form: two little-endian 64-bit words.
using Word = std::array<uint64_t, 2>;
inline constexpr size_t kInstructionBytes = 16;

/// Where a field sits, what it is called in assembly and which values are legal.
struct FieldSpec {
  const char* name;
  uint64_t Instruction::*member;
  int word;  ///< 0 or 1
  int lo;    ///< lowest bit
  int width;
  uint64_t min;
  uint64_t max;
  /// Symbolic names of values 0, 1, ... (buffer names, weight kinds...), empty if numeric.
  std::vector<std::string> symbols;
  bool flag = false;  ///< a 1-bit option written as a bare word in assembly ("clear")
  /// May be omitted in assembly (value 0, its first symbol); disassembly omits it when 0, so
  /// programs written before the field existed read and print as before (cfg's `wcodec`).
  bool optional = false;
};

/// One opcode's description.
struct OpSpec {
  Opcode op;
  const char* mnemonic;
  const char* unit;  ///< queue the controller dispatches it to: ctrl, load, store, core, vector
  std::vector<FieldSpec> fields;  ///< excluding the common wait/signal fields
  bool tile = false;  ///< a compute unit's tile op (a unit's spec names it as its opcode)
};

/// Every opcode, in opcode order.
const std::vector<OpSpec>& op_specs();
/// The spec of an opcode; nullptr if it is not one.
const OpSpec* find_op(uint8_t opcode);
const OpSpec* find_op(std::string_view mnemonic);
/// True for a compute unit's tile op (the table's `tile` rows): the top and the golden backend run
/// any of them on the configured unit, so a new unit's opcode is one enumerator and one table row.
bool is_tile_op(Opcode op);
/// The common fields (wait, signal) present in every instruction.
const std::vector<FieldSpec>& common_fields();

/// An illegal or malformed instruction: the message names the instruction's address and field.
class IllegalInstruction : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Encodes; throws IllegalInstruction if a field is out of range (address is for the message).
Word encode(const Instruction& in, uint64_t address = 0);
/// Decodes and validates (unknown opcode, reserved bits set, out-of-range field).
Instruction decode(const Word& word, uint64_t address = 0);

/// Program binary: "LBPROG02" magic, u32 instruction count, u32 CRC-32 of the count and the code,
/// then 16 bytes each (docs/isa.md).
std::vector<uint8_t> to_binary(std::span<const Instruction> program);
/// The CRC-32 a program binary's header must hold: over bytes 8..11 (the count) and 16.. (the
/// code) of `binary`, which must be at least 16 bytes long.
uint32_t binary_checksum(std::span<const uint8_t> binary);
/// Parses a program binary; `origin` names the file in errors. Throws IllegalInstruction.
std::vector<Instruction> from_binary(std::span<const uint8_t> bytes, const std::string& origin);

}  // namespace lowbit::isa
