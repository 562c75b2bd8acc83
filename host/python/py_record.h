// lowbit.RunRecord: the record of one run as Python sees it. It holds the two documents `lowbit
// run` writes (result.json and stats.json, from the library's own serialization) and, when asked
// for, the run's arrays as NumPy; every attribute is read from them.
#pragma once

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>

#include "lowbit/run_record.h"

namespace lowbit::py {

/// What a run hands to Python: result.json and stats.json of its record and two wall times.
/// Plain data, so a run in a child process (child_run.h) can send it back.
struct RunDocuments {
  nlohmann::ordered_json result;  ///< result_json(record)
  nlohmann::ordered_json stats;   ///< stats_json(record)
  double simulate_seconds = 0;
  double wall_seconds = 0;
};

/// The documents of a record.
RunDocuments run_documents(const RunRecord& r);

/// The Python record: the documents and the arrays (a dict layer -> {name: ndarray}, or None).
class PyRunRecord {
 public:
  PyRunRecord(RunDocuments docs, pybind11::object arrays)
      : m_docs(std::move(docs)), m_arrays(std::move(arrays)) {}
  const RunDocuments& docs() const { return m_docs; }
  const pybind11::object& arrays() const { return m_arrays; }

 private:
  RunDocuments m_docs;
  pybind11::object m_arrays;
};

/// Registers lowbit.RunRecord on the module.
void bind_run_record(pybind11::module_& m);

}  // namespace lowbit::py
