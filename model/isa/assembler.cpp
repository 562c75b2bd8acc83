// Assembler and disassembler driven by the ISA field table (no per-opcode code).
#include "model/isa/assembler.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace lowbit::isa {
namespace {

bool is_address(const FieldSpec& f) {
  static constexpr std::string_view kAddr[] = {"sram", "dram",   "a", "t", "w", "s",
                                               "o",    "ascale", "x", "y", "z", "eps"};
  return std::find(std::begin(kAddr), std::end(kAddr), std::string_view(f.name)) != std::end(kAddr);
}

bool is_semaphore_field(const FieldSpec& f) {
  return std::string_view(f.name) == "wait" || std::string_view(f.name) == "signal";
}

std::string semaphores_text(uint64_t mask) {
  std::vector<std::string> s;
  for (int i = 0; i < 8; ++i) {
    if (mask & (1u << i)) s.push_back(fmt::format("s{}", i));
  }
  return fmt::format("{}", fmt::join(s, "|"));
}

std::optional<uint64_t> parse_number(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  uint64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// "s0|s3" or a number (the mask itself).
std::optional<uint64_t> parse_semaphores(std::string_view text) {
  if (auto n = parse_number(text)) return n;
  if (text.empty()) return std::nullopt;  // "signal=" names no semaphore
  uint64_t mask = 0;
  while (true) {
    const size_t bar = text.find('|');
    const std::string_view item = text.substr(0, bar);
    if (item.size() != 2 || item[0] != 's' || item[1] < '0' || item[1] > '7') return std::nullopt;
    mask |= 1u << (item[1] - '0');
    if (bar == std::string_view::npos) break;
    text.remove_prefix(bar + 1);
  }
  return mask;
}

std::string allowed_text(const FieldSpec& f) {
  if (!f.symbols.empty()) return fmt::format("{}", fmt::join(f.symbols, ", "));
  if (is_semaphore_field(f)) return "s0..s7 joined by '|', or a mask 0..255";
  return fmt::format("{}..{}", f.min, f.max);
}

std::vector<std::string_view> tokens(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (std::isspace(static_cast<unsigned char>(line[i])) || line[i] == ','))
      ++i;
    size_t j = i;
    while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j])) && line[j] != ',')
      ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

std::vector<Instruction> assemble(std::string_view text, const std::string& origin) {
  std::vector<Instruction> program;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (const size_t hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    const auto toks = tokens(line);
    if (toks.empty()) continue;
    auto fail = [&](const std::string& field, const std::string& what) {
      throw IllegalInstruction(fmt::format("{}:{}: field '{}': {}", origin, line_no, field, what));
    };
    const OpSpec* spec = find_op(toks[0]);
    if (!spec) {
      std::vector<std::string> names;
      for (const auto& s : op_specs()) names.emplace_back(s.mnemonic);
      fail("opcode",
           fmt::format("'{}' is not a mnemonic; allowed: {}", toks[0], fmt::join(names, ", ")));
    }
    Instruction in;
    in.op = spec->op;
    std::vector<const FieldSpec*> all;
    for (const auto& f : spec->fields) all.push_back(&f);
    for (const auto& f : common_fields()) all.push_back(&f);
    std::vector<const FieldSpec*> seen;
    for (size_t t = 1; t < toks.size(); ++t) {
      const size_t eq = toks[t].find('=');
      const std::string_view name = toks[t].substr(0, eq);
      const auto it =
          std::find_if(all.begin(), all.end(), [&](const FieldSpec* f) { return name == f->name; });
      if (it == all.end()) {
        std::vector<std::string> names;
        for (const auto* f : all) names.emplace_back(f->name);
        fail(std::string(name),
             fmt::format("not a field of {}; allowed: {}", spec->mnemonic, fmt::join(names, ", ")));
      }
      const FieldSpec& f = **it;
      if (std::find(seen.begin(), seen.end(), &f) != seen.end()) fail(f.name, "given twice");
      seen.push_back(&f);
      std::optional<uint64_t> v;
      if (eq == std::string_view::npos) {
        if (!f.flag) fail(f.name, fmt::format("needs a value; allowed: {}=<value>", f.name));
        v = 1;
      } else {
        const std::string_view text_value = toks[t].substr(eq + 1);
        if (!f.symbols.empty()) {
          const auto s = std::find(f.symbols.begin(), f.symbols.end(), text_value);
          if (s != f.symbols.end()) v = static_cast<uint64_t>(s - f.symbols.begin());
        } else if (is_semaphore_field(f)) {
          v = parse_semaphores(text_value);
        } else {
          v = parse_number(text_value);
        }
        if (!v || *v < f.min || *v > f.max) {
          fail(f.name,
               fmt::format("'{}' is not allowed; allowed: {}", text_value, allowed_text(f)));
        }
      }
      in.*f.member = *v;
    }
    for (const auto& f : spec->fields) {
      if (!f.flag && !f.optional && std::find(seen.begin(), seen.end(), &f) == seen.end()) {
        std::vector<std::string> needed;
        for (const auto& g : spec->fields) {
          if (!g.flag && !g.optional) needed.emplace_back(g.name);
        }
        fail(f.name, fmt::format("missing; allowed: {} with every one of {}", spec->mnemonic,
                                 fmt::join(needed, ", ")));
      }
    }
    encode(in, program.size() * kInstructionBytes);  // range checks with the field table
    program.push_back(in);
  }
  return program;
}

