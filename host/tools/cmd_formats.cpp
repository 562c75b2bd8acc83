// `lowbit formats`: prints the rows model/formats builds (format_table, format_codes).
#include "host/tools/cmd_formats.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "lowbit/error.h"
#include "model/formats/format_registry.h"

namespace lowbit {
namespace {

void print_table() {
  const std::vector<FormatTableRow> rows = format_table();
  const std::array<std::string, 7> header{
      "name", "bits", "min finite", "max finite", "min normal", "min subnormal", "special values"};
  std::array<size_t, 7> width{};
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const FormatTableRow& r : rows) {
    const std::array<const std::string*, 6> cells{&r.name,       &r.bits,       &r.min_finite,
                                                  &r.max_finite, &r.min_normal, &r.min_subnormal};
    for (size_t i = 0; i < cells.size(); ++i) width[i] = std::max(width[i], cells[i]->size());
  }
  const auto line = [&](const std::array<std::string, 7>& c) {
    fmt::print("{:<{}}  {:>{}}  {:>{}}  {:>{}}  {:>{}}  {:>{}}  {}\n", c[0], width[0], c[1],
               width[1], c[2], width[2], c[3], width[3], c[4], width[4], c[5], width[5], c[6]);
  };
  line(header);
  for (const FormatTableRow& r : rows)
    line({r.name, r.bits, r.min_finite, r.max_finite, r.min_normal, r.min_subnormal, r.specials});
}

void print_codes(const std::string& name) {
  std::vector<CodeValue> codes;
  try {
    codes = format_codes(name);
  } catch (const std::invalid_argument& e) {
    // main() prints InputError as one line "lowbit: ..." and exits with kExitBadInput (2).
    throw InputError(fmt::format("formats: --codes: {}", e.what()));
  }
  fmt::print("code,value\n");
  for (const CodeValue& c : codes) fmt::print("{},{}\n", c.code, format_number(c.value));
}

}  // namespace

void add_formats_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "formats", "List every number format (range, subnormals, specials) or the codes of one");
  auto codes_of = std::make_shared<std::string>();
  cmd->add_option("--codes", *codes_of,
                  "Print every code of this format (8 bits or fewer) as CSV code,value");
  cmd->callback([codes_of]() {
    if (codes_of->empty()) {
      print_table();
    } else {
      print_codes(*codes_of);
    }
  });
}

}  // namespace lowbit
