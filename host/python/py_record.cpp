// lowbit.RunRecord: attributes over result.json / stats.json, and the NumPy arrays of the run.
#include "py_record.h"

#include <fmt/format.h>

#include <string>

#include "py_json.h"

namespace lowbit::py {

namespace pyb = pybind11;
using OJ = nlohmann::ordered_json;

RunDocuments run_documents(const RunRecord& r) {
  return {result_json(r), stats_json(r), r.simulate_seconds, r.wall_seconds};
}

namespace {

// A key of a document as Python (None when the document lacks it or holds null).
pyb::object key_or_none(const OJ& doc, const char* key) {
  return doc.contains(key) ? to_python(doc.at(key)) : pyb::none();
}

// The arrays' entry `name` of every layer ({layer: ndarray}), or None without arrays.
pyb::object per_layer(const PyRunRecord& r, const char* name) {
  if (r.arrays().is_none()) return pyb::none();
  pyb::dict out;
  for (const auto& [layer, arrays] : r.arrays().cast<pyb::dict>()) {
    out[layer] = arrays.cast<pyb::dict>()[name];
  }
  return out;
}

}  // namespace

void bind_run_record(pyb::module_& m) {
  pyb::class_<PyRunRecord>(m, "RunRecord",
                           "The record of one run: the keys of result.json and stats.json as "
                           "attributes, and the run's arrays as NumPy when it kept them "
                           "(docs/python.md).")
      .def_property_readonly(
          "workload",
          [](const PyRunRecord& r) { return r.docs().result.at("workload").get<std::string>(); },
          "str: the workload's name")
      .def_property_readonly(
          "config_name",
          [](const PyRunRecord& r) { return r.docs().result.at("config").get<std::string>(); },
          "str: the config's name ('' for an unnamed config)")
      .def_property_readonly(
          "core",
          [](const PyRunRecord& r) { return r.docs().result.at("core").get<std::string>(); },
          "str: the compute unit")
      .def_property_readonly(
          "backend",
          [](const PyRunRecord& r) { return r.docs().result.at("backend").get<std::string>(); },
          "str: golden, sim, rtl, cpu or analytic")
      .def_property_readonly(
          "verified",
          [](const PyRunRecord& r) { return to_python(r.docs().result.at("verified")); },
          "bool | None: every output equal to the golden model bit for bit (None: the backend "
          "computes no outputs)")
      .def_property_readonly(
          "layers", [](const PyRunRecord& r) { return to_python(r.docs().result.at("layers")); },
          "list[dict]: result.json \"layers\" (shape, formats, golden checks)")
      .def_property_readonly(
          "metrics", [](const PyRunRecord& r) { return to_python(r.docs().stats.at("metrics")); },
          "dict | None: stats.json \"metrics\" (None for the untimed golden and cpu backends)")
      .def_property_readonly(
          "cycles",
          [](const PyRunRecord& r) -> pyb::object {
            const OJ& m = r.docs().stats.at("metrics");
            if (m.is_null()) return pyb::none();
            return pyb::int_(m.at("cycles").get<uint64_t>());
          },
          "int | None: metrics[\"cycles\"]")
      .def_property_readonly(
          "config", [](const PyRunRecord& r) { return to_python(r.docs().stats.at("config")); },
          "dict: the whole config tree, every key")
      .def_property_readonly(
          "tiling", [](const PyRunRecord& r) { return to_python(r.docs().stats.at("tiling")); },
          "list[dict]: the compiler's tiling per layer (timed backends)")
      .def_property_readonly(
          "stats", [](const PyRunRecord& r) { return key_or_none(r.docs().stats, "stats"); },
          "dict | None: the stats tree with a unit and a description per counter (sim, rtl)")
      .def_property_readonly(
          "cost", [](const PyRunRecord& r) { return key_or_none(r.docs().stats, "cost"); },
          "dict | None: energy and area, every term with its source (sim, rtl)")
      .def_property_readonly(
          "cpu", [](const PyRunRecord& r) { return key_or_none(r.docs().result, "cpu"); },
          "dict | None: the CPU reference's measurements (cpu backend)")
      .def_property_readonly(
          "arrays", [](const PyRunRecord& r) { return r.arrays(); },
          "dict[str, dict[str, numpy.ndarray]] | None: per layer A (and A_scale for int8), "
          "W_codes, W_scales, W_zeros and O, as `lowbit run --dump` writes them; None unless "
          "the run was asked for arrays=True or dump=")
      .def_property_readonly(
          "outputs", [](const PyRunRecord& r) { return per_layer(r, "O"); },
          "dict[str, numpy.ndarray] | None: O (M x N, float32) per layer, the arrays' \"O\"")
      .def_property_readonly(
          "simulate_seconds", [](const PyRunRecord& r) { return r.docs().simulate_seconds; },
          "float: wall time of the backend's run")
      .def_property_readonly(
          "wall_seconds", [](const PyRunRecord& r) { return r.docs().wall_seconds; },
          "float: wall time of the whole pipeline")
      .def(
          "to_dict", [](const PyRunRecord& r) { return to_python(r.docs().stats); },
          "dict: stats.json of the run (the keys `lowbit run --stats` writes)")
      .def(
          "result_dict", [](const PyRunRecord& r) { return to_python(r.docs().result); },
          "dict: result.json of the run (the keys `lowbit run -o` writes)")
      .def("__repr__", [](const PyRunRecord& r) {
        const OJ& res = r.docs().result;
        const OJ& m = r.docs().stats.at("metrics");
        return fmt::format(
            "<lowbit.RunRecord workload={} core={} backend={} verified={} cycles={}>",
            res.at("workload").get<std::string>(), res.at("core").get<std::string>(),
            res.at("backend").get<std::string>(),
            pyb::repr(to_python(res.at("verified"))).cast<std::string>(),
            m.is_null() ? std::string("None") : m.at("cycles").dump());
      });
}

}  // namespace lowbit::py
