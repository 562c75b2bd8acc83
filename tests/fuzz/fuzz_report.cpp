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

// The report reads files: each input is written to this process's own temp files, in /dev/shm
// where there is one (rewriting a file on ext4 flushed it at every close: a fifth of the time).
std::string temp_file(const char* name, std::string_view text) {
  static const std::filesystem::path dir = std::filesystem::is_directory("/dev/shm")
                                               ? std::filesystem::path("/dev/shm")
                                               : std::filesystem::temp_directory_path();
  const auto path = dir / ("lowbit_fuzz_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path.string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lowbit;
  const auto parts = fuzz::split_parts(fuzz::as_text(data, size));
  // The characterization is not the input here (fuzz_characterization covers it): read it once.
  static const ReportOptions ro = [] {
    ReportOptions o;
    o.characterization = LOWBIT_FUZZ_CHARACTERIZATION;
    return o;
  }();
  static const auto [ch, char_path] = report_characterization(ro);
  const std::string stats = temp_file("stats.json", parts[0]);
  std::optional<std::string> cpu;
  if (parts.size() > 1) cpu = temp_file("cpu.json", parts[1]);
  try {
    const auto r = build_report({stats}, cpu, ro, ch, char_path);
    (void)r.dump(2);
    (void)report_csv(r);
    (void)report_html(r);
  } catch (const InputError&) {
  }
  return 0;
}
