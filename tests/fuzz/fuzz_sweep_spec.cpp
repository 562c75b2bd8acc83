// libFuzzer target: sweep spec JSON and the expansion of its parameter grid or samples.
// Bad input must be an InputError / JsonInputError; any other exception is a crash.
#include <algorithm>
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
    // Assignments the spec describes: the sample count, or the product of the axes' sizes. The
    // parser limits the whole grid to kMaxSweepPoints; specs of up to kExpand assignments are
    // expanded and must give exactly that many. Larger ones are not expanded here: the loops are
    // the same for every size, and at 10^5 points (0.3 s each under ASan) they took the
    // campaign's rate from 17,000 to under 200 executions per second (docs/fuzzing.md); their
    // expansion is tested in SweepSpec.* (unit tests).
    constexpr double kExpand = 4096;
    double expected = 1;
    if (s.sample_count) {
      expected = static_cast<double>(*s.sample_count);
    } else {
      for (const auto& a : s.parameters) {
        expected *= static_cast<double>(std::max<size_t>(1, a.values.size()));
      }
    }
    if (expected > static_cast<double>(kMaxSweepPoints)) std::abort();  // the parser's limit
    if (expected <= kExpand) {
      const auto points = parameter_assignments(s);
      if (static_cast<double>(points.size()) != expected) std::abort();
    }
    (void)s.to_json().dump();
  } catch (const InputError&) {
  } catch (const JsonInputError&) {
  }
  return 0;
}
