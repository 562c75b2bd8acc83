// Errors in user input (config, workload, weight file, flags): reported as one line, exit code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace lowbit {

/// Bad user input. what() is one line: "<file>: <key>: <problem>; allowed: <what is allowed>".
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Exit code for bad input, shared by every `lowbit` subcommand.
inline constexpr int kExitBadInput = 2;

}  // namespace lowbit
