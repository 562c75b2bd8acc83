// libFuzzer target: sweep spec JSON and the expansion of its parameter grid or samples.
// Bad input must be an InputError / JsonInputError; any other exception is a crash.
#include <cstdint>
#include <cstdlib>

#include "fuzz_input.h"
#include "lowbit/error.h"
#include "lowbit/sweep_spec.h"
#include "model/json/json_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lowbit;
  try {
    const SweepSpec s = sweep_spec_from_json(
        parse_json_input(fuzz::as_text(data, size), "fuzz.json"), "fuzz.json", LOWBIT_FUZZ_DIR);
    const auto points = parameter_assignments(s);
    // The point limit is checked on parse, so expansion stays within it.
    if (points.size() > kMaxSweepPoints) std::abort();
    (void)s.to_json().dump();
  } catch (const InputError&) {
  } catch (const JsonInputError&) {
  }
  return 0;
}
