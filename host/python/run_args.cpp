// Python keyword arguments -> the CLI's workload and config options.
#include "run_args.h"

#include <fmt/format.h>

#include "lowbit/error.h"
#include "py_json.h"

namespace lowbit::py {

namespace pyb = pybind11;

WorkloadOptions workload_options(const InputArgs& a) {
  WorkloadOptions o;
  o.workload = a.workload ? a.workload->string() : "";
  if (a.workload && o.workload.empty()) {
    throw InputError("workload: empty; allowed: a workload file or preset name");
  }
  o.model = a.model ? a.model->string() : "";
  o.m = a.m;
  o.n = a.n;
  o.k = a.k;
  o.weights = a.weights;
  o.activations = a.acts;
  o.group = a.group;
  o.distribution = a.dist;
  o.seed = a.seed;
  o.blocks = a.blocks;
  o.layers = a.layers;
  o.config = a.config ? a.config->string() : "";
  o.sets = set_assignments(a.set);
  return o;
}

std::vector<std::string> set_assignments(const pyb::handle& set) {
  std::vector<std::string> v;
  if (set.is_none()) return v;
  if (!pyb::isinstance<pyb::dict>(set)) {
    throw InputError(
        fmt::format("set: a {}; allowed: a dict {{\"key.path\": value}}",
                    pyb::str(pyb::type::of(set).attr("__name__")).cast<std::string>()));
  }
  for (const auto& [key, value] : set.cast<pyb::dict>()) {
    const std::string k = pyb::str(key).cast<std::string>();
    std::string text;
    if (pyb::isinstance<pyb::bool_>(value)) {
      text = value.cast<bool>() ? "true" : "false";
    } else if (pyb::isinstance<pyb::int_>(value) || pyb::isinstance<pyb::float_>(value)) {
      text = pyb::repr(value).cast<std::string>();
    } else if (pyb::isinstance<pyb::str>(value)) {
      text = value.cast<std::string>();
    } else if (pyb::isinstance<pyb::list>(value) || pyb::isinstance<pyb::tuple>(value)) {
      text = from_python(value).dump();
    } else {
      throw InputError(
          fmt::format("set: {}: a value of type {}; allowed: bool, int, float, str or a list", k,
                      pyb::str(pyb::type::of(value).attr("__name__")).cast<std::string>()));
    }
    v.push_back(k + "=" + text);
  }
  return v;
}

}  // namespace lowbit::py