std::string format_instruction(const Instruction& in) {
  const OpSpec* spec = find_op(static_cast<uint8_t>(in.op));
  if (!spec) return fmt::format(".word 0x{:02x}", static_cast<int>(in.op));
  std::string out = spec->mnemonic;
  for (const auto& f : spec->fields) {
    const uint64_t v = in.*f.member;
    if (f.flag) {
      if (v) out += fmt::format(" {}", f.name);
    } else if (f.optional && v == 0) {
      continue;
    } else if (!f.symbols.empty() && v < f.symbols.size()) {
      out += fmt::format(" {}={}", f.name, f.symbols[v]);
    } else if (is_address(f)) {
      out += fmt::format(" {}=0x{:x}", f.name, v);
    } else {
      out += fmt::format(" {}={}", f.name, v);
    }
  }
  for (const auto& f : common_fields()) {
    const uint64_t v = in.*f.member;
    if (v) out += fmt::format(" {}={}", f.name, semaphores_text(v));
  }
  return out;
}

std::string disassemble(std::span<const Instruction> program, bool with_addresses) {
  std::string out;
  for (size_t i = 0; i < program.size(); ++i) {
    std::string line = format_instruction(program[i]);
    if (with_addresses) {
      line = fmt::format("{:<72} # 0x{:04x}", line, i * kInstructionBytes);
    }
    out += line + "\n";
  }
  return out;
}

std::string field_table_markdown() {
  std::string out =
      "| opcode | mnemonic | unit | field | word[bits] | allowed |\n"
      "|---|---|---|---|---|---|\n";
  auto row = [&](const OpSpec& spec, const FieldSpec& f, bool first) {
    const std::string head = first ? fmt::format("0x{:02x} | `{}` | {}", static_cast<int>(spec.op),
                                                 spec.mnemonic, spec.unit)
                                   : std::string(" | | ");
    const std::string bits = f.width == 1
                                 ? fmt::format("w{}[{}]", f.word, f.lo)
                                 : fmt::format("w{}[{}:{}]", f.word, f.lo + f.width - 1, f.lo);
    out += fmt::format("| {} | `{}` | {} | {}{} |\n", head, f.name, bits, allowed_text(f),
                       f.flag       ? " (flag)"
                       : f.optional ? " (optional, default the first)"
                                    : "");
  };
  for (const auto& spec : op_specs()) {
    bool first = true;
    for (const auto& f : spec.fields) {
      row(spec, f, first);
      first = false;
    }
    if (first) {
      out += fmt::format("| 0x{:02x} | `{}` | {} | - | - | - |\n", static_cast<int>(spec.op),
                         spec.mnemonic, spec.unit);
    }
  }
  out +=
      "\nEvery instruction also has `opcode` w0[7:0], `wait` w0[15:8] and `signal` w0[23:16] "
      "(semaphore masks s0..s7). All other bits are reserved and must be zero.\n";
  return out;
}

}  // namespace lowbit::isa
