// JSON <-> Python through the json module.
#include "py_json.h"

namespace lowbit::py {

namespace pyb = pybind11;

pyb::object to_python(const nlohmann::ordered_json& j) {
  return pyb::module_::import("json").attr("loads")(j.dump());
}

nlohmann::ordered_json from_python(const pyb::handle& o) {
  const std::string text = pyb::module_::import("json")
                               .attr("dumps")(o, pyb::arg("allow_nan") = false)
                               .cast<std::string>();
  return nlohmann::ordered_json::parse(text);
}

}  // namespace lowbit::py
