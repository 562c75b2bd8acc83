// The error every hardware-config reader throws: one line naming the file, the key and what is
// allowed.
#pragma once

#include <stdexcept>

namespace lowbit {

/// A bad hardware config: what() is one line "<file>: <key>: <problem>; allowed: <what>".
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace lowbit
