// A run in a child process: SystemC elaborates one accelerator per process (sim_backend.cpp), so a
// Python session that runs the sim or rtl backend more than once runs each in a fork of itself.
#pragma once

#include "lowbit/run.h"
#include "py_record.h"

namespace lowbit::py {

/// True for the backends that elaborate SystemC (run_in_child() runs them).
bool elaborates_systemc(const std::string& backend);

/// Runs `q` in a forked child and returns its record's documents. The caller holds the GIL; it is
/// released while the child runs. The child's InputError comes back as an InputError with the
/// same line, any other exception as std::runtime_error; a child that dies (signal, crash) is a
/// std::runtime_error naming how. Ctrl-C in Python kills the child and raises KeyboardInterrupt.
RunDocuments run_in_child(const RunRequest& q);

}  // namespace lowbit::py
