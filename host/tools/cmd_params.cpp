// `lowbit params`: prints model/arch's parameter declarations (param_doc.h).
#include "host/tools/cmd_params.h"

#include <fmt/format.h>

#include <memory>

#include "model/arch/param_doc.h"

namespace lowbit {

void add_params_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "params",
      "Every hardware parameter (top and each compute unit): key, type, default, range, "
      "unit, RTL parameter, meaning");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Machine-readable JSON (what CMake and rtl/synth read)");
  cmd->callback([json] {
    if (*json) {
      fmt::print("{}\n", params_json().dump(2));
    } else {
      fmt::print("{}", params_markdown());
    }
  });
}

}  // namespace lowbit
