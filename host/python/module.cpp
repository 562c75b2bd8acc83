// The Python module `lowbit` (docs/python.md): run, estimate, sweep, params, backends and the
// RunRecord; bad input raises ValueError with the line `lowbit` prints.
#include <fmt/format.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <memory>

#include "child_run.h"
#include "dump_arrays.h"
#include "lowbit/error.h"
#include "lowbit/run.h"
#include "lowbit/sweep_analytic.h"
#include "model/arch/config_error.h"
#include "model/arch/param_doc.h"
#include "model/json/json_input.h"
#include "py_json.h"
#include "py_record.h"
#include "py_sweep.h"
#include "run_args.h"

// libsystemc calls sc_main only from its own main; lowbit elaborates on demand, so this is never
// called. Exported so that libsystemc, loaded with the module, resolves it.
extern "C" __attribute__((visibility("default"))) int sc_main(int, char**) { return 1; }

namespace lowbit::py {
namespace {

namespace pyb = pybind11;
using pyb::arg;

PyRunRecord run_py(const InputArgs& in, const std::string& backend, const std::string& node,
                   int threads, bool arrays, const std::optional<std::filesystem::path>& dump,
                   const std::optional<std::filesystem::path>& trace,
                   const std::optional<std::filesystem::path>& vcd) {
  if (threads < 0 || threads > 4096) {
    throw InputError(fmt::format("threads: {} is not allowed; allowed: 0 to 4096", threads));
  }
  const WorkloadOptions o = workload_options(in);
  RunRequest q;
  {
    pyb::gil_scoped_release nogil;  // a model file may be large
    q.workload = workload_from_options(o);
    q.config = config_from_options(o);
  }
  q.backend = backend;
  q.cpu_threads = threads;
  q.node = node;
  q.trace_path = trace ? trace->string() : "";
  q.vcd_path = vcd ? vcd->string() : "";
  std::unique_ptr<TempDir> tmp;  // arrays without a dump folder: dumped here, then loaded
  if (dump) {
    q.dump_dir = dump->string();
  } else if (arrays) {
    tmp = std::make_unique<TempDir>();
    q.dump_dir = tmp->path().string();
  }
  RunDocuments docs;
  if (elaborates_systemc(backend)) {
    docs = run_in_child(q);
  } else {
    pyb::gil_scoped_release nogil;
    docs = run_documents(run(q));
  }
  pyb::object a = pyb::none();
  if (!q.dump_dir.empty() && std::filesystem::exists(q.dump_dir + "/manifest.json")) {
    a = load_dump_arrays(q.dump_dir);
  }
  return PyRunRecord(std::move(docs), std::move(a));
}

PyRunRecord estimate_py(const InputArgs& in) {
  const WorkloadOptions o = workload_options(in);
  RunDocuments docs;
  {
    pyb::gil_scoped_release nogil;
    const Workload w = workload_from_options(o);  // in the CLI's order: the first error wins
    const HwConfig hw = config_from_options(o);
    docs = run_documents(estimate_run(hw, w));
  }
  return PyRunRecord(std::move(docs), pyb::none());
}

// The workload and config keywords of run() and estimate(), in their order.
#define LOWBIT_INPUT_ARGS                                                                         \
  arg("workload") = pyb::none(), arg("model") = pyb::none(), arg("m") = pyb::none(),              \
  arg("n") = pyb::none(), arg("k") = pyb::none(), arg("weights") = "uint2", arg("acts") = "int8", \
  arg("group") = 128, arg("dist") = "heavy_tailed", arg("seed") = 1, arg("blocks") = "",          \
  arg("layers") = std::vector<std::string>{}, arg("config") = pyb::none(),                        \
  arg("set") = pyb::none()

}  // namespace
}  // namespace lowbit::py

PYBIND11_MODULE(lowbit, m) {
  namespace pyb = pybind11;
  using namespace lowbit;
  using namespace lowbit::py;
  using pyb::arg;
  using OptPath = std::optional<std::filesystem::path>;
  m.doc() =
      "lowbit: co-design kit for low-bit LLM inference accelerators, from Python "
      "(docs/python.md). run() / estimate() return a RunRecord; sweep() the results rows.";

  // Bad input is a ValueError carrying the one line `lowbit` prints (before exiting with 2).
  pyb::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const JsonInputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const ConfigError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });

  bind_run_record(m);

  m.def(
      "run",
      [](OptPath workload, OptPath model, std::optional<int> mm, std::optional<int> n,
         std::optional<int> k, std::string weights, std::string acts, int group, std::string dist,
         uint64_t seed, std::string blocks, std::vector<std::string> layers, OptPath config,
         std::optional<pyb::dict> set, std::string backend, std::string node, int threads,
         bool arrays, OptPath dump, OptPath trace, OptPath vcd) {
        const InputArgs in{workload, model,
                           mm,       n,
                           k,        weights,
                           acts,     group,
                           dist,     seed,
                           blocks,   layers,
                           config,   set ? pyb::object(*set) : pyb::object(pyb::none())};
        return run_py(in, backend, node, threads, arrays, dump, trace, vcd);
      },
      pyb::kw_only(), LOWBIT_INPUT_ARGS, arg("backend") = "sim", arg("node") = "nangate45",
      arg("threads") = 0, arg("arrays") = false, arg("dump") = pyb::none(),
      arg("trace") = pyb::none(), arg("vcd") = pyb::none(),
      "Runs a workload (a file or preset, a model file, or one layer m x n x k) on a config and "
      "backend, as `lowbit run` does; returns its RunRecord. arrays=True keeps A, W, scales, "
      "zeros and O as NumPy (record.arrays, record.outputs); dump= writes them to a folder too. "
      "sim and rtl runs execute in a child process (SystemC elaborates once per process).");

  m.def(
      "estimate",
      [](OptPath workload, OptPath model, std::optional<int> mm, std::optional<int> n,
         std::optional<int> k, std::string weights, std::string acts, int group, std::string dist,
         uint64_t seed, std::string blocks, std::vector<std::string> layers, OptPath config,
         std::optional<pyb::dict> set) {
        const InputArgs in{workload, model,
                           mm,       n,
                           k,        weights,
                           acts,     group,
                           dist,     seed,
                           blocks,   layers,
                           config,   set ? pyb::object(*set) : pyb::object(pyb::none())};
        return estimate_py(in);
      },
      pyb::kw_only(), LOWBIT_INPUT_ARGS,
      "The analytical (tile-level) estimate of a run's metrics without simulating, as `lowbit "
      "estimate` (backend \"analytic\", verified None).");

  m.def("sweep", &lowbit::py::sweep, arg("spec"), arg("output"), pyb::kw_only(),
        arg("tier") = pyb::none(), arg("jobs") = 1, arg("resume") = false,
        "Runs a sweep spec (a file or a dict) into the folder `output` as `lowbit sweep` does "
        "(each point a process of the lowbit CLI) and returns its results table: one dict per "
        "point (id, design, tier, backend, workload, status, wall_seconds, the swept keys, the "
        "metrics, pareto).");

  m.def(
      "params", [] { return to_python(params_json()); },
      "Every hardware parameter (top and each unit), as `lowbit params --json`.");
  m.def("backends", &run_backend_names,
        "The backends run() knows: analytic, cpu, golden, rtl, sim.");
}
