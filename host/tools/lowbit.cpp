// The `lowbit` command line: one subcommand per job (formats, run, ...), see README.md.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>

#include "cmd_characterization.h"
#include "cmd_compile.h"
#include "cmd_estimate.h"
#include "cmd_formats.h"
#include "cmd_isa.h"
#include "cmd_params.h"
#include "cmd_report.h"
#include "cmd_run.h"
#include "cmd_sweep.h"
#include "lowbit/error.h"
#include "model/json/json_input.h"

// libsystemc expects the program to provide sc_main; lowbit has its own main() and elaborates the
// accelerator on demand, so this is never called.
extern "C" int sc_main(int, char**) { return 1; }

int main(int argc, char** argv) {
  CLI::App app{"lowbit: co-design kit for low-bit LLM inference accelerators"};
  app.require_subcommand(1);
  // One line per error (the kit's rule for bad input), not CLI11's two-line default.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    std::string line = std::string("lowbit: ") + e.what();
    line.erase(std::remove(line.begin(), line.end(), '\n'), line.end());
    // CLI11's messages name the option and the value; the kit's rule also says what is allowed.
    if (line.find("allowed") == std::string::npos) {
      line += "; allowed: the values `lowbit <command> --help` lists";
    }
    return line + "\n";
  });
  lowbit::add_formats_command(app);
  lowbit::add_run_command(app);
  lowbit::add_isa_commands(app);
  lowbit::add_compile_command(app);
  lowbit::add_estimate_command(app);
  lowbit::add_sweep_commands(app);
  lowbit::add_report_command(app);
  lowbit::add_params_command(app);
  lowbit::add_characterization_command(app);
  // CLI11 says only "A subcommand is required" for a misspelt one: name it and list the allowed.
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    std::string names;
    for (const CLI::App* sub : app.get_subcommands({})) {
      known = known || sub->check_name(argv[1]);
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      fmt::print(stderr, "lowbit: {}: unknown subcommand; allowed: {}\n", argv[1], names);
      return lowbit::kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // CLI11 uses its own codes for usage errors; the kit's contract is exit 2 for bad input.
    return code == 0 ? 0 : lowbit::kExitBadInput;
  } catch (const lowbit::InputError& e) {
    fmt::print(stderr, "lowbit: {}\n", e.what());
    return lowbit::kExitBadInput;
  } catch (const lowbit::JsonInputError& e) {
    fmt::print(stderr, "lowbit: {}\n", e.what());
    return lowbit::kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "lowbit: internal error: {}\n", e.what());
    return 1;
  }
  return 0;
}
