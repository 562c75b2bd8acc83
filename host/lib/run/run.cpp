// lowbit::run(): the backend's runner from one table of names (no other switch on the backend).
#include "lowbit/run.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "lowbit/accelerator.h"
#include "lowbit/error.h"
#include "run_steps.h"

namespace lowbit {
namespace {

using Runner = RunRecord (*)(const RunRequest&);

// Function-local static: built on first use. The program backends are connect()'s (golden, sim,
// rtl: the ISA program on an Accelerator); cpu and analytic run the workload another way.
const std::map<std::string, Runner>& runners() {
  static const std::map<std::string, Runner> r = [] {
    std::map<std::string, Runner> m;
    for (const std::string& name : backend_names()) m[name] = &run_program;
    m["cpu"] = &run_cpu;
    m["analytic"] = &run_analytic;
    return m;
  }();
  return r;
}

}  // namespace

std::vector<std::string> run_backend_names() {
  std::vector<std::string> v;
  for (const auto& [name, f] : runners()) v.push_back(name);
  return v;
}

RunRecord run(const RunRequest& request) {
  const auto it = runners().find(request.backend);
  if (it == runners().end()) {
    throw InputError(fmt::format("--backend: '{}' is not a backend; allowed: {}", request.backend,
                                 fmt::join(run_backend_names(), ", ")));
  }
  return it->second(request);
}

std::string vcd_file_path(const std::string& vcd) {
  const bool has_suffix = vcd.size() > 4 && vcd.substr(vcd.size() - 4) == ".vcd";
  return has_suffix ? vcd : vcd + ".vcd";
}

}  // namespace lowbit
