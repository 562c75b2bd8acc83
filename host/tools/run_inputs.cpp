// Workload and hardware-config inputs of `lowbit run` / `lowbit compile`.
#include "run_inputs.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "default_workload.h"
#include "lowbit/config_override.h"
#include "lowbit/error.h"

namespace lowbit {

Workload workload_from_options(const WorkloadOptions& o) {
  const bool flags = o.m || o.n || o.k;
  if (flags && !o.workload.empty()) {
    throw InputError("--workload and shape flags (--m/--n/--k) are exclusive; give one of them");
  }
  if (!o.workload.empty()) return load_workload(resolve_workload(o.workload));
  if (!flags) {
    return workload_from_json(nlohmann::json::parse(kDefaultWorkloadJson), kDefaultWorkloadName);
  }
  nlohmann::json layer = {{"name", "gemm"},
                          {"m", o.m.value_or(1)},
                          {"n", o.n.value_or(4096)},
                          {"k", o.k.value_or(4096)},
                          {"weight_format", o.weights},
                          {"activation_format", o.activations},
                          {"group_size", o.group},
                          {"distribution", o.distribution},
                          {"seed", o.seed}};
  nlohmann::json doc = {{"name", "command-line"}, {"layers", nlohmann::json::array({layer})}};
  return workload_from_json(doc, "command line");
}

HwConfig config_from_options(const WorkloadOptions& o) {
  try {
    HwConfig hw = o.config.empty()
                      ? hw_config_from_json(nlohmann::json::parse(kDefaultConfigJson),
                                            kDefaultConfigName)
                      : load_hw_config(o.config);
    if (!o.sets.empty()) {
      nlohmann::json j = hw.to_json();
      apply_overrides(j, o.sets, hw.source);
      const std::string source = hw.source;
      hw = hw_config_from_json(j, source + " (with --set)");
      hw.source = source;
    }
    return hw;
  } catch (const ConfigError& e) {
    throw InputError(e.what());
  }
}

}  // namespace lowbit
