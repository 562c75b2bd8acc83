// JSON between the C++ library (nlohmann) and Python objects, through Python's json module (the
// documents are the ones the library serializes anyway: no second converter to keep in step).
#pragma once

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>

namespace lowbit::py {

/// The document as Python objects (dict, list, str, int, float, bool, None), key order kept.
pybind11::object to_python(const nlohmann::ordered_json& j);

/// A JSON-compatible Python object as a document; anything else (or NaN / infinity) raises the
/// json module's TypeError / ValueError.
nlohmann::ordered_json from_python(const pybind11::handle& o);

}  // namespace lowbit::py
