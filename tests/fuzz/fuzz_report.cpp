// libFuzzer target: `lowbit report` inputs, a stats.json and (after a NUL) a CPU result JSON,
// through report.json, CSV and HTML. Bad input must be an InputError; anything else is a crash.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "fuzz_input.h"
#include "lowbit/error.h"
#include "lowbit/report.h"
#include "lowbit/report_csv.h"
#include "lowbit/report_html.h"

namespace {

// The report reads files: each input is written to this process's own temp files.
std::string temp_file(const char* name, std::string_view text) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("lowbit_fuzz_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path.string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lowbit;
  const auto parts = fuzz::split_parts(fuzz::as_text(data, size));
  ReportOptions ro;
  ro.characterization = LOWBIT_FUZZ_CHARACTERIZATION;
  const std::string stats = temp_file("stats.json", parts[0]);
  std::optional<std::string> cpu;
  if (parts.size() > 1) cpu = temp_file("cpu.json", parts[1]);
  try {
    const auto r = build_report({stats}, cpu, ro);
    (void)r.dump(2);
    (void)report_csv(r);
    (void)report_html(r);
  } catch (const InputError&) {
  }
  return 0;
}
