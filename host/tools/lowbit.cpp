// The `lowbit` command line: subcommands formats, run, ... (see README.md).
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"lowbit: co-design kit for low-bit LLM inference accelerators"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
