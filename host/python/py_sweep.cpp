// lowbit.sweep(): expand, run locally, collect the results table.
#include "py_sweep.h"

#include <fmt/format.h>
#include <pybind11/stl/filesystem.h>
#include <signal.h>

#include <cstdlib>
#include <system_error>

#include "lowbit/error.h"
#include "lowbit/output_path.h"
#include "lowbit/sweep_expand.h"
#include "lowbit/sweep_local.h"
#include "lowbit/sweep_spec.h"
#include "lowbit/sweep_table.h"
#include "py_json.h"

namespace lowbit::py {

namespace pyb = pybind11;
namespace fs = std::filesystem;

fs::path cli_path() {
  const char* env = std::getenv("LOWBIT_CLI");
  const fs::path p = env != nullptr && env[0] != '\0' ? fs::path(env) : fs::path(LOWBIT_CLI_PATH);
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) {
    throw InputError(
        fmt::format("{}: the lowbit CLI is not there (sweep points run it); allowed: build it with "
                    "scripts/build default lowbit, or set LOWBIT_CLI to it",
                    p.string()));
  }
  return p;
}

pyb::list sweep(const pyb::object& spec_arg, const fs::path& output,
                const std::optional<std::string>& tier_arg, int jobs, bool resume) {
  if (jobs < 1 || jobs > 1024) {
    throw InputError(fmt::format("jobs: {} is not allowed; allowed: 1 to 1024", jobs));
  }
  if (tier_arg && *tier_arg != "cycle" && *tier_arg != "analytic") {
    throw InputError(
        fmt::format("tier: '{}' is not allowed; allowed: cycle, analytic, None", *tier_arg));
  }
  const bool is_dict = pyb::isinstance<pyb::dict>(spec_arg);
  if (!is_dict && !pyb::isinstance<pyb::str>(spec_arg) && !pyb::hasattr(spec_arg, "__fspath__")) {
    throw pyb::type_error(fmt::format(
        "spec: a {}; allowed: a sweep spec file (str or os.PathLike) or the spec as a dict",
        pyb::str(pyb::type::of(spec_arg).attr("__name__")).cast<std::string>()));
  }
  const SweepSpec spec =
      is_dict ? sweep_spec_from_json(from_python(spec_arg), "sweep spec (dict)", fs::current_path())
              : load_sweep_spec(spec_arg.cast<fs::path>());
  check_output_dir(output, "output");
  const SweepDir dir(output);
  std::error_code ec;
  if (fs::exists(dir.manifest(), ec) && !resume) {
    throw InputError(fmt::format(
        "{}: holds a sweep already; allowed: resume=True to continue it, or a new output folder",
        output.string()));
  }
  const fs::path exe = cli_path();
  const SweepManifest m = expand_sweep(spec, tier_arg.value_or(spec.tier));
  dir.write_manifest(m);
  RunSummary summary;
  {
    // run_local() takes SIGINT / SIGTERM for the sweep and resets them to the defaults after:
    // Python's handlers are put back.
    struct sigaction old_int {
    }, old_term{};
    sigaction(SIGINT, nullptr, &old_int);
    sigaction(SIGTERM, nullptr, &old_term);
    {
      pyb::gil_scoped_release nogil;
      ProgressOptions po;
      po.mode = ProgressMode::kOff;
      summary = run_local(dir, m.points, exe, jobs, po);
    }
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
  }
  if (summary.interrupted_by != 0) {
    // The signal that stopped the sweep, now to Python (Ctrl-C: KeyboardInterrupt); finished
    // points stay in the folder for resume=True.
    raise(summary.interrupted_by);
    if (PyErr_CheckSignals() != 0) throw pyb::error_already_set();
  }
  const ResultTable t = collect_results(dir, m);
  write_csv(t, dir.root() / "results.csv");
  write_sqlite(t, dir.root() / "results.sqlite");
  pyb::list rows;
  for (const auto& row : t.rows) {
    pyb::dict d;
    for (size_t c = 0; c < t.columns.size(); ++c) d[pyb::str(t.columns[c])] = to_python(row[c]);
    rows.append(d);
  }
  return rows;
}

}  // namespace lowbit::py
