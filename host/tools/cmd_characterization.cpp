// `lowbit characterization`: the per-MAC figures of a characterization file (per_mac_cost.h).
#include "host/tools/cmd_characterization.h"

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "lowbit/characterization_path.h"
#include "lowbit/error.h"
#include "model/cost/characterization.h"
#include "model/cost/per_mac_cost.h"

namespace lowbit {
namespace {

struct CharacterizationOptions {
  std::string node = "nangate45";
  std::string characterization;
  std::vector<int> bits = {1, 2, 4, 8};
  bool json = false;
};

void print_per_mac(const CharacterizationOptions& o) {
  const std::string path =
      o.characterization.empty() ? default_characterization_path(o.node) : o.characterization;
  nlohmann::ordered_json doc;
  try {
    doc = per_mac_document(path, o.bits);
  } catch (const CostInputError& e) {
    throw InputError(e.what());
  }
  if (o.json) {
    fmt::print("{}\n", doc.dump(1));
    return;
  }
  fmt::print("{} ({}): mpGEMM core per MAC; area um^2 per MAC/cycle, energy pJ per MAC\n",
             doc["characterization"].get<std::string>(), doc["node"].get<std::string>());
  auto rows = [&o](const std::string& name, const nlohmann::ordered_json& e) {
    for (const char* acts : {"int8", "fp16"}) {
      for (int b : o.bits) {
        const auto& f = e["per_mac"][acts][std::to_string(b)];
        fmt::print("{:<28} {:<7} {} {:>4} area {:>10.4g} energy {:>10.4g} {}{}\n", name,
                   e["unit"].get<std::string>(), acts, fmt::format("W{}", b),
                   f["area_um2_per_mac_cycle"].get<double>(), f["energy_pj_per_mac"].get<double>(),
                   f["energy_method"].get<std::string>(),
                   f["nearest_bits"].is_null()
                       ? std::string()
                       : fmt::format(" (activity of W{})", f["nearest_bits"].get<int>()));
      }
    }
  };
  for (const auto& [name, e] : doc["units"].items()) {
    rows(name, e);
    if (e.contains("scaled")) rows(name + ".scaled", e["scaled"]);
  }
}

}  // namespace

void add_characterization_command(CLI::App& app) {
  auto o = std::make_shared<CharacterizationOptions>();
  CLI::App* cmd = app.add_subcommand(
      "characterization",
      "Area per MAC/cycle and energy per MAC of each characterized unit's mpGEMM core, per "
      "weight width, on INT8 and FP16 activation data (docs/energy-model.md)");
  cmd->add_option("--node", o->node, "Characterization node")
      ->check(CLI::IsMember({"nangate45", "sky130hd"}))
      ->capture_default_str();
  cmd->add_option("--characterization", o->characterization,
                  "Characterization JSON (default: rtl/synth/characterization/<node>.json)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--bits", o->bits, "Weight widths")
      ->delimiter(',')
      ->check(CLI::Range(1, 8))
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Machine-readable JSON (what scripts/results reads)");
  cmd->callback([o] { print_per_mac(*o); });
}

}  // namespace lowbit
